"""Stable error and warning codes.

An error stops one document (its row in documents.parquet says status
"error" with the code); a warning is kept in the document's ``warnings``.
Warnings marked ``degrades`` mean part of the document could not be read as
intended, which makes the document's status "partial".

Codes are part of the output contract: never renumber or rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import path_text


@dataclass(frozen=True)
class Code:
    code: str
    template: str
    degrades: bool = False

    def format(self, **kwargs: object) -> str:
        return self.template.format(**kwargs)


class Errors:
    file_not_found = Code("file_not_found", "no such file")
    not_a_file = Code("not_a_file", "not a regular file")
    empty_file = Code("empty_file", "the file is empty (0 bytes)")
    unsupported_format = Code(
        "unsupported_format", "unsupported format {suffix!r} (supported: {supported})"
    )
    undecodable_text = Code(
        "undecodable_text", "cannot decode the text as UTF-8, UTF-16 or GB18030"
    )
    pdf_unreadable = Code("pdf_unreadable", "cannot open the PDF: {detail}")
    pdf_encrypted = Code("pdf_encrypted", "the PDF is encrypted and no valid password was given")
    no_text = Code("no_text", "no text could be read from the file")
    not_a_document = Code("not_a_document", "the JSON is not a zhenggai document: {detail}")
    wrong_kind = Code("wrong_kind", "expected a {expected}, but the document reads as {kind}")
    no_region = Code("no_region", "the report names no issuing region in its title or signature")
    internal_error = Code("internal_error", "unexpected {exc_type}: {detail} (please report this file)")
    no_text_layer = Code(
        "no_text_layer",
        "the PDF has no text layer (a scan?): install the OCR extra (pip install zhenggai[ocr] "
        "and Debian's tesseract-ocr, tesseract-ocr-chi-sim) to read it",
    )
    cid_garbage = Code(
        "cid_garbage",
        "the PDF's fonts have no Unicode map, so its text cannot be read ({sample!r}); "
        "install the OCR extra to read it from the page images",
    )
    legacy_word_format = Code(
        "legacy_word_format",
        "{suffix} is a legacy Word format: convert it to .docx (or install LibreOffice, "
        "whose soffice converts it automatically)",
    )
    docx_unreadable = Code("docx_unreadable", "cannot open the Word file: {detail}")
    not_a_pdf = Code("not_a_pdf", "named .pdf but not a PDF (no %PDF- header; it starts with {head})")
    pdf_truncated = Code(
        "pdf_truncated", "the PDF is cut short ({size} bytes, no %%EOF at its end) and cannot be read: download it again"
    )
    pdf_wrong_password = Code("pdf_wrong_password", "the PDF is encrypted and the password given does not open it")
    # Limits of a batch run's worker processes (zhenggai extract --timeout/--max-memory).
    timeout = Code("timeout", "gave up after {seconds:g} s (--timeout); the worker reading it was stopped")
    too_large = Code("too_large", "reading it needs more than {megabytes} MB of memory (--max-memory)")
    worker_crashed = Code("worker_crashed", "the worker process reading it died ({cause})")
    output_unwritable = Code(
        "output_unwritable",
        "cannot write the output: {detail} (the batches committed before stay; a batch whose commit"
        " had begun is finished by the next run)",
    )


class Warnings:
    numbering_gap = Code(
        "numbering_gap", "{what} {got} follows {prev}: expected {expected}", degrades=True
    )
    issue_without_fields = Code(
        "issue_without_fields", "issue {label} has no labelled fields", degrades=True
    )
    duplicate_field = Code(
        "duplicate_field", "issue {label} repeats the field {field!r}; the texts were joined"
    )
    deadline_unreadable = Code(
        "deadline_unreadable", "cannot read a date in the deadline {raw!r}", degrades=True
    )
    milestone_year_inferred = Code(
        "milestone_year_inferred", "the date {raw!r} has no year; {year} was assumed"
    )
    no_task_list = Code("no_task_list", "no task list (整改任务清单) was found")
    no_reference_year = Code(
        "no_reference_year", "the document names no year; dates printed without one stay undated"
    )
    unit_unknown = Code(
        "unit_unknown", "the unit gazetteer does not know {raw!r}; it is kept as printed (level other)"
    )
    no_report_date = Code(
        "no_report_date",
        "the progress report prints no signing date; year-less dates take {year}, the latest year its entries name",
    )
    duplicated_text = Code(
        "duplicated_text", "removed a sentence printed twice in a row ({text!r}), as fake-bold PDFs do"
    )
    pages_without_text = Code(
        "pages_without_text",
        "pages {pages} have no text layer (scans?) and were not read; the OCR extra reads them",
        degrades=True,
    )
    pages_cid_garbage = Code(
        "pages_cid_garbage",
        "pages {pages} use fonts without a Unicode map; their text was dropped; the OCR extra reads them",
        degrades=True,
    )
    ocr_text = Code(
        "ocr_text", "the text of pages {pages} was read by OCR (tesseract): check values against the page images"
    )
    table_row_unnumbered = Code(
        "table_row_unnumbered", "a task-table row has no number in its 序号 cell; numbered {seq}", degrades=True
    )
    converted_legacy_word = Code(
        "converted_legacy_word", "converted from {suffix} with LibreOffice before reading"
    )
    table_cell_dropped = Code(
        "table_cell_dropped",
        "dropped the one-character cell {cell!r} of table {table}: a piece of vertical text the converter spilled into a row",
    )
    target_unreadable = Code(
        "target_unreadable", "no quantity could be read in the target {text!r}; it is kept as text"
    )
    text_cut_short = Code(
        "text_cut_short",
        "the file ends inside a character, so it was cut short; the last {count} bytes ({encoding}) were dropped",
        degrades=True,
    )
    charset_mismatch = Code(
        "charset_mismatch", "the page declares charset {declared} but its bytes are not {declared}; read as {used}"
    )


class ZhenggaiError(Exception):
    """An error that stops one document. Carries a stable code."""

    def __init__(self, code: Code, path: Path | str | None = None, **kwargs: object):
        self.code = code
        self.path = path_text(path) if path is not None else None
        self.detail = code.format(**kwargs)
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"[{self.code.code}] {where}{self.detail}"
