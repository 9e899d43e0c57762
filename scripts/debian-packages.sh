#!/usr/bin/env bash
# The Debian packages the product and its tests need, by group; those missing are installed in
# one apt-get run (each run of its own would read the package lists and run dpkg's triggers again).
#   run:    the app itself (make run): gettext for the translations, Pango and Noto fonts for the
#           PDF exports, LibreOffice without a screen to show Office files in the viewer;
#   test:   make test besides: Chromium and its headless shell (browser tests), postgresql-client
#           (backups), nginx (the multi-node test), SoftHSM (signing with a PKCS#11 token);
#   backup: postgresql-client only (manage.py backup and restore on PostgreSQL);
#   bench:  wrk, nginx and postgresql-client for the benchmarks.
set -euo pipefail
missing=()
need() {  # need "a check that succeeds when it is there" package...
  local check=$1
  shift
  if ! bash -c "$check" >/dev/null 2>&1; then missing+=("$@"); fi
}
for group in "$@"; do
  case $group in
    run)
      need "command -v msgfmt" gettext
      need "/sbin/ldconfig -p | grep -q libpangoft2" libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core
      need "command -v soffice" libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
      ;;
    test)
      need "command -v chromium && test -x /usr/lib/chromium/chromium-headless-shell" \
        chromium chromium-headless-shell fonts-noto-core
      need "command -v pg_dump" postgresql-client
      need "command -v nginx || test -x /usr/sbin/nginx" nginx-light
      need "command -v softhsm2-util" softhsm2
      ;;
    backup)
      need "command -v pg_dump" postgresql-client
      ;;
    bench)
      need "command -v wrk" wrk
      need "command -v nginx || test -x /usr/sbin/nginx" nginx-light
      need "command -v pg_dump" postgresql-client
      ;;
    *)
      echo "debian-packages.sh: unknown group $group (run, test, backup, bench)" >&2
      exit 2
      ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "Installing Debian packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
