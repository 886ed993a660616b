#!/usr/bin/env bash
# Desk benchmark (issue 26): one generated case of N documents (default 2000) is scanned and
# copied into M case folders (default 50; a copy's catalog names its files by relative paths, so
# each copy is a case of its own), put on a desk, then `cases list` and `desk` are timed with
# the clock (wall; peak memory from /usr/bin/time), seven rounds each, medians, side by side with `check` in one
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
# The generator wrote the folders a moment before that scan, too close to it for the scan to
# vouch for their times (a folder changed within a tenth of a second of a scan is looked into
# file by file until a later scan): a later, no-op re-scan records them, as a case scanned
# again any time after its files arrived has them.
(cd "$work/one" && "$BIN" scan -q >/dev/null)
mkdir -p "$work/families"
for i in $(seq -w 1 "$M"); do cp -a "$work/one" "$work/families/family-$i"; done
export CASEBINDER_CONFIG_DIR="$work/config"
"$BIN" cases add --under "$work/families" -q >/dev/null
docs=$(cd "$work/one" && "$BIN" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
# wall time in seconds (from the clock's nanoseconds: /usr/bin/time's 10 ms steps are too coarse
# for `check`), and peak memory from /usr/bin/time in a run of its own.
wall() { local t; t=$(date +%s%N); "$@" >/dev/null 2>&1 || true; echo "$(( $(date +%s%N) - t ))"; }
peak() { /usr/bin/time -f "%M" "$@" >/dev/null 2>"$work/t" || true; tail -1 "$work/t"; }
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] / 1e9 }'; }
rounds=${ROUNDS:-7}
one="$work/families/family-$(seq -w 1 "$M" | head -1)"
check=$(cd "$one" && for _ in $(seq "$rounds"); do wall "$BIN" check --as-of 2024-06-30; done | median)
echo "casebinder check --as-of 2024-06-30 in one case of $docs documents: ${check} s wall (median of $rounds), peak $(cd "$one" && peak "$BIN" check --as-of 2024-06-30) KB"
for cmd in "cases list --as-of 2024-06-30" "cases list --files --as-of 2024-06-30" "desk --as-of 2024-06-30"; do
  t=$(for _ in $(seq "$rounds"); do wall "$BIN" $cmd; done | median)
  ratio=$(awk -v a="$t" -v b="$check" 'BEGIN { printf "%.2f", a / b }')
  echo "casebinder $cmd: $M cases of $docs documents: ${t} s wall (median of $rounds), peak $(peak "$BIN" $cmd) KB; ${ratio}x check in one case (target: at most 3x)"
done
