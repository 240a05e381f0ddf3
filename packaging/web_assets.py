"""Refresh the map's web assets in ``resources/web/`` from the npm registry.

Every file the map page loads ships with the app (the station has no internet). This script
fetches the pinned packages with ``npm pack``, copies the listed files, and writes
``resources/web/manifest.json`` with each package's version, licence and the sha256 of every
copied file. Run from the repository root::

    python packaging/web_assets.py           # fetch and rewrite
    python packaging/web_assets.py --check   # verify the shipped files against the manifest

To move to another version, change ``PACKAGES`` below, run the script and commit the result.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "resources" / "web"
MANIFEST = WEB / "manifest.json"

# package -> (version, licence (SPDX), files inside the tarball's "package/" folder)
PACKAGES: dict[str, tuple[str, str, list[str]]] = {
    "leaflet": ("1.9.3", "BSD-2-Clause", [
        "LICENSE", "dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png",
        "dist/images/layers-2x.png", "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png",
    ]),
    "jquery": ("3.7.1", "MIT", ["LICENSE.txt", "dist/jquery.min.js"]),
    "leaflet.heat": ("0.2.0", "BSD-2-Clause", ["LICENSE", "dist/leaflet-heat.js"]),
    # Only for the benchmark's plain-folium baseline (folium's MarkerCluster).
    "leaflet.markercluster": ("1.1.0", "MIT", [
        "MIT-LICENCE.txt", "dist/leaflet.markercluster.js", "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ]),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _npm(*args: str, cwd: Path) -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found on PATH")
    return subprocess.run([npm, *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def fetch(package: str, version: str, files: list[str], work: Path) -> dict:
    """Download one pinned package and copy its listed files into resources/web/<package>/."""
    spec = f"{package}@{version}"
    tarball = work / _npm("pack", spec, "--silent", cwd=work).strip().splitlines()[-1]
    info = json.loads(_npm("view", spec, "--json", "license", "dist.integrity", cwd=work) or "{}")
    target = WEB / package
    if target.exists():
        shutil.rmtree(target)
    entries = {}
    with tarfile.open(tarball) as tar:
        for name in files:
            member = tar.getmember(f"package/{name}")
            data = tar.extractfile(member).read()
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            entries[name] = hashlib.sha256(data).hexdigest()
    return {"version": version, "licence": PACKAGES[package][1],
            "npm_licence_field": info.get("license", "") if isinstance(info, dict) else "",
            "integrity": info.get("dist.integrity", "") if isinstance(info, dict) else "",
            "files": entries}


def refresh() -> None:
    WEB.mkdir(parents=True, exist_ok=True)
    manifest = {"source": "npm registry (npm pack)", "packages": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for package, (version, _licence, files) in PACKAGES.items():
            print(f"{package}@{version}")
            manifest["packages"][package] = fetch(package, version, files, Path(tmp))
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(ROOT)}")


def check() -> list[str]:
    """Problems found comparing the shipped files with the manifest (empty when all is well)."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems = []
    for package, entry in manifest["packages"].items():
        pinned = PACKAGES.get(package)
        if pinned is None or pinned[0] != entry["version"]:
            problems.append(f"{package}: manifest version differs from the pinned one")
        for name, digest in entry["files"].items():
            path = WEB / package / name
            if not path.exists():
                problems.append(f"missing {path}")
            elif sha256(path) != digest:
                problems.append(f"sha256 mismatch {path}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify instead of fetching")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for p in problems:
            print(p)
        print("ok" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    refresh()
    return 0


if __name__ == "__main__":
    sys.exit(main())
