#!/usr/bin/env bash
# Timeline page benchmark (issue 25): a generated case of N documents (default 500), its
# time-scaled page written by `casebinder timeline --format html`, then loaded and laid out by
# headless Chromium (--dump-dom waits for the load and the layout) next to an empty page, three
# rounds each; the page's own cost is the difference of the medians.
# usage: bench/timeline.sh [N]      (needs python3 and chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
cargo build --release --quiet
BIN=$PWD/target/release/casebinder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_case.py "$work/case" "$N" >/dev/null
(cd "$work/case" && "$BIN" init -q >/dev/null && "$BIN" scan -q >/dev/null)
TIMEFORMAT='%R'
write=$( { time (cd "$work/case" && "$BIN" timeline --format html --out "$work/t.html" >/dev/null); } 2>&1 )
echo "<!DOCTYPE html><html><body></body></html>" > "$work/blank.html"
docs=$(cd "$work/case" && "$BIN" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
marks=$(grep -o 'class="m ' "$work/t.html" | wc -l)
load() { # file → seconds
  { time chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$work/profile" --window-size=1400,1000 --dump-dom "file://$1" >/dev/null 2>&1; } 2>&1
}
median() { sort -n | sed -n 2p; }
page=$(for _ in 1 2 3; do load "$work/t.html"; done | median)
blank=$(for _ in 1 2 3; do load "$work/blank.html"; done | median)
echo "documents: $docs, marks drawn (screen and print): $marks, page: $(du -k "$work/t.html" | cut -f1) KB"
echo "casebinder timeline --format html: ${write} s"
echo "chromium, the page: ${page} s; an empty page: ${blank} s; the page's own cost: $(echo "$page - $blank" | bc) s"
