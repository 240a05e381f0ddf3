#!/usr/bin/env bash
# Build the frozen one-folder app on Linux and run its self-check with the network switched
# off. Usage (from anywhere):
#   bash packaging/build_linux.sh            # makes build/venv with the pinned packages
#   RAZEM_BUILD_PYTHON=/path/to/venv/bin/python bash packaging/build_linux.sh
#                                            # reuse a venv that already has the app's packages
# Result: build/dist/razem/{razem,razem-cli}; sizes in build/razem-size.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${RAZEM_BUILD_PYTHON:-}" ]; then
  PY="$RAZEM_BUILD_PYTHON"
  "$PY" -m pip install -q -c constraints.txt pyinstaller pyinstaller-hooks-contrib
else
  [ -x build/venv/bin/python ] || python3 -m venv build/venv
  PY=build/venv/bin/python
  "$PY" -m pip install -q -c constraints.txt -e ".[release]"
fi

"$PY" packaging/make_icon.py >/dev/null   # razem.ico from razem.svg (committed; refreshed)
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath build/dist --workpath build/work packaging/razem.spec

APP=build/dist/razem
echo "Rozmiar: $(du -sh "$APP" | cut -f1) w $(find "$APP" -type f | wc -l) plikach"
cat build/razem-size.json

# Self-check without network, in a data folder with Polish letters (a user named Łukasz).
DATA="$(mktemp -d)/Łukasz Żółć/Razem dane"
if [ "$(id -u)" = 0 ]; then NONET=(unshare -n); else NONET=(unshare -rn); fi
"${NONET[@]}" env -u DISPLAY -u WAYLAND_DISPLAY RAZEM_DATA_DIR="$DATA" "$APP/razem-cli" --version
"${NONET[@]}" env -u DISPLAY -u WAYLAND_DISPLAY RAZEM_DATA_DIR="$DATA" "$APP/razem-cli" self-check
"${NONET[@]}" env -u DISPLAY -u WAYLAND_DISPLAY RAZEM_DATA_DIR="$DATA" "$APP/razem-cli" \
  sample --reports 500 --seed 1
"${NONET[@]}" env -u DISPLAY -u WAYLAND_DISPLAY RAZEM_DATA_DIR="$DATA" "$APP/razem-cli" self-check
echo "Dziennik: $DATA/Logs/razem.log"
