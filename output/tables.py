"""Flatten documents into rows of typed Parquet tables.

Every column has an explicit Arrow type (dates are date32), so pandas,
pyarrow and DuckDB load the files without cleaning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import pyarrow as pa

from ..model import Document, Issue, Span, TaskList

_LOCATION = [
    ("page_start", pa.int32()),
    ("page_end", pa.int32()),
    ("line_start", pa.int32()),
    ("line_end", pa.int32()),
    ("char_start", pa.int64()),
    ("char_end", pa.int64()),
]

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("format", pa.string()),
        ("kind", pa.string()),
        ("title", pa.string()),
        ("page_count", pa.int32()),
        ("issue_count", pa.int32()),
        ("status", pa.string()),
        ("error_code", pa.string()),
        ("error_message", pa.string()),
        ("warning_count", pa.int32()),
        ("json_path", pa.string()),
        ("extractor", pa.string()),
    ]
)

ISSUES = pa.schema(
    [
        ("issue_id", pa.string()),
        ("doc_id", pa.string()),
        ("list_no", pa.int32()),
        ("list_title", pa.string()),
        ("seq", pa.int32()),
        ("sub_seq", pa.int32()),
        ("label", pa.string()),
        ("problem", pa.string()),
        ("responsible_raw", pa.string()),
        ("acceptance_raw", pa.string()),
        ("goal", pa.string()),
        ("deadline_raw", pa.string()),
        ("deadline_due", pa.date32()),
        ("deadline_precision", pa.string()),
        ("deadline_immediate", pa.bool_()),
        ("deadline_ongoing", pa.bool_()),
        ("deadline_recurring", pa.string()),
        ("measure_count", pa.int32()),
        *_LOCATION,
    ]
)

MEASURES = pa.schema(
    [
        ("measure_id", pa.string()),
        ("issue_id", pa.string()),
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("label", pa.string()),
        ("text", pa.string()),
        ("milestone_count", pa.int32()),
        *_LOCATION,
    ]
)

MILESTONES = pa.schema(
    [
        ("milestone_id", pa.string()),
        ("measure_id", pa.string()),
        ("issue_id", pa.string()),
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("date_raw", pa.string()),
        ("due_date", pa.date32()),
        ("precision", pa.string()),
        ("year_inferred", pa.bool_()),
        ("text", pa.string()),
        *_LOCATION,
    ]
)


UNIT_LINKS = pa.schema(
    [
        ("issue_id", pa.string()),
        ("doc_id", pa.string()),
        ("role", pa.string()),
        ("raw", pa.string()),
        ("name", pa.string()),
        ("region", pa.string()),
        ("place", pa.string()),
        ("level", pa.string()),
        ("organ", pa.string()),
        ("collective", pa.bool_()),
        ("members", pa.list_(pa.string())),
        *_LOCATION,
    ]
)

UNITS = pa.schema(
    [
        ("name", pa.string()),
        ("region", pa.string()),
        ("place", pa.string()),
        ("level", pa.string()),
        ("organ", pa.string()),
        ("collective", pa.bool_()),
        ("members", pa.list_(pa.string())),
        ("aliases", pa.list_(pa.string())),
        ("link_count", pa.int32()),
    ]
)


@dataclass(frozen=True)
class DocumentRow:
    """One input file's outcome, with or without a document."""

    path: str
    document: Document | None
    sha256: str | None = None
    format: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    json_path: str | None = None
    extractor: str | None = None


def _location(span: Span) -> dict:
    return {
        "page_start": span.page_start,
        "page_end": span.page_end,
        "line_start": span.line_start,
        "line_end": span.line_end,
        "char_start": span.start,
        "char_end": span.end,
    }


def issue_id(doc_id: str, list_no: int, issue: Issue) -> str:
    base = f"{doc_id}:{list_no}:{issue.seq}"
    return base if issue.sub_seq is None else f"{base}.{issue.sub_seq}"


def walk_issues(doc: Document) -> Iterator[tuple[TaskList, Issue]]:
    """Every issue and sub-issue, parents before their sub-issues."""
    for task_list in doc.lists:
        for issue in task_list.issues:
            yield task_list, issue
            for sub in issue.sub_issues:
                yield task_list, sub


def document_row(row: DocumentRow) -> dict:
    doc = row.document
    return {
        "doc_id": doc.doc_id if doc else (row.sha256[:16] if row.sha256 else None),
        "path": row.path,
        "sha256": doc.source.sha256 if doc else row.sha256,
        "format": doc.source.format if doc else row.format,
        "kind": doc.kind.value if doc else None,
        "title": doc.title if doc else None,
        "page_count": doc.page_count if doc else None,
        "issue_count": sum(1 for _ in walk_issues(doc)) if doc else 0,
        "status": doc.status.value if doc else "error",
        "error_code": row.error_code,
        "error_message": row.error_message,
        "warning_count": len(doc.warnings) if doc else 0,
        "json_path": row.json_path,
        "extractor": row.extractor,
    }


