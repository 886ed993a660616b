#!/usr/bin/env bash
# Mailbox binder benchmark: a Gmail-Takeout-like mailbox of N messages of about SIZE_KB each,
# every message with a PDF attachment (default 500 messages of 4 MB: a 2 GB mailbox, 1,000
# exhibits), scanned, then bound into one binder. What the binder reads is counted from
# /proc/PID/io (rchar, sampled every 50 ms until it exits), so the figure says whether the
# mailbox is read once per binder or once per exhibit. Peak memory from /usr/bin/time.
# usage: bench/mailbox.sh [N] [SIZE_KB]      (needs python3, /usr/bin/time; Linux)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
SIZE_KB=${2:-4096}
cargo build --release --quiet
BIN=$PWD/target/release/casebinder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/case/Takeout/Mail"
mbox="$work/case/Takeout/Mail/All mail Including Spam and Trash.mbox"
python3 bench/gen_mbox.py "$mbox" "$N" "$SIZE_KB"
size=$(stat -c %s "$mbox")
cd "$work/case"
"$BIN" init >/dev/null
/usr/bin/time -f "%e %M" -o "$work/scan-time" "$BIN" scan --no-progress >/dev/null 2>&1
/usr/bin/time -f "%e %M" -o "$work/binder-time" "$BIN" binder --no-tabs --no-chronology --date 2024-05-01 \
  >/dev/null 2>"$work/err" &
wrapper=$!
got=0
pid=""
while kill -0 "$wrapper" 2>/dev/null; do
  [ -z "$pid" ] && pid=$(pgrep -P "$wrapper" -x casebinder || true)
  if [ -n "$pid" ] && v=$(awk '/^rchar:/ {print $2}' "/proc/$pid/io" 2>/dev/null); then
    [ -n "$v" ] && got=$v
  fi
  sleep 0.05
done
wait "$wrapper" || { cat "$work/err"; exit 1; }
exhibits=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["exhibits"]))' \
  Binders/due-process-binder-manifest.json)
binder_bytes=$(stat -c %s Binders/due-process-binder.pdf)
read -r scan_s scan_kb < "$work/scan-time"
read -r bind_s bind_kb < "$work/binder-time"
echo "| mailbox | messages | exhibits | scan | binder | binder peak memory | read by the binder | read / mailbox size |"
echo "|---|---|---|---|---|---|---|---|"
awk -v sz="$size" -v n="$N" -v ex="$exhibits" -v ss="$scan_s" -v bs="$bind_s" -v bk="$bind_kb" -v rd="$got" \
  'BEGIN { printf "| %.2f GB | %d | %d | %.0f s | %.0f s | %.0f MB | %.2f GB | %.2f |\n", sz/1e9, n, ex, ss, bs, bk/1024, rd/1e9, rd/sz }'
echo "(binder file: $((binder_bytes / 1000000)) MB)"
