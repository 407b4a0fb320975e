#!/usr/bin/env bash
# Render an HTML report to PNG in headless Chromium, so a person can see what it looks like.
#   scripts/screenshot_html.sh reports/青海.html /tmp/qinghai.png [width] [height]
# Needs Debian's chromium (apt-get install chromium). The report is self-contained, so the
# browser is run with networking features off and a throw-away profile.
set -euo pipefail
html=$(realpath "$1"); png=$(realpath -m "$2"); width=${3:-1400}; height=${4:-2400}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "error: chromium not found (apt-get install chromium)" >&2; exit 2; }
profile=$(mktemp -d); trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size="$width,$height" \
  --screenshot="$png" "file://$html" >/dev/null 2>&1
[ -s "$png" ] || { echo "error: no screenshot written" >&2; exit 1; }
echo "$png"
