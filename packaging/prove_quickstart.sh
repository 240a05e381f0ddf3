#!/usr/bin/env bash
# Prove the README's Quick start verbatim on a minimal Debian bookworm root.
#
#   sudo bash packaging/prove_quickstart.sh [WORKDIR]      (default WORKDIR: /var/tmp/razem-proof)
#
# 1. debootstrap a bookworm "minbase" with only python3, python3-venv and git (cached in
#    WORKDIR/base-<date>; delete it to start from scratch);
# 2. copy it to WORKDIR/root, `git clone` this repository's committed HEAD into /root/razem;
# 3. chroot in (with /proc, /sys, /dev, /dev/pts, /dev/shm mounted) and run, as a new user
#    would, the two commands of the README (markers quickstart:app and quickstart:test), taken
#    from the README itself: the app command headless (QT_QPA_PLATFORM=offscreen) until its
#    first start has filled the sample database and it has kept running 20 s more (the window
#    is shown right after); then the test command.
# Logs: WORKDIR/app.log, WORKDIR/test.log. Exit code 0 only if both commands worked.
# Needs root, network access to a Debian mirror and PyPI. The mirror is the one this machine's
# apt uses for bookworm (override with RAZEM_DEBIAN_MIRROR). Takes 15-30 minutes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/var/tmp/razem-proof}
suite=bookworm
[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap and chroot need it)" >&2; exit 1; }
mkdir -p "$work"

mirror_from_host() {
  {
    grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
      | awk -v s="$suite" '$3==s {print $2}'
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -e "$f" ] && awk -v s="$suite" '/^URIs:/ {u=$2} /^Suites:/ {for (i=2; i<=NF; i++) if ($i==s) print u}' "$f"
    done
  } | head -n 1
}
mirror=${RAZEM_DEBIAN_MIRROR:-$(mirror_from_host)}
[ -n "$mirror" ] || { echo "no $suite mirror in /etc/apt; set RAZEM_DEBIAN_MIRROR" >&2; exit 1; }

command -v debootstrap >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
}

base="$work/base-$(date +%Y%m%d)"
if [ ! -x "$base/usr/bin/python3" ]; then
  echo "== debootstrap $suite minbase + python3 python3-venv git from $mirror"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase --include=python3,python3-venv,git "$suite" "$base.tmp" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
  mv "$base.tmp" "$base"
fi

root="$work/root"
cleanup() {
  set +e
  # End what is still running inside the chroot (only processes whose root is ours).
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  for m in dev/shm dev/pts dev sys proc; do
    mountpoint -q "$root/$m" && umount -l "$root/$m"
  done
}
trap cleanup EXIT
cleanup
rm -rf "$root"
echo "== fresh root $root"
cp -a "$base" "$root"
git clone -q "$repo" "$root/root/razem"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No init runs in a chroot: keep package scripts from starting services (e.g. PostgreSQL's
# default cluster); the tests start their own private server.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount --bind /sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"

readme_command() {  # the fenced bash block after the marker, exactly as .ci/run reads it
  sed -n "/<!-- quickstart:$1 -->/,/\`\`\`\$/p" "$root/root/razem/README.md" \
    | sed -n '/^```bash$/,/^```$/p' | grep -v '^```'
}
app_command=$(readme_command app)
test_command=$(readme_command test)
[ -n "$app_command" ] && [ -n "$test_command" ] || { echo "README has no Quick start commands" >&2; exit 1; }

# Behind a TLS-intercepting proxy (as on this project's machines) pip must trust the proxy's CA:
# pass the host's CA bundle in, as that site's own setup would. Nothing else is carried over.
extra_env=()
host_ca=${PIP_CERT:-${SSL_CERT_FILE:-}}
if [ -n "$host_ca" ] && [ -f "$host_ca" ]; then
  cp "$host_ca" "$root/etc/host-ca-bundle.crt"
  extra_env=(PIP_CERT=/etc/host-ca-bundle.crt SSL_CERT_FILE=/etc/host-ca-bundle.crt)
fi
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${extra_env[@]}" "$@"
}

echo "== app: $app_command"
start=$(date +%s)
in_root QT_QPA_PLATFORM=offscreen bash -c "cd /root/razem && $app_command" > "$work/app.log" 2>&1 &
app_pid=$!
count_beats() {
  in_root python3 -c "import sqlite3; print(sqlite3.connect('file:/root/.local/share/Razem/razem.db?mode=ro', uri=True).execute('select count(*) from beats').fetchone()[0])" 2>/dev/null || echo 0
}
app_ok=0
beats=0
for _ in $(seq 1 900); do  # install + first start: up to 30 minutes
  kill -0 "$app_pid" 2>/dev/null || break
  beats=$(count_beats)
  if [ "$beats" -gt 0 ]; then  # first start filled the sample; the window comes right after
    sleep 20
    kill -0 "$app_pid" 2>/dev/null && app_ok=1
    break
  fi
  sleep 2
done
cleanup_app() {
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill "${p#/proc/}" 2>/dev/null
  done
  wait "$app_pid" 2>/dev/null || true
}
cleanup_app
echo "   app: $([ $app_ok = 1 ] && echo "window started on the sample database ($beats beats) and still running after 20 s" || echo FAILED) ($(( $(date +%s) - start )) s; log $work/app.log)"
[ $app_ok = 1 ] || tail -30 "$work/app.log"

echo "== test: $test_command"
start=$(date +%s)
set +e
in_root bash -c "cd /root/razem && $test_command" > "$work/test.log" 2>&1
test_rc=$?
set -e
echo "   test: exit $test_rc ($(( $(date +%s) - start )) s; log $work/test.log)"
grep -E '^[0-9]+ (passed|failed)|passed|failed' "$work/test.log" | tail -n 3
[ $app_ok = 1 ] && [ $test_rc = 0 ]
