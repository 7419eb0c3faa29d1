"""Which reader a file needs: by extension, or by its first bytes when the name says nothing."""

from __future__ import annotations

from pathlib import Path

from .blocks import Document


def detect(path: str | Path) -> str:
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("docx", "pdf", "xlsx", "txt", "md", "tsv"):
        return {"md": "text", "txt": "text", "tsv": "text"}.get(suffix, suffix)
    head = path.read_bytes()[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        import zipfile

        names = zipfile.ZipFile(path).namelist()
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return "text"


def read_any(path: str | Path) -> Document:
    kind = detect(path)
    if kind == "docx":
        from .read_docx import read_docx

        return read_docx(path)
    if kind == "pdf":
        from .read_pdf import read_pdf

        return read_pdf(path)
    if kind == "xlsx":
        from .read_xlsx import read_xlsx

        return read_xlsx(path)
    from .read_text import read_text_file

    return read_text_file(path)
