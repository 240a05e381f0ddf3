; Inno Setup script of the Razem installer (Inno Setup 6).
;   iscc /DAppVersion=0.1.0 packaging\razem.iss      (after pyinstaller packaging\razem.spec)
; Input: build\dist\razem\ (the one-folder PyInstaller build). Output: build\installer\.
;
; Per-user by default: no administrator rights (PrivilegesRequired=lowest), the program goes to
; %LOCALAPPDATA%\Programs\Razem; an administrator may still choose "for all users".
; User data (database, settings, logs) lives in %LOCALAPPDATA%\KMP Konin\Razem, which this
; script never touches: uninstalling keeps it, and an upgrade (same AppId) replaces only the
; program files; the new version migrates the database on its first start (after a backup).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Razem dla bezpieczeństwa"
#define AppExe "razem.exe"

[Setup]
; A fixed AppId makes a newer installer an upgrade of the installed program.
AppId={{6C1F3B52-8E0A-4D7B-9B1E-2F5A7C4D9E31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Komenda Miejska Policji w Koninie
DefaultDirName={autopf}\Razem
DefaultGroupName=Razem
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\build\installer
OutputBaseFilename=razem-{#AppVersion}-setup
SetupIconFile=..\resources\icons\razem.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
VersionInfoVersion={#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "polish"; MessagesFile: "compiler:Languages\Polish.isl"

[Tasks]
Name: "desktopicon"; Description: "Utwórz ikonę na pulpicie"; GroupDescription: "Dodatkowe ikony:"; Flags: unchecked

[InstallDelete]
; Program files of the previous version (libraries that a new version no longer ships).
; Only the program folder: the user data folder is never listed here.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\build\dist\razem\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Razem"; Filename: "{app}\{#AppExe}"; Comment: "{#AppName}"
Name: "{group}\Razem – wiersz poleceń"; Filename: "{cmd}"; Parameters: "/k ""{app}\razem-cli.exe"" --help"; WorkingDir: "{userdocs}"
Name: "{group}\Odinstaluj Razem"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Razem"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "Uruchom program Razem"; Flags: nowait postinstall skipifsilent
