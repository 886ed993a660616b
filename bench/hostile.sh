#!/usr/bin/env bash
# Hostile inputs, bounded: each is scanned by casebinder under /usr/bin/time -v (wall time and
# peak memory, the largest process of the run, helpers included).
#   1. an email whose Subject holds N encoded words (default 400,000)
#   2. a scanned PDF whose page holds a 60000 x 60000 image, and one whose page is 60000 pt wide
#      (OCR renders each page within a pixel budget)
#   3. a Gmail-Takeout-like mbox of M messages of about 100 KB, each with a PDF attachment
#      (default 20,000: about 2 GB), read as a stream
# With BASELINE_BIN set to another casebinder binary, case 1 is also timed with it.
# usage: bench/hostile.sh [N] [M]      (needs python3, /usr/bin/time; OCR needs poppler and tesseract)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-400000}
M=${2:-20000}
cargo build --release --quiet
BIN=$PWD/target/release/casebinder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label dir binary -> one table row
  local label=$1 dir=$2 bin=${3:-$BIN}
  rm -rf "$dir/.casebinder"
  (cd "$dir" && "$bin" init >/dev/null)
  (cd "$dir" && /usr/bin/time -v "$bin" scan --no-progress >/dev/null 2>"$work/time.txt") || true
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  printf "| %-58s | %10s | %8.1f MB |\n" "$label" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

mkdir -p "$work/subject" "$work/ocr" "$work/ocr-page" "$work/mbox"
python3 - "$work/subject/flood.eml" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("From: a@x.example\r\nSubject: " + "=?UTF-8?B?w6k=?= " * n + "\r\n")
    f.write("Date: Mon, 4 Dec 2023 10:00:00 -0800\r\n\r\nBody.\r\n")
PY
python3 - "$work/ocr/huge-image.pdf" "$work/ocr-page/huge-page.pdf" <<'PY'
import sys, zlib
def pdf(path, media, w, h):
    # A 1-bit white image (a blank scan) of w x h pixels, drawn over the whole page.
    row = b"\x00" + b"\xff" * ((w + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(h)) + comp.flush()
    content = b"q %d 0 0 %d 0 0 cm /Im Do Q" % (media[0], media[1])
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << /XObject << /Im 5 0 R >> >> >>" % media,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns %d /Colors 1 /BitsPerComponent 1 >> /Length %d >>\nstream\n"
        % (w, h, w, len(data)) + data + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"; offs = []
    for i, o in enumerate(objs):
        offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs: out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(path, "wb").write(out)
pdf(sys.argv[1], (612, 792), 60000, 60000)
pdf(sys.argv[2], (60000, 60000), 2000, 2000)
PY
python3 bench/gen_mbox.py "$work/mbox/All mail Including Spam and Trash.mbox" "$M" 100
sizes() { du -sh "$1" | cut -f1; }
echo "Hostile inputs, bounded ($(nproc) cores)"
echo
echo "| input                                                      |       wall |  peak memory |"
echo "|------------------------------------------------------------|------------|--------------|"
measure "Subject of $N encoded words ($(sizes "$work/subject"))" "$work/subject"
if [ -n "${BASELINE_BIN:-}" ]; then
  measure "  the same, BASELINE_BIN" "$work/subject" "$BASELINE_BIN"
fi
measure "scan with a 60000x60000 image on its page ($(sizes "$work/ocr"))" "$work/ocr"
measure "scan whose page is 60000 pt square ($(sizes "$work/ocr-page"))" "$work/ocr-page"
measure "mbox of $M messages with PDF attachments ($(sizes "$work/mbox"))" "$work/mbox"
(cd "$work/mbox" && echo "documents from the mbox: $("$BIN" list --json | grep -c '"sha256"')")
