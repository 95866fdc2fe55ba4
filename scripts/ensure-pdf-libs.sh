#!/usr/bin/env bash
# Decision letters and participant certificates are PDF made by WeasyPrint, which needs Pango and a font
# from the system (docs/decisions/0013-qualification-record.md). Install them with apt when they are missing
# and we are allowed to.
set -euo pipefail
have_pango() { ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; }
have_font() { [ -d /usr/share/fonts/truetype/dejavu ] || (command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | head -n 1)" ]); }
if have_pango && have_font; then exit 0; fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Pango or a font is missing: install Debian's libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core for PDF letters." >&2
  exit 1
fi
echo "Installing Pango and DejaVu fonts for PDF letters..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
