"""Scanned PDFs (no text layer): pages rendered with pdftoppm, read by tesseract in Vietnamese.

Debian's tesseract-ocr and tesseract-ocr-vie, called as programs: nothing to install in
Python, and the same binaries the server runs. OCR output is hard-wrapped text like a text
file; the result says OCR was used so every item gets a second look.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext_noop

from .blocks import Block, Document, clean

DPI = 300


def ocr_page_images(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
    )
    return sorted(folder.glob("page*.png"))


def ocr_image(image: Path) -> str:
    done = subprocess.run(
        ["tesseract", str(image), "-", "-l", "vie", "--psm", "4"],
        check=True,
        capture_output=True,
    )
    return done.stdout.decode("utf-8", errors="replace")


def read_scanned(path: str | Path) -> Document:
    blocks: list[Block] = []
    with tempfile.TemporaryDirectory() as folder:
        for number, image in enumerate(ocr_page_images(Path(path), Path(folder)), start=1):
            for i, line in enumerate(ocr_image(image).splitlines(), start=1):
                text = clean(line)
                if text and not (text.isdigit() and len(text) <= 3):
                    blocks.append(
                        Block(text=text, source=f"page {number} line {i} (OCR)", wrapped=True)
                    )
    return Document(
        blocks=blocks,
        format="pdf-ocr",
        notes=[gettext_noop("The PDF has no text layer: it was read by OCR. Check every item.")],
    )
