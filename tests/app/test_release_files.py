"""The release files that only run on Windows (workflow, installer script, version resource,
icon) are checked here: structure, the promises they make, and the files they point to."""
from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows-release.yml"
ISS = ROOT / "packaging" / "razem.iss"
SHELLS = {"pwsh", "powershell", "cmd", "bash", "python", "sh"}
STEP_KEYS = {"name", "id", "if", "uses", "run", "with", "env", "shell", "working-directory",
             "continue-on-error", "timeout-minutes"}
JOB_KEYS = {"name", "runs-on", "needs", "if", "steps", "env", "timeout-minutes", "strategy",
            "permissions", "outputs", "defaults", "environment", "concurrency",
            "continue-on-error", "services", "container"}


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_workflow_is_a_valid_github_actions_workflow():
    wf = _workflow()
    assert set(wf) <= {"name", "on", "permissions", "jobs", "env", "concurrency", "defaults"}
    assert {"workflow_dispatch", "push"} <= set(wf["on"])
    assert wf["permissions"] == {"contents": "read"}
    for job_id, job in wf["jobs"].items():
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", job_id)
        assert set(job) <= JOB_KEYS, set(job) - JOB_KEYS
        assert job["runs-on"] == "windows-latest"
        names = [step["name"] for step in job["steps"]]
        assert len(names) == len(set(names)), "step names are unique"
        for step in job["steps"]:
            assert set(step) <= STEP_KEYS, (step["name"], set(step) - STEP_KEYS)
            assert ("uses" in step) != ("run" in step), step["name"]
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
            else:
                assert step.get("shell", "pwsh") in SHELLS
            for value in (step.get("run", ""), *map(str, (step.get("env") or {}).values())):
                assert value.count("${{") == value.count("}}"), step["name"]


def test_workflow_builds_installs_silently_and_runs_the_self_check():
    job = next(iter(_workflow()["jobs"].values()))
    script = "\n".join(step.get("run", "") for step in job["steps"])
    order = [script.index(part) for part in (
        "PyInstaller", "packaging/razem.spec", "ISCC.exe", "packaging\\razem.iss", "/VERYSILENT",
        '"$env:INSTALL_DIR\\razem-cli.exe" self-check', "unins000.exe")]
    assert order == sorted(order)
    assert "/CURRENTUSER" in script and "-c constraints.txt" in script
    assert "KMP Konin\\Razem\\razem.db" in script  # the data survives the uninstall
    assert (ROOT / "packaging" / "razem.spec").exists() and ISS.exists()


def test_installer_script_is_per_user_and_never_touches_user_data():
    text = ISS.read_text(encoding="utf-8-sig")
    sections = re.findall(r"^\[(\w+)\]", text, re.M)
    assert sections == ["Setup", "Languages", "Tasks", "InstallDelete", "Files", "Icons", "Run"]
    setup = dict(re.findall(r"^(\w+)=(.*)$", text.split("[Languages]")[0], re.M))
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"] == r"{autopf}\Razem"  # %LOCALAPPDATA%\Programs when per-user
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).resolve() == \
        ROOT / "resources" / "icons" / "razem.ico"
    assert 'Source: "..\\build\\dist\\razem\\*"' in text
    assert 'MessagesFile: "compiler:Languages\\Polish.isl"' in text
    assert "{group}\\Razem" in text  # Start menu shortcut
    # Nothing may delete the user data folder (%LOCALAPPDATA%\KMP Konin\Razem).
    assert "UninstallDelete" not in text and "{localappdata}" not in text.lower()
    assert "KMP Konin" not in text.split("[InstallDelete]")[1]


def _versioninfo_namespace():
    def record(kind):
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}
    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct"]
    return {n: record(n) for n in names}


def test_version_resource_is_generated_from_the_package_version(tmp_path):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from version_info import version_tuple, write_version_file
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    from desktop import __version__

    assert version_tuple("1.2.3rc1") == (1, 2, 3, 1) and version_tuple("2") == (2, 0, 0, 0)
    path = write_version_file(tmp_path / "v.txt", __version__, "razem-cli.exe", "wiersz poleceń")
    info = eval(path.read_text(encoding="utf-8"), _versioninfo_namespace())
    assert info["ffi"]["filevers"] == version_tuple(__version__)
    strings = {s["args"][0]: s["args"][1] for s in info["kids"][0]["args"][0][0]["args"][1]}
    assert strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == "razem-cli.exe"
    assert strings["FileDescription"] == "wiersz poleceń"


def test_spec_builds_a_window_and_a_console_executable_over_one_folder():
    text = (ROOT / "packaging" / "razem.spec").read_text(encoding="utf-8")
    compile(text, "razem.spec", "exec")
    assert re.search(r'name="razem", console=False', text)
    assert re.search(r'name="razem-cli", console=True', text)
    assert "COLLECT(gui, cli," in text and "psycopg_binary" in text
    assert "qtwebengine_devtools_resources.pak" in text and '"/qml/"' in text


def test_icon_files_are_valid(qapp):
    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(ROOT / "resources" / "icons" / "razem.svg")).isValid()
    data = (ROOT / "resources" / "icons" / "razem.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, _h, _c, _r, _planes, _bits, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(data)
        sizes.append(w or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
