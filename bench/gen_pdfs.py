#!/usr/bin/env python3
"""Generates a folder of N distinct PDFs for the binder benchmark: two in three are text PDFs of
2-7 pages, one in three a scan (grey JPEG pages, no text layer) of 2-5 pages, as a family's
folder of district PDFs and phone/scanner copies looks.

usage: python3 bench/gen_pdfs.py DIR [N]      (needs pdftoppm for the scanned pages)
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from make_fixtures import image_pdf, pdf_bytes, render_jpeg  # noqa: E402

WORDS = ("reading fluency articulation occupational therapy speech language goal baseline progress "
         "minutes weekly classroom accommodation assessment teacher parent district services").split()


def page(rng, title, i, n):
    lines = ["# %s" % title, "Student: Maya Rivera", "Page %d of %d" % (i, n), ""]
    lines += [" ".join(rng.choice(WORDS) for _ in range(13)).capitalize() + "." for _ in range(30)]
    return lines


def main():
    root = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    rng = random.Random(7)
    os.makedirs(root, exist_ok=True)
    # A few scanned page images, rendered once and reused (each scan PDF still differs).
    scans = [render_jpeg(pdf_bytes([page(rng, "Scanned letter %d" % k, 1, 1)]), dpi=100, quality=50) for k in range(6)]
    pages = 0
    for i in range(n):
        year = 2019 + i % 6
        date = "%d-%02d-%02d" % (year, 1 + i % 12, 1 + i % 28)
        if i % 3 == 2:
            count = rng.randint(2, 5)
            data = image_pdf([scans[(i + k) % len(scans)] for k in range(count)])
            data += b"%% scan %d\n" % i
            name = "%s scan %04d.pdf" % (date, i)
        else:
            count = rng.randint(2, 7)
            title = "Progress Report on IEP Goals" if i % 2 else "Prior Written Notice"
            data = pdf_bytes([page(rng, "%s (%s)" % (title, date), k + 1, count) for k in range(count)])
            name = "%s document %04d.pdf" % (date, i)
        pages += count
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
    print(pages)


if __name__ == "__main__":
    main()
