"""Parse stage: cleaned text → ``Document`` with its task lists, issues,
fields and measures. Values are exact substrings of the cleaned text, each
with its span; dates are left to the normalize stage."""

from __future__ import annotations

from ..errors import Warnings
from ..extract import CleanText
from ..model import Diagnostic, Document, DocumentKind, SourceInfo, Status, TaskList
from .issues import parse_issues
from .labels import LabelVocabulary, load_labels
from .structure import ANNEX_HEADING, Paragraph, detect_kind, find_lists, is_title_line, title_paragraphs
from .tables import TaskTable, table_issues, task_tables

__all__ = ["LabelVocabulary", "load_labels", "parse"]


def parse(clean: CleanText, source: SourceInfo, doc_id: str, labels: LabelVocabulary | None = None) -> Document:
    labels = labels or load_labels()
    text = clean.text
    paragraphs = [Paragraph(start, para) for start, para in clean.paragraphs() if para]
    warnings: list[Diagnostic] = list(clean.warnings)
    # The title is the leading title lines before any table.
    first_table = min((t.start for t in clean.tables), default=len(text))
    title = "".join(p.text for p in title_paragraphs([p for p in paragraphs if p.end <= first_table]))

    tables = task_tables(clean, labels)
    # Prose lists are looked for outside the task tables.
    prose = [p for p in paragraphs if not any(t.start <= p.start < t.end for t in tables)]
    lists = []
    for extent in find_lists(prose, labels):
        body = prose[extent.first : extent.stop]
        issues = parse_issues(body, text, labels, clean.span, warnings)
        if extent.title_paragraphs:
            span = clean.span(extent.title_paragraphs[0].start, extent.title_paragraphs[-1].end)
        else:
            span = clean.span(body[0].start, body[0].end)
        list_title = "".join(p.text for p in extent.title_paragraphs)
        lists.append(TaskList(no=extent.no, title=list_title, issues=issues, span=span))
    for table in tables:
        lists.append(_table_list(table, paragraphs, text, clean, warnings, numbered=len(lists)))
    lists.sort(key=lambda lst: lst.span.start)

    kind = detect_kind(title, has_task_list=bool(lists))
    if not lists:
        warnings.append(Diagnostic(code=Warnings.no_task_list.code, message=Warnings.no_task_list.format()))
    return Document(
        doc_id=doc_id,
        source=source,
        kind=kind,
        status=Status.ok,
        title=title,
        page_count=clean.page_count,
        lists=lists,
        warnings=warnings,
        text=text,
        text_map=clean.runs(),
    )


def _table_list(
    table: TaskTable, paragraphs: list[Paragraph], text: str, clean: CleanText, warnings: list[Diagnostic], numbered: int
) -> TaskList:
    """A task list read from a table; its number comes from the annex
    heading ("附件 2") before the table, its title from the title lines
    between that heading and the table."""
    before = [p for p in paragraphs if p.end <= table.start]
    heading = next((k for k in range(len(before) - 1, -1, -1) if ANNEX_HEADING.match(before[k].text)), None)
    titles: list[Paragraph] = []
    for para in reversed(before[heading + 1 :] if heading is not None else before):
        if not is_title_line(para.text):
            break
        titles.insert(0, para)
    number = ANNEX_HEADING.match(before[heading].text).group("num") if heading is not None else None
    issues = table_issues(table, text, clean.span, warnings)
    first_row = min(cell.start for cell in table.table.cells if cell.end > cell.start)
    span = clean.span(titles[0].start, titles[-1].end) if titles else clean.span(first_row, first_row + 1)
    return TaskList(
        no=int(number) if number else numbered + 1,
        title="".join(p.text for p in titles),
        issues=issues,
        span=span,
    )
