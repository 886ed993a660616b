#!/usr/bin/env python3
"""A Gmail-Takeout-like mbox: N messages of about SIZE_KB each, every one with a PDF attachment
(its own text, so every attachment is a different document), written as a stream.

usage: bench/gen_mbox.py OUT.mbox N [SIZE_KB]
"""
import base64
import os
import sys


def pdf(text: str, pad: int) -> bytes:
    """A one-page PDF with `text`, padded with an incompressible stream to about `pad` bytes."""
    content = f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET".encode()
    noise = os.urandom(max(pad, 0))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /N 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length %d >>\nstream\n" % len(noise)
        + noise
        + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def main() -> None:
    path, n = sys.argv[1], int(sys.argv[2])
    size_kb = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    pad = int(size_kb * 1024 * 3 / 4) - 1500
    with open(path, "wb") as f:
        for i in range(n):
            day = 1 + i % 28
            body = (
                f"Dear Ms. Rivera,\n\nAbout the IEP meeting and the speech therapy minutes, message {i}.\n"
                "Please find the progress report attached.\n\nSincerely,\nDaniela Ortiz\n"
            )
            att = base64.encodebytes(pdf(f"Progress report {i} for Maya Rivera", pad)).decode()
            msg = (
                f"From {i}@xxx Mon Jan {day:02d} 10:00:00 +0000 2024\n"
                f"X-GM-THRID: {1000 + i}\nX-Gmail-Labels: Inbox,IEP\n"
                f"From: Daniela Ortiz <dortiz@district.example>\nTo: ana@example.com\n"
                f"Subject: Progress report {i}\nDate: Mon, {day:02d} Jan 2024 10:00:00 -0800\n"
                f"Message-ID: <msg{i}@district.example>\nMIME-Version: 1.0\n"
                'Content-Type: multipart/mixed; boundary="b"\n\n'
                "--b\nContent-Type: text/plain; charset=utf-8\n\n"
                f"{body}\n--b\nContent-Type: application/pdf; name=\"report-{i}.pdf\"\n"
                f"Content-Disposition: attachment; filename=\"report-{i}.pdf\"\n"
                "Content-Transfer-Encoding: base64\n\n"
                f"{att}\n--b--\n\n"
            )
            f.write(msg.encode())


if __name__ == "__main__":
    main()
