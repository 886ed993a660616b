#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser casebinder owns or calls on untrusted bytes, on
# stable Rust (cargo fuzz run -s none: coverage without a sanitizer). Each target starts from
# seeds taken from ../shared/corpus and fixtures/, runs for SECONDS, and the script reports the
# executions, the corpus it grew and any crash (saved under fuzz/artifacts/TARGET/; each one
# found becomes a regression test).
# usage: fuzz/run.sh [SECONDS] [TARGET...]      (needs cargo-fuzz: cargo install cargo-fuzz)
set -uo pipefail
cd "$(dirname "$0")"
SECS=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(mbox email dates docx pdf query image)
SHARED=../../shared/corpus
FIX=../fixtures/case
work=${FUZZ_WORK:-$(mktemp -d)}
mkdir -p "$work"

seed() { # target, files...
  local dir="$work/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 1000000 ] && cp "$f" "$dir/$(sha256sum "$f" | cut -c1-16)"; done
}
shopt -s nullglob globstar
seed mbox "$SHARED"/email-real/*.mbox "$FIX"/Takeout/**/*.mbox
seed email "$SHARED"/email-real/*.eml* "$FIX"/Emails/*.eml
seed dates "$FIX"/Notes/*.txt "$FIX"/Notes/*.md "$FIX"/Drafts/*.txt
seed docx "$SHARED"/docx-real/*.docx* "$FIX"/Letters/*.docx
seed pdf "$SHARED"/pdf-real/*.pdf "$SHARED"/pdf-malformed/*.pdf* "$FIX"/**/*.pdf
seed image "$SHARED"/images/*.png "$SHARED"/images/*.tif* "$SHARED"/images/*.jp*g "$FIX"/Photos/*.jpg
mkdir -p "$work/corpus/query"
printf 'kind:iep after:2023-01-01 "speech therapy"' > "$work/corpus/query/a"
printf -- '-kind:email tag:speech,ot before:2024-05-01 path:Letters' > "$work/corpus/query/b"
printf 'AT&T (draft "unclosed' > "$work/corpus/query/c"
printf 'Meeting Date: 10/03/2023\nDate of Report: 3 March 2024\nSchool year 2023-24\nDOB 05/12/2014' > "$work/corpus/dates/seed"

cargo fuzz build -s none --release >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
echo "| target | seconds | executions | exec/s | seeds | corpus after | crashes |"
echo "|---|---|---|---|---|---|---|"
status=0
for t in "${TARGETS[@]}"; do
  seeds=$(ls "$work/corpus/$t" | wc -l)
  mkdir -p "artifacts/$t"
  cargo fuzz run -s none --release "$t" "$work/corpus/$t" -- \
    -max_total_time="$SECS" -rss_limit_mb=3072 -timeout=30 -max_len=1048576 \
    -print_final_stats=1 >"$work/$t.log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(ls "artifacts/$t" | wc -l)
  after=$(ls "$work/corpus/$t" | wc -l)
  printf "| %s | %s | %s | %s | %s | %s | %s |\n" "$t" "$SECS" "${runs:-?}" "$(( ${runs:-0} / SECS ))" "$seeds" "$after" "$crashes"
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    status=1
    grep -E "panicked|ERROR|SUMMARY" "$work/$t.log" | head -5
  fi
done
echo "logs and grown corpus: $work"
exit $status
