#!/usr/bin/env bash
# casebinder next to the tools people already use, on the same generated files, in one run, with
# the ratio of each pair (casebinder / the other; below 1.0 casebinder is faster or smaller):
#   search (a word in every document, a word in none)   recollq
#   no-op rescan                                        git status (a repository of the same folder)
#   catalog size                                        the folder's own bytes
#   cold scan                                           recollindex (its full index of the folder)
#   a mailbox of M messages, each with a PDF attachment notmuch new and mu index (on a maildir of
#                                                       the same messages: neither reads an mbox)
#   binder of P PDFs (cover, index, stamps, bookmarks)  qpdf --empty --pages (a bare merge of the
#                                                       same files in the same order)
# Each timed pair runs in turn (A B A B ...), ROUNDS times for the long ones (default 3) and 21
# times for the short ones; the figures are medians of wall time.
# Tools that are not installed are left out of the table (Debian: recoll notmuch maildir-utils git).
# usage: bench/compare.sh [N] [M] [P]  (N files, default 10000; M messages, default 20000;
#                                      P PDFs for the binder, default 600; 0 skips)
#        BIG=20000 bench/compare.sh …  also times the no-op rescan on a folder of BIG files
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
M=${2:-20000}
P=${3:-600}
ROUNDS=${ROUNDS:-3}
cargo build --release --quiet
BIN=$PWD/target/release/casebinder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
have() { command -v "$1" >/dev/null 2>&1; }

now() { date +%s%N; }
# median of the numbers on stdin
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# pair RUNS "A command" "B command": runs them in turn, prints "median_a_seconds median_b_seconds"
pair() {
  local runs=$1 a=$2 b=$3 i t
  : >"$work/a.times"
  : >"$work/b.times"
  for ((i = 0; i < runs; i++)); do
    t=$(now); bash -c "$a" >/dev/null 2>&1 || true; echo $(( $(now) - t )) >>"$work/a.times"
    t=$(now); bash -c "$b" >/dev/null 2>&1 || true; echo $(( $(now) - t )) >>"$work/b.times"
  done
  echo "$(median <"$work/a.times" | awk '{ printf "%.4f", $1 / 1e9 }') $(median <"$work/b.times" | awk '{ printf "%.4f", $1 / 1e9 }')"
}
row() { # label a_seconds b_seconds other_label
  awk -v l="$1" -v a="$2" -v b="$3" -v o="$4" 'BEGIN {
    printf "| %-44s | %9.3f s | %-26s | %9.3f s | %5.2fx |\n", l, a, o, b, a / b }'
}
header() {
  echo "| workload                                     | casebinder  | other                      |             | ratio |"
  echo "|----------------------------------------------|-------------|----------------------------|-------------|-------|"
}

if [ "$N" -gt 0 ]; then
  case=$work/case
  python3 bench/gen_case.py "$case" "$N" >/dev/null
  folder_bytes=$(du -sb "$case" | cut -f1)
  files=$(find "$case" -type f | wc -l)
  # recoll: a private configuration that indexes just this folder, never casebinder's own files.
  rc=$work/recoll
  mkdir -p "$rc"
  printf 'topdirs = %s\nskippedNames+ = .casebinder .git\n' "$case" >"$rc/recoll.conf"
  cold_cb="rm -rf '$case/.casebinder' && cd '$case' && '$BIN' init >/dev/null && '$BIN' scan -q --no-progress"
  cold_rc="rm -rf '$rc/xapiandb' '$rc/idxstatus.txt' && recollindex -c '$rc' -z"
  echo "Generated case: $files files, $((folder_bytes / 1000000)) MB; $(nproc) cores"
  echo
  header
  if have recollindex; then
    read -r a b < <(pair "$ROUNDS" "$cold_cb" "$cold_rc")
    row "cold scan, $N files" "$a" "$b" "recollindex"
  else
    bash -c "$cold_cb" >/dev/null
    recollindex() { :; }
  fi
  [ -d "$case/.casebinder" ] || bash -c "$cold_cb" >/dev/null
  if have recollq; then
    read -r a b < <(pair 21 "cd '$case' && '$BIN' search --limit 20 fluency" "recollq -c '$rc' -n 20 fluency")
    row "search: a word in every document" "$a" "$b" "recollq"
    read -r a b < <(pair 21 "cd '$case' && '$BIN' search --limit 20 zebra" "recollq -c '$rc' -n 20 zebra")
    row "search: a word in no document" "$a" "$b" "recollq"
  fi
  if have git; then
    (cd "$case" && git init -q && git add -A . ':!.casebinder' && git -c user.email=b@e -c user.name=bench commit -qm files)
    read -r a b < <(pair 21 "cd '$case' && '$BIN' scan -q --no-progress" "git -C '$case' status --porcelain")
    row "no-op rescan, $N files" "$a" "$b" "git status"
  fi
  if have git && [ "${BIG:-0}" -gt 0 ]; then
    # The no-op rescan again on a folder of BIG files (scanned once, cold, not timed).
    big=$work/big
    python3 bench/gen_case.py "$big" "$BIG" >/dev/null
    (cd "$big" && "$BIN" init >/dev/null && "$BIN" scan -q --no-progress >/dev/null)
    (cd "$big" && git init -q && git add -A . ':!.casebinder' && git -c user.email=b@e -c user.name=bench commit -qm files)
    read -r a b < <(pair 21 "cd '$big' && '$BIN' scan -q --no-progress" "git -C '$big' status --porcelain")
    row "no-op rescan, $BIG files" "$a" "$b" "git status"
    rm -rf "$big"
  fi
  catalog_bytes=$(stat -c %s "$case/.casebinder/catalog.sqlite")
  awk -v c="$catalog_bytes" -v f="$folder_bytes" 'BEGIN {
    printf "| %-44s | %8.1f MB | %-26s | %8.1f MB | %5.2fx |\n", "catalog size", c / 1e6, "the folder", f / 1e6, c / f }'
  matched=$(cd "$case" && "$BIN" search --limit 1000000 --json fluency | grep -c '"id"')
  listed=$(cd "$case" && "$BIN" list --json fluency | grep -c '"sha256"')
  echo
  echo "search --limit 1000000 fluency: $matched documents; list fluency: $listed"