def issue_rows(doc: Document) -> list[dict]:
    out = []
    for task_list, issue in walk_issues(doc):
        deadline = issue.deadline
        out.append(
            {
                "issue_id": issue_id(doc.doc_id, task_list.no, issue),
                "doc_id": doc.doc_id,
                "list_no": task_list.no,
                "list_title": task_list.title,
                "seq": issue.seq,
                "sub_seq": issue.sub_seq,
                "label": issue.label,
                "problem": issue.problem,
                "responsible_raw": issue.responsible_raw,
                "acceptance_raw": issue.acceptance_raw,
                "goal": issue.goal,
                "deadline_raw": deadline.raw if deadline else None,
                "deadline_due": deadline.due_date if deadline else None,
                "deadline_precision": deadline.precision if deadline else None,
                "deadline_immediate": deadline.immediate if deadline else None,
                "deadline_ongoing": deadline.ongoing if deadline else None,
                "deadline_recurring": deadline.recurring if deadline else None,
                "measure_count": len(issue.measures),
                **_location(issue.source),
            }
        )
    return out


def measure_rows(doc: Document) -> list[dict]:
    out = []
    for task_list, issue in walk_issues(doc):
        iid = issue_id(doc.doc_id, task_list.no, issue)
        for measure in issue.measures:
            out.append(
                {
                    "measure_id": f"{iid}:{measure.seq}",
                    "issue_id": iid,
                    "doc_id": doc.doc_id,
                    "seq": measure.seq,
                    "label": measure.label,
                    "text": measure.text,
                    "milestone_count": len(measure.milestones),
                    **_location(measure.span),
                }
            )
    return out


def milestone_rows(doc: Document) -> list[dict]:
    out = []
    for task_list, issue in walk_issues(doc):
        iid = issue_id(doc.doc_id, task_list.no, issue)
        for measure in issue.measures:
            mid = f"{iid}:{measure.seq}"
            for k, milestone in enumerate(measure.milestones, start=1):
                out.append(
                    {
                        "milestone_id": f"{mid}:{k}",
                        "measure_id": mid,
                        "issue_id": iid,
                        "doc_id": doc.doc_id,
                        "seq": k,
                        "date_raw": milestone.date_raw,
                        "due_date": milestone.due_date,
                        "precision": milestone.precision,
                        "year_inferred": milestone.year_inferred,
                        "text": milestone.text,
                        **_location(milestone.span),
                    }
                )
    return out


def unit_link_rows(doc: Document) -> list[dict]:
    out = []
    for task_list, issue in walk_issues(doc):
        iid = issue_id(doc.doc_id, task_list.no, issue)
        for key, units in issue.units.items():
            role = key.removesuffix("_units")
            for unit in units:
                out.append(
                    {
                        "issue_id": iid,
                        "doc_id": doc.doc_id,
                        "role": role,
                        "raw": unit.raw,
                        "name": unit.name,
                        "region": unit.region,
                        "place": unit.place,
                        "level": unit.level,
                        "organ": unit.organ,
                        "collective": unit.collective,
                        "members": unit.members,
                        **(_location(unit.span) if unit.span else dict.fromkeys(c for c, _ in _LOCATION)),
                    }
                )
    return out


_UNIT_FIELDS = ("region", "place", "level", "organ", "collective", "members")


class UnitCatalog:
    """units.parquet, kept up to date as documents' unit links come and go:
    one row per distinct canonical unit, every spelling seen (sorted) and
    the number of links. The result depends only on the links present, not
    on the order they were added in, so an incremental run and a clean run
    write the same table."""

    def __init__(self) -> None:
        # name → (Counter of field tuples, Counter of raw spellings)
        self._units: dict[str, tuple[Counter, Counter]] = {}

    def add(self, links: Iterable[dict], sign: int = 1) -> None:
        """Count unit_links rows in (sign 1) or out (sign -1)."""
        for link in links:
            fields, aliases = self._units.setdefault(link["name"], (Counter(), Counter()))
            fields[tuple(_hashable(link[key]) for key in _UNIT_FIELDS)] += sign
            aliases[link["raw"]] += sign

    def rows(self) -> list[dict]:
        out = []
        for name in sorted(self._units):
            fields, aliases = self._units[name]
            live = {raw: n for raw, n in aliases.items() if n > 0}
            if not live:
                continue
            # A name always resolves to the same fields; should two variants
            # ever appear, the most frequent (then the smallest) wins, so the
            # choice does not depend on the order documents were read in.
            values = min((v for v, n in fields.items() if n > 0), key=lambda v: (-fields[v], repr(v)))
            row = {"name": name} | dict(zip(_UNIT_FIELDS, values))
            row["members"] = list(row["members"])
            out.append(row | {"aliases": sorted(live), "link_count": sum(live.values())})
        return out


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class TableSpec:
    """A Parquet table with one group of rows per document: ``OUT/<name>/part-*.parquet``."""

    name: str
    schema: pa.Schema
    rows: Callable[[Document], list[dict]]


# The per-document tables, in the order they are written. A new kind of
# record adds its table here; the writers and the batch runner follow.
DOCUMENT_TABLES: tuple[TableSpec, ...] = (
    TableSpec("issues", ISSUES, issue_rows),
    TableSpec("measures", MEASURES, measure_rows),
    TableSpec("milestones", MILESTONES, milestone_rows),
    TableSpec("unit_links", UNIT_LINKS, unit_link_rows),
)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly ``schema``'s columns: a part written by an
    earlier version gains the columns added since (all null)."""
    columns = [
        table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)
