"""Word reader: .docx paragraphs and tables (python-docx); legacy .doc and
.wps through LibreOffice when it is installed.

Word files have no fixed pages: every line is on page 1 and its ``line`` is
the paragraph's 1-based index in the document, counting every paragraph in
order (empty ones too), a table's cell paragraphs row by row and cell by
cell. A soft line break inside a paragraph is read as a paragraph break
(both lines keep the paragraph's index).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import Errors, Warnings, ZhenggaiError
from ..model import Diagnostic
from .source import PhysicalLine, SourceTable, TableCell

LEGACY_SUFFIXES = (".doc", ".wps")
# Seconds LibreOffice may take to convert one legacy file.
CONVERT_TIMEOUT = 120


def read_docx(data: bytes, path: str) -> tuple[list[PhysicalLine], list[SourceTable]]:
    """Raises ZhenggaiError(docx_unreadable)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError) as exc:
        raise ZhenggaiError(Errors.docx_unreadable, path, detail=f"{type(exc).__name__}: {exc}") from exc
    lines: list[PhysicalLine] = []
    tables: list[SourceTable] = []
    number = 0

    def add(paragraph: Paragraph) -> tuple[int, ...]:
        nonlocal number
        number += 1
        first = len(lines)
        for text in paragraph.text.split("\n"):
            if text.strip():
                lines.append(PhysicalLine(page=1, line=number, text=text, ends_paragraph=True))
        return tuple(range(first, len(lines)))

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            add(block)
            continue
        cells = []
        for r, row in enumerate(block.rows):
            seen = set()  # a cell merged across columns appears once per column
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                indices = tuple(i for paragraph in cell.paragraphs for i in add(paragraph))
                cells.append(TableCell(r, len(seen) - 1, indices))
        tables.append(SourceTable(cells=cells))
    return lines, tables


def convert_legacy(path: Path) -> tuple[bytes, Diagnostic]:
    """A .doc/.wps file as .docx bytes, converted by LibreOffice. Raises
    ZhenggaiError(legacy_word_format) when LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    suffix = path.suffix.lower()
    if soffice is None:
        raise ZhenggaiError(Errors.legacy_word_format, path, suffix=suffix)
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            soffice,
            f"-env:UserInstallation=file://{tmp}/profile",  # runs beside an open LibreOffice
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(path),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=True)
            data = (Path(tmp) / f"{path.stem}.docx").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise ZhenggaiError(
                Errors.docx_unreadable, path, detail=f"LibreOffice could not convert it ({type(exc).__name__})"
            ) from exc
    note = Diagnostic(code=Warnings.converted_legacy_word.code, message=Warnings.converted_legacy_word.format(suffix=suffix))
    return data, note