fi

if [ "$M" -gt 0 ]; then
  mb=$work/mail
  mkdir -p "$mb/case" "$mb/Maildir/cur" "$mb/Maildir/new" "$mb/Maildir/tmp"
  python3 bench/gen_mbox.py "$mb/case/All mail.mbox" "$M" >/dev/null
  python3 - "$mb/case/All mail.mbox" "$mb/Maildir" <<'PY'
import mailbox, sys
src, dst = sys.argv[1], sys.argv[2]
out = mailbox.Maildir(dst, create=True)
for msg in mailbox.mbox(src):
    out.add(msg)
PY
  printf '[database]\npath=%s\n[new]\ntags=inbox;\n[search]\nexclude_tags=\n' "$mb/Maildir" >"$mb/notmuch.conf"
  cold_cb="rm -rf '$mb/case/.casebinder' && cd '$mb/case' && '$BIN' init >/dev/null && '$BIN' scan -q --no-progress"
  echo
  echo "Mailbox: $M messages, $(( $(stat -c %s "$mb/case/All mail.mbox") / 1000000 )) MB, each with a PDF attachment"
  echo
  header
  if have notmuch; then
    read -r a b < <(pair "$ROUNDS" "$cold_cb" "rm -rf '$mb/Maildir/.notmuch' && NOTMUCH_CONFIG='$mb/notmuch.conf' notmuch new --quiet")
    row "mbox of $M messages, cold" "$a" "$b" "notmuch new"
  fi
  if have mu; then
    read -r a b < <(pair "$ROUNDS" "$cold_cb" "rm -rf '$mb/mu' && mu init --muhome='$mb/mu' --maildir='$mb/Maildir' >/dev/null && mu index --muhome='$mb/mu' --quiet")
    row "mbox of $M messages, cold" "$a" "$b" "mu index"
  fi
fi

if [ "$P" -gt 0 ] && have qpdf; then
  bd=$work/binder
  pages=$(python3 bench/gen_pdfs.py "$bd/case" "$P")
  (cd "$bd/case" && "$BIN" init >/dev/null && CASEBINDER_NO_HELPERS=1 "$BIN" scan -q --no-progress >/dev/null)
  (cd "$bd/case" && "$BIN" binder --no-tabs --date 2024-05-01 >/dev/null)
  python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print("\0".join(e["locator"] for e in m["exhibits"]), end="")' "$bd/case/Binders/due-process-binder-manifest.json" >"$bd/order"
  total=$(qpdf --show-npages "$bd/case/Binders/due-process-binder.pdf")
  build="cd '$bd/case' && rm -rf Binders && '$BIN' binder --no-tabs --date 2024-05-01"
  merge="cd '$bd/case' && xargs -0 -a '$bd/order' bash -c 'exec qpdf --empty --pages \"\$@\" -- $bd/qpdf.pdf' _"
  echo
  echo "Binder: $P PDFs, $pages source pages ($total pages with the binder's own)"
  echo
  header
  read -r a b < <(pair "$ROUNDS" "$build" "$merge")
  row "binder, $total pages" "$a" "$b" "qpdf --empty --pages"
  # How busy the cores were (one more run each): CPU seconds over wall seconds.
  cpu() { /usr/bin/time -f "%e s wall, %U s user + %S s system CPU (%P of one core)" bash -c "$1" 2>&1 >/dev/null | tail -1; }
  if [ -x /usr/bin/time ]; then
    echo
    echo "cores: $(nproc) · casebinder binder: $(cpu "$build") · qpdf: $(cpu "$merge")"
  fi
fi
