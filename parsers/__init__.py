"""Parse stage: cleaned text → ``Document`` with its task lists, issues,
fields and measures; for a five-year plan its heading tree, indicator
tables and key-project boxes. Values are exact substrings of the cleaned text, each
with its span; dates are left to the normalize stage."""

from __future__ import annotations

from ..errors import Warnings
from ..extract import CleanText
from ..model import Diagnostic, Document, DocumentDate, DocumentKind, SourceInfo, Status, TaskList, Unit
from .indicators import parse_indicator_tables
from .issues import parse_issues
from .labels import LabelVocabulary, load_labels
from .outline import parse_outline
from .projects import parse_projects
from .structure import (
    ANNEX_HEADING,
    Paragraph,
    detect_kind,
    find_lists,
    find_signature,
    is_title_line,
    issuer_in_title,
    title_paragraphs,
)
from .tables import TaskTable, table_issues, task_tables

__all__ = ["LabelVocabulary", "load_labels", "parse"]


def parse(clean: CleanText, source: SourceInfo, doc_id: str, labels: LabelVocabulary | None = None) -> Document:
    labels = labels or load_labels()
    text = clean.text
    paragraphs = [Paragraph(start, para) for start, para in clean.paragraphs() if para]
    warnings: list[Diagnostic] = list(clean.warnings)
    # The title is the leading title lines before any table.
    first_table = min((t.start for t in clean.tables), default=len(text))
    titles = title_paragraphs([p for p in paragraphs if p.end <= first_table])
    title = "".join(p.text for p in titles)
    signature = find_signature(paragraphs)
    if signature is not None:
        # The closing block is not part of the last issue.
        paragraphs = paragraphs[: signature.first]

    tables = task_tables(clean, labels)
    # Prose lists are looked for outside the task tables.
    table_bounds = [(t.start, t.end) for t in tables]  # each a min/max over the cells
    prose = [p for p in paragraphs if not any(start <= p.start < end for start, end in table_bounds)]
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
        lists.append(_table_list(table, paragraphs, text, clean, labels, warnings, numbered=len(lists)))
    lists.sort(key=lambda lst: lst.span.start)

    kind = detect_kind(title, has_task_list=bool(lists), opening=paragraphs[0].text if paragraphs else "")
    plan_parts: dict = {}
    if kind == DocumentKind.five_year_plan:
        plan_parts = {
            "sections": parse_outline(paragraphs, text, clean.span),
            "indicators": parse_indicator_tables(paragraphs, clean.span, warnings),
            "projects": parse_projects(paragraphs, text, clean.span),
        }
    elif not lists:
        warnings.append(Diagnostic(code=Warnings.no_task_list.code, message=Warnings.no_task_list.format()))
    return Document(
        doc_id=doc_id,
        source=source,
        kind=kind,
        status=Status.ok,
        title=title,
        issuer=_issuer(titles, signature, text, clean),
        date=DocumentDate(raw=signature.date.text, span=clean.span(signature.date.start, signature.date.end))
        if signature
        else None,
        page_count=clean.page_count,
        lists=lists,
        **plan_parts,
        warnings=warnings,
        text=text,
        text_map=clean.runs(),
    )


def _table_list(
    table: TaskTable,
    paragraphs: list[Paragraph],
    text: str,
    clean: CleanText,
    labels: LabelVocabulary,
    warnings: list[Diagnostic],
    numbered: int,
) -> TaskList:
    """A task list read from a table; its number comes from the annex
    heading ("附件 2") before the table, its title from the title lines
    between that heading and the table."""
    table_start = table.start  # a min over the cells
    before = [p for p in paragraphs if p.end <= table_start]
    heading = next((k for k in range(len(before) - 1, -1, -1) if ANNEX_HEADING.match(before[k].text)), None)
    titles: list[Paragraph] = []
    for para in reversed(before[heading + 1 :] if heading is not None else before):
        if not is_title_line(para.text):
            break
        titles.insert(0, para)
    number = ANNEX_HEADING.match(before[heading].text).group("num") if heading is not None else None
    issues = table_issues(table, text, labels, clean.span, warnings)
    first_row = min(cell.start for cell in table.table.cells if cell.end > cell.start)
    span = clean.span(titles[0].start, titles[-1].end) if titles else clean.span(first_row, first_row + 1)
    return TaskList(
        no=int(number) if number else numbered + 1,
        title="".join(p.text for p in titles),
        issues=issues,
        span=span,
    )


def _issuer(titles: list[Paragraph], signature, text: str, clean: CleanText) -> Unit | None:
    """Where the issuer is printed, unresolved: the start of the title, else
    the first signatory. The normalize stage resolves it."""
    bounds = issuer_in_title(titles)
    if bounds is None and signature is not None and signature.signatories:
        first = signature.signatories[0]
        bounds = (first.start, first.end)
    if bounds is None:
        return None
    raw = text[bounds[0] : bounds[1]]
    return Unit(raw=raw, name=raw, level="other", span=clean.span(*bounds))
