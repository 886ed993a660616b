#!/usr/bin/env bash
# Desk benchmark (issue 26): one generated case of N documents (default 2000) is scanned once and
# copied into M case folders (default 50; a copy's catalog names its files by relative paths, so
# each copy is a case of its own), put on a desk, then `cases list` and `desk` are timed with
# /usr/bin/time (wall, peak memory), three rounds each, medians, side by side with `check` in one
# of those cases (the largest case: they are all alike), and each ratio to it is printed (the
# issue's target: at most 3x).
# usage: bench/desk.sh [N] [M]      (needs python3 and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
M=${2:-50}
cargo build --release --quiet
BIN=$PWD/target/release/casebinder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_case.py "$work/one" "$N" >/dev/null
(cd "$work/one" && "$BIN" init -q --state CA >/dev/null && "$BIN" scan -q >/dev/null)
mkdir -p "$work/families"
for i in $(seq -w 1 "$M"); do cp -a "$work/one" "$work/families/family-$i"; done
export CASEBINDER_CONFIG_DIR="$work/config"
"$BIN" cases add --under "$work/families" -q >/dev/null
docs=$(cd "$work/one" && "$BIN" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
run() { # name, command… → "wall_seconds peak_kb"
  /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$work/t" || true
  tail -1 "$work/t"
}
median() { sort -n | sed -n 2p; }
rounds=$(cd "$work/families/family-$(seq -w 1 "$M" | head -1)" && for _ in 1 2 3; do run "$BIN" check --as-of 2024-06-30; done)
check=$(echo "$rounds" | cut -d' ' -f1 | median)
echo "casebinder check --as-of 2024-06-30 in one case of $docs documents: ${check} s wall, peak $(echo "$rounds" | cut -d' ' -f2 | median) KB"
for cmd in "cases list --as-of 2024-06-30" "desk --as-of 2024-06-30"; do
  rounds=$(for _ in 1 2 3; do run "$BIN" $cmd; done)
  wall=$(echo "$rounds" | cut -d' ' -f1 | median)
  peak=$(echo "$rounds" | cut -d' ' -f2 | median)
  ratio=$(awk -v a="$wall" -v b="$check" 'BEGIN { printf "%.2f", a / b }')
  echo "casebinder $cmd: $M cases of $docs documents: ${wall} s wall, peak ${peak} KB; ${ratio}x check in one case (target: at most 3x)"
done
