#!/usr/bin/env bash
# Vendor the front-end assets Bro serves as plain static files (no JS build at run time):
#   - @digdir/designsystemet-css    -> bro/static/vendor/designsystemet/index.css
#   - @digdir/designsystemet-theme  -> bro/static/vendor/designsystemet/theme.css  (Digdir brand theme)
#   - htmx.org (2.x)                -> bro/static/vendor/htmx/htmx.min.js
# plus each package's LICENSE and a VERSIONS.txt.
#
# Packages are fetched with `npm pack` from the npm registry into a temp dir; nothing is
# installed in the repo and no lifecycle scripts run.
#
# Usage:
#   scripts/vendor-static.sh            # (re)write bro/static/vendor/
#   scripts/vendor-static.sh --check    # build into a temp dir and diff against bro/static/vendor/
#                                       # (exit 1 if the committed files differ from the pins)
#
# Environment:
#   DS_THEME=digdir   brand theme from @digdir/designsystemet-theme: digdir (default), altinn,
#                     uutilsynet, portal. DS_THEME=default takes the theme bundled in
#                     @digdir/designsystemet-css itself (@digdir/designsystemet-css/theme) instead.
#
# To upgrade: change the pins below, run the script, check docs/designsystemet.md still holds
# (scripts' grep list there), commit the result.
set -euo pipefail

# ---- pinned versions ---------------------------------------------------------------------
DS_CSS_VERSION="1.22.0"
DS_THEME_VERSION="1.11.0"   # last release of the (deprecated) theme package; see VERSIONS.txt
HTMX_VERSION="2.0.11"       # stay on htmx 2.x; 4.x is a different major with breaking changes
DS_THEME="${DS_THEME:-digdir}"
MAX_TOTAL_BYTES=$((1536 * 1024))
# -------------------------------------------------------------------------------------------

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$REPO_ROOT/bro/static/vendor"
MODE="write"
case "${1:-}" in
  "") ;;
  --check) MODE="check" ;;
  -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
esac

case "$HTMX_VERSION" in
  2.*) ;;
  *) echo "HTMX_VERSION must be 2.x (got $HTMX_VERSION)" >&2; exit 2 ;;
esac

command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bro-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/out"
mkdir -p "$WORK/pkgs" "$OUT/designsystemet" "$OUT/htmx"

# fetch NAME@VERSION -> prints the directory of the unpacked package
fetch() {
  local spec="$1" tgz dir
  tgz="$(cd "$WORK/pkgs" && npm pack "$spec" --loglevel=error --pack-destination "$WORK/pkgs" 2>"$WORK/npm.err" | tail -n 1)" || true
  if [ -z "$tgz" ] || [ ! -f "$WORK/pkgs/$tgz" ]; then
    echo "npm pack $spec failed:" >&2; cat "$WORK/npm.err" >&2; exit 1
  fi
  dir="$WORK/pkgs/${tgz%.tgz}"
  mkdir -p "$dir"
  tar -xzf "$WORK/pkgs/$tgz" -C "$dir"
  # sanity: the tarball really is the pinned version
  local got
  got="$(node -p "require('$dir/package/package.json').version")"
  [ "$got" = "${spec##*@}" ] || { echo "$spec: tarball has version $got" >&2; exit 1; }
  echo "$dir/package"
}

CSS_PKG="$(fetch "@digdir/designsystemet-css@$DS_CSS_VERSION")"
HTMX_PKG="$(fetch "htmx.org@$HTMX_VERSION")"

cp "$CSS_PKG/dist/src/index.css" "$OUT/designsystemet/index.css"
cp "$CSS_PKG/LICENSE" "$OUT/designsystemet/LICENSE-designsystemet-css"

if [ "$DS_THEME" = "default" ]; then
  cp "$CSS_PKG/dist/theme/designsystemet.css" "$OUT/designsystemet/theme.css"
  THEME_LINE="@digdir/designsystemet-css@$DS_CSS_VERSION   designsystemet/theme.css   <- dist/theme/designsystemet.css (default theme bundled with the CSS package)"
else
  THEME_PKG="$(fetch "@digdir/designsystemet-theme@$DS_THEME_VERSION")"
  [ -f "$THEME_PKG/brand/$DS_THEME.css" ] || { echo "no theme brand/$DS_THEME.css in theme package" >&2; exit 1; }
  cp "$THEME_PKG/brand/$DS_THEME.css" "$OUT/designsystemet/theme.css"
  cp "$THEME_PKG/LICENSE" "$OUT/designsystemet/LICENSE-designsystemet-theme"
  THEME_BUILD="$(grep -m1 -oE 'build: v[0-9.]+' "$THEME_PKG/brand/$DS_THEME.css" || true)"
  THEME_LINE="@digdir/designsystemet-theme@$DS_THEME_VERSION designsystemet/theme.css   <- brand/$DS_THEME.css (${THEME_BUILD:-no build stamp}; package is deprecated upstream)"
fi

