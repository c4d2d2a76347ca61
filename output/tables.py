"""Flatten documents into rows of typed Parquet tables.

Every column has an explicit Arrow type (dates are date32), so pandas,
pyarrow and DuckDB load the files without cleaning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Document, Issue, Quantity, Span, walk_issues
from .atomic import atomic_path

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
        ("issuer", pa.string()),
        ("issuer_raw", pa.string()),
        ("document_date", pa.date32()),
        ("reference_year", pa.int32()),
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
        ("status_raw", pa.string()),
        ("status", pa.string()),
        ("plan_ref", pa.int32()),
        ("plan_ref_scope", pa.string()),
        ("progress_entry_count", pa.int32()),
        *_LOCATION,
    ]
)

PROGRESS_ENTRIES = pa.schema(
    [
        ("entry_id", pa.string()),
        ("issue_id", pa.string()),
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("label", pa.string()),
        ("text", pa.string()),
        ("date_count", pa.int32()),
        *_LOCATION,
    ]
)

PROGRESS_DATES = pa.schema(
    [
        ("entry_id", pa.string()),
        ("issue_id", pa.string()),
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("role", pa.string()),
        ("date_raw", pa.string()),
        ("date", pa.date32()),
        ("precision", pa.string()),
        ("year_inferred", pa.bool_()),
        ("text", pa.string()),
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

SECTIONS = pa.schema(
    [
        ("section_id", pa.string()),
        ("doc_id", pa.string()),
        ("parent_id", pa.string()),
        ("level", pa.int32()),
        ("marker", pa.string()),
        ("label", pa.string()),
        ("number", pa.int32()),
        ("heading", pa.string()),
        ("body", pa.string()),
        *_LOCATION,
    ]
)


def _quantity_columns(prefix: str) -> list[tuple[str, pa.DataType]]:
    return [
        (f"{prefix}_raw", pa.string()),
        (f"{prefix}_number", pa.float64()),
        (f"{prefix}_comparator", pa.string()),
        (f"{prefix}_year", pa.int32()),
    ]


INDICATORS = pa.schema(
    [
        ("indicator_id", pa.string()),
        ("doc_id", pa.string()),
        ("table_no", pa.string()),
        ("table_title", pa.string()),
        ("table_kind", pa.string()),
        ("category", pa.string()),
        ("number", pa.int32()),
        ("part", pa.int32()),
        ("name", pa.string()),
        ("unit", pa.string()),
        ("scope", pa.string()),
        *_quantity_columns("baseline"),
        *_quantity_columns("target"),
        *_quantity_columns("achieved"),
        ("attribute", pa.string()),
        ("completion", pa.string()),
        ("completed", pa.bool_()),
        *_LOCATION,
    ]
)

TARGETS = pa.schema(
    [
        ("target_id", pa.string()),
        ("doc_id", pa.string()),
        ("year", pa.int32()),
        ("subject", pa.string()),
        ("scope", pa.string()),
        ("value", pa.float64()),
        ("value_raw", pa.string()),
        ("unit", pa.string()),
        ("comparator", pa.string()),
        ("change", pa.string()),
        ("phrase", pa.string()),
        ("sentence", pa.string()),
        *_LOCATION,
    ]
)

PROJECTS = pa.schema(
    [
        ("project_id", pa.string()),
        ("doc_id", pa.string()),
        ("box", pa.int32()),
        ("box_title", pa.string()),
        ("seq", pa.int32()),
        ("name", pa.string()),
        ("description", pa.string()),
        ("unit_names", pa.list_(pa.string())),
        ("unit_raws", pa.list_(pa.string())),
        *_LOCATION,
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
        "issuer": doc.issuer.name if doc and doc.issuer else None,
        "issuer_raw": doc.issuer.raw if doc and doc.issuer else None,
        "document_date": doc.date.value if doc and doc.date else None,
        "reference_year": doc.reference_year if doc else None,
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
                "status_raw": issue.status_raw,
                "status": issue.status,
                "plan_ref": issue.plan_ref,
                "plan_ref_scope": issue.plan_ref_scope,
                "progress_entry_count": len(issue.progress_entries),
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


def progress_entry_rows(doc: Document) -> list[dict]:
    out = []
    for task_list, issue in walk_issues(doc):
        iid = issue_id(doc.doc_id, task_list.no, issue)
        for entry in issue.progress_entries:
            out.append(
                {
                    "entry_id": f"{iid}:{entry.seq}",
                    "issue_id": iid,
                    "doc_id": doc.doc_id,
                    "seq": entry.seq,
                    "label": entry.label,
                    "text": entry.text,
                    "date_count": len(entry.dates),
                    **_location(entry.span),
                }
            )
    return out


def progress_date_rows(doc: Document) -> list[dict]:
    out = []
    for task_list, issue in walk_issues(doc):
        iid = issue_id(doc.doc_id, task_list.no, issue)
        for entry in issue.progress_entries:
            for k, fact in enumerate(entry.dates, start=1):
                out.append(
                    {
                        "entry_id": f"{iid}:{entry.seq}",
                        "issue_id": iid,
                        "doc_id": doc.doc_id,
                        "seq": k,
                        "role": fact.role,
                        "date_raw": fact.date_raw,
                        "date": fact.date,
                        "precision": fact.precision,
                        "year_inferred": fact.year_inferred,
                        "text": fact.text,
                        **_location(fact.span),
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

    def merge(self, other: UnitCatalog) -> None:
        """Count in what ``other`` counted."""
        for name, (other_fields, other_aliases) in other._units.items():
            fields, aliases = self._units.setdefault(name, (Counter(), Counter()))
            fields.update(other_fields)
            aliases.update(other_aliases)

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


def section_rows(doc: Document) -> list[dict]:
    return [
        {
            "section_id": f"{doc.doc_id}:{s.id}",
            "doc_id": doc.doc_id,
            "parent_id": f"{doc.doc_id}:{s.parent_id}" if s.parent_id else None,
            "level": s.level,
            "marker": s.marker,
            "label": s.label,
            "number": s.number,
            "heading": s.heading,
            "body": s.body,
            **_location(s.span),
        }
        for s in doc.sections
    ]


def _quantity(prefix: str, value: Quantity | None, year: int | None) -> dict:
    return {
        f"{prefix}_raw": value.raw if value else None,
        f"{prefix}_number": value.number if value else None,
        f"{prefix}_comparator": value.comparator if value else None,
        f"{prefix}_year": year,
    }


def indicator_rows(doc: Document) -> list[dict]:
    return [
        {
            "indicator_id": f"{doc.doc_id}:{i.table}:{i.number if i.number is not None else k}.{i.part}",
            "doc_id": doc.doc_id,
            "table_no": i.table,
            "table_title": i.table_title,
            "table_kind": i.table_kind,
            "category": i.category,
            "number": i.number,
            "part": i.part,
            "name": i.name,
            "unit": i.unit,
            "scope": i.scope,
            **_quantity("baseline", i.baseline, i.baseline_year),
            **_quantity("target", i.target, i.target_year),
            **_quantity("achieved", i.achieved, i.achieved_year),
            "attribute": i.attribute,
            "completion": i.completion,
            "completed": i.completed,
            **_location(i.span),
        }
        for k, i in enumerate(doc.indicators, start=1)
    ]


def target_rows(doc: Document) -> list[dict]:
    return [
        {
            "target_id": f"{doc.doc_id}:t{k}",
            "doc_id": doc.doc_id,
            "year": t.year,
            "subject": t.subject,
            "scope": t.scope,
            "value": t.value,
            "value_raw": t.value_raw,
            "unit": t.unit,
            "comparator": t.comparator,
            "change": t.change,
            "phrase": t.phrase,
            "sentence": t.sentence,
            **_location(t.span),
        }
        for k, t in enumerate(doc.targets, start=1)
    ]


def project_rows(doc: Document) -> list[dict]:
    return [
        {
            "project_id": f"{doc.doc_id}:{p.box}.{p.seq}",
            "doc_id": doc.doc_id,
            "box": p.box,
            "box_title": p.box_title,
            "seq": p.seq,
            "name": p.name,
            "description": p.description,
            "unit_names": [u.name for u in p.units],
            "unit_raws": [u.raw for u in p.units],
            **_location(p.span),
        }
        for p in doc.projects
    ]


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
    TableSpec("progress_entries", PROGRESS_ENTRIES, progress_entry_rows),
    TableSpec("progress_dates", PROGRESS_DATES, progress_date_rows),
    TableSpec("sections", SECTIONS, section_rows),
    TableSpec("indicators", INDICATORS, indicator_rows),
    TableSpec("targets", TARGETS, target_rows),
    TableSpec("projects", PROJECTS, project_rows),
)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly ``schema``'s columns: a part written by an
    earlier version gains the columns added since (all null)."""
    columns = [
        table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def write_table(rows: list[dict], schema: pa.Schema, target: Path) -> None:
    """One whole table in one file, written atomically (the audit output)."""
    table = pa.Table.from_pylist(rows, schema=schema)
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp)
