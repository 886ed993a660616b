#!/usr/bin/env python3
"""Generates a large fictional case for the scan benchmark: N files, about 60% text PDFs of 1-4
pages and 40% emails (one in five with a PDF attachment), all with distinct content.

usage: python3 bench/gen_case.py DIR [N]
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from make_fixtures import make_email, pdf_bytes  # noqa: E402

KINDS = [
    ("Individualized Education Program", "IEP Meeting Date"),
    ("Progress Report on IEP Goals", "Report Date"),
    ("Prior Written Notice", "Date Sent"),
    ("Psychoeducational Evaluation Report", "Date of Report"),
    ("Notice of Meeting", "Date of Notice"),
]
WORDS = ("reading fluency articulation occupational therapy speech language goal baseline progress "
         "minutes weekly classroom accommodation assessment teacher parent district services").split()


def text_line(rng):
    return " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "."


def main():
    root = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rng = random.Random(42)
    for i in range(n):
        year = 2019 + i % 6
        month = 1 + i % 12
        day = 1 + i % 28
        folder = os.path.join(root, "%d" % year, "%02d" % month)
        os.makedirs(folder, exist_ok=True)
        if i % 5 < 3:
            title, label = KINDS[i % len(KINDS)]
            pages = []
            for p in range(1 + i % 4):
                lines = ["# " + title, "Lakeside Unified School District", "Student: Maya Rivera   Date of Birth: 05/12/2014",
                         "%s: %02d/%02d/%d   (document %d, page %d)" % (label, month, day, year, i, p + 1), ""]
                lines += [text_line(rng) for _ in range(30)]
                pages.append(lines)
            with open(os.path.join(folder, "doc %05d.pdf" % i), "wb") as f:
                f.write(pdf_bytes(pages))
        else:
            atts = []
            if i % 25 == 4:
                atts = [("attachment %05d.pdf" % i, pdf_bytes([["# Attachment %d" % i, text_line(rng), text_line(rng)]]))]
            body = "\n".join(text_line(rng) for _ in range(20)) + "\n"
            msg = make_email("Teacher %d <t%d@lakeside-usd.example.org>" % (i % 40, i % 40), "Ana Rivera <ana.rivera@example.com>",
                             "Update %d about Maya" % i, "Mon, %d Oct %d 10:%02d:00 -0700" % (day, year, i % 60),
                             "<bench-%d@lakeside-usd.example.org>" % i, body, attachments=atts)
            with open(os.path.join(folder, "mail %05d.eml" % i), "wb") as f:
                f.write(msg)


if __name__ == "__main__":
    main()
