#!/usr/bin/env bash
# Binder benchmark: a folder of N PDFs (default 600, about 2,400 pages; a third of them scans)
# assembled in one run by
#   qpdf --empty --pages FILES -- out.pdf   a bare merge of the same files in the same order
#   casebinder binder                       the same pages plus cover, linked index, chronology,
#                                           stamps on every page, bookmarks, CSV/MD index, manifest
# Peak memory is the maximum resident set size from /usr/bin/time.
# usage: bench/binder.sh [N]      (needs python3, pdftoppm, qpdf, /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-600}
cargo build --release --quiet
BIN=$PWD/target/release/casebinder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pages=$(python3 bench/gen_pdfs.py "$work/case" "$N")
bytes=$(du -sb "$work/case" | cut -f1)
# The scan is not measured here: no OCR of the scanned pages, to keep it short.
(cd "$work/case" && "$BIN" init >/dev/null && CASEBINDER_NO_HELPERS=1 "$BIN" scan --no-progress >/dev/null)

run() { # label, command...: prints "label wall_s max_rss_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  echo "$label $(cat "$work/time")"
}
# The order casebinder chose (oldest first), for qpdf to merge the same files the same way.
(cd "$work/case" && "$BIN" binder --no-tabs --dry-run >/dev/null)
cb=$(cd "$work/case" && run casebinder "$BIN" binder --no-tabs --date 2024-05-01)
out="$work/case/Binders/due-process-binder.pdf"
python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print("\0".join(e["locator"] for e in m["exhibits"]), end="")' "$work/case/Binders/due-process-binder-manifest.json" > "$work/order"
q=$(cd "$work/case" && xargs -0 -a "$work/order" bash -c 'exec /usr/bin/time -f "%e %M" -o "'"$work"'/time" qpdf --empty --pages "$@" -- "'"$work"'/qpdf.pdf"' _ && echo "qpdf $(cat "$work/time")")
total=$(qpdf --show-npages "$out")
size=$(stat -c %s "$out")
qsize=$(stat -c %s "$work/qpdf.pdf")
check=$(qpdf --check "$out" >/dev/null 2>&1 && echo ok || echo FAILED)

echo "Binder benchmark: $N PDFs, $pages source pages, $((bytes / 1000000)) MB; $(nproc) cores"
echo
echo "| command                                  |     wall | peak memory | output  |"
echo "|------------------------------------------|----------|-------------|---------|"
set -- $q
printf "| %-40s | %6.2f s | %8.1f MB | %5.1f MB |\n" "qpdf --empty --pages (bare merge)" "$2" "$(echo "$3/1024" | bc -l)" "$(echo "$qsize/1000000" | bc -l)"
set -- $cb
printf "| %-40s | %6.2f s | %8.1f MB | %5.1f MB |\n" "casebinder binder ($total pages)" "$2" "$(echo "$3/1024" | bc -l)" "$(echo "$size/1000000" | bc -l)"
echo
awk -v c="$2" -v q="$(echo $q | cut -d' ' -f2)" -v m="$3" -v s="$size" -v chk="$check" 'BEGIN {
  printf "casebinder / qpdf wall time: %.2fx (target: at most 1.0x)\n", c / q
  printf "casebinder peak memory / binder size: %.2fx (target: below 3x)\n", m * 1024 / s
  printf "qpdf --check on the binder: %s\n", chk
}'