cp "$HTMX_PKG/dist/htmx.min.js" "$OUT/htmx/htmx.min.js"
cp "$HTMX_PKG/LICENSE" "$OUT/htmx/LICENSE"

# ---- no remote fonts / remote resources in the CSS ----------------------------------------
# Strip any @import of a remote URL (e.g. a web-font stylesheet): users' pages must not load
# anything from third parties. Data: URIs (inline SVG icons) are fine.
FONT_NOTES=()
# Node strips the imports (a regex over [^;] would break on URLs such as ...wght@400;500).
STRIP_JS='
const fs = require("fs");
const file = process.argv[1];
const remote = String.raw`(?:https?:)?\/\/`;
const re = new RegExp(String.raw`@import\s*(?:url\(\s*(?:"${remote}[^"]*"|'"'"'${remote}[^'"'"']*'"'"'|${remote}[^)\s]*)\s*\)|"${remote}[^"]*"|'"'"'${remote}[^'"'"']*'"'"')[^;]*;`, "gi");
const css = fs.readFileSync(file, "utf8");
const found = css.match(re) || [];
if (found.length) fs.writeFileSync(file, css.replace(re, ""));
process.stdout.write(found.join(" "));
'
for css in "$OUT/designsystemet/index.css" "$OUT/designsystemet/theme.css"; do
  name="designsystemet/$(basename "$css")"
  stripped="$(node -e "$STRIP_JS" "$css")"
  if [ -n "$stripped" ]; then
    FONT_NOTES+=("$name: stripped remote @import(s): $stripped")
  fi
  # anything remote left (url(http...), url(//...), e.g. an @font-face src) is an error
  if grep -qiE 'url\([[:space:]]*["'"'"']?(https?:)?//|@import[[:space:]]*["'"'"'](https?:)?//' "$css"; then
    echo "$name still references a remote URL:" >&2
    grep -oiE '(url\([[:space:]]*["'"'"']?|@import[[:space:]]*["'"'"'])(https?:)?//[^)"'"'"']*' "$css" | head -5 >&2
    exit 1
  fi
  if grep -qi '@font-face' "$css"; then
    FONT_NOTES+=("$name: contains @font-face rules (checked: no remote url)")
  fi
done
[ ${#FONT_NOTES[@]} -gt 0 ] || FONT_NOTES+=("no remote @import and no @font-face in the vendored CSS (nothing stripped)")
FONT_FAMILY="$(tr '\n' ' ' <"$OUT/designsystemet/theme.css" | grep -oE 'typography\.primary[^}]*' | grep -m1 -oE -- '--ds-font-family:[^;]*' | sed 's/--ds-font-family:[[:space:]]*//' || true)"

# ---- VERSIONS.txt --------------------------------------------------------------------------
sha() { sha256sum "$1" | cut -d' ' -f1; }
{
  echo "# Written by scripts/vendor-static.sh -- do not edit by hand; change the pins in the script."
  echo "# package@version                   vendored file               <- path in the package"
  echo "@digdir/designsystemet-css@$DS_CSS_VERSION     designsystemet/index.css   <- dist/src/index.css"
  echo "$THEME_LINE"
  echo "htmx.org@$HTMX_VERSION                      htmx/htmx.min.js           <- dist/htmx.min.js"
  echo
  echo "# Fonts"
  for note in "${FONT_NOTES[@]}"; do echo "$note"; done
  echo "The theme names the font family '${FONT_FAMILY:-?}' but ships no font files; no font is downloaded."
  echo "bro/static/bro/bro.css falls back to the system UI font stack."
  echo
  echo "# sha256"
  (cd "$OUT" && find . -type f ! -name VERSIONS.txt | sort | while read -r f; do
     printf '%s  %s\n' "$(sha "$f")" "${f#./}"
   done)
} >"$OUT/VERSIONS.txt"

TOTAL="$(du -cb $(find "$OUT" -type f) | tail -n 1 | cut -f1)"
if [ "$TOTAL" -gt "$MAX_TOTAL_BYTES" ]; then
  echo "vendored files total $TOTAL bytes, over the $MAX_TOTAL_BYTES budget" >&2
  exit 1
fi

if [ "$MODE" = "check" ]; then
  if diff -r "$OUT" "$DEST" >/dev/null 2>&1; then
    echo "bro/static/vendor is up to date ($TOTAL bytes)"
    exit 0
  fi
  echo "bro/static/vendor differs from the pinned packages:" >&2
  diff -rq "$OUT" "$DEST" >&2 || true
  exit 1
fi

# only the directories this script owns are replaced
mkdir -p "$DEST"
rm -rf "$DEST/designsystemet" "$DEST/htmx" "$DEST/VERSIONS.txt"
cp -R "$OUT/designsystemet" "$OUT/htmx" "$OUT/VERSIONS.txt" "$DEST/"
echo "vendored into ${DEST#$REPO_ROOT/} ($TOTAL bytes):"
(cd "$DEST" && find designsystemet htmx VERSIONS.txt -type f | sort | xargs ls -l | awk '{printf "  %8d  %s\n", $5, $9}')
