"""Normalize stage: deadline phrases and dated clauses become real dates;
unit fields become resolved organizations.

Takes the parsed ``Document`` and returns a new one with every deadline
read, every measure's milestones and mentioned units found, every unit
field resolved against the gazetteer, the reference year set and the status
decided. Evidence for new values comes from the document's own text
map, so this stage needs nothing from the earlier ones.
"""

from __future__ import annotations

import regex

from ..errors import Code, Warnings
from ..model import (
    DatedFact,
    Deadline,
    Diagnostic,
    Document,
    DocumentDate,
    DocumentKind,
    Issue,
    Measure,
    Milestone,
    ProgressEntry,
    Span,
    Status,
    TextLocator,
    Unit,
)
from .dates import find_dated_clauses, find_dates, read_deadline
from .status import read_status
from .units import Mention, ResolvedUnit, find_mentioned_units, resolve_units

# Field roles that name organizations (责任领导 names people).
UNIT_ROLES = ("responsible", "lead", "cooperating", "supervising", "acceptance")

_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})年")
_DEGRADING = {
    value.code for value in vars(Warnings).values() if isinstance(value, Code) and value.degrades
}

__all__ = ["normalize", "reference_year"]


def reference_year(text: str) -> int | None:
    """The year for dates printed without one: the first year the text names
    (a plan opens with the inspection it answers; a report with its period)."""
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def normalize(doc: Document) -> Document:
    warnings = list(doc.warnings)
    signed = _document_date(doc.date)
    year = reference_year(doc.text)
    if signed is not None and signed.value is not None:
        year = signed.value.year
    elif doc.kind is DocumentKind.progress_report:
        latest = _latest_reported_year(doc)
        if latest is not None:
            year = latest
            warnings.append(Diagnostic(code=Warnings.no_report_date.code, message=Warnings.no_report_date.format(year=year)))
    if year is None and doc.lists:
        warnings.append(Diagnostic(code=Warnings.no_reference_year.code, message=Warnings.no_reference_year.format()))
    locate = TextLocator(doc.text_map).span if doc.text_map else None
    lists = [
        task_list.model_copy(
            update={"issues": [_issue(issue, year, locate, warnings) for issue in task_list.issues]}
        )
        for task_list in doc.lists
    ]
    status = Status.partial if any(w.code in _DEGRADING for w in warnings) else Status.ok
    return doc.model_copy(
        update={
            "lists": lists,
            "warnings": warnings,
            "reference_year": year,
            "status": status,
            "issuer": _issuer(doc.issuer, locate) if doc.issuer else None,
            "date": signed,
        }
    )


def _document_date(signed: DocumentDate | None) -> DocumentDate | None:
    if signed is None:
        return None
    reading = read_deadline(signed.raw)
    return signed.model_copy(update={"value": reading.due_date if reading.precision == "day" else None})


def _latest_reported_year(doc: Document) -> int | None:
    """A report without a signing date: the latest year its progress
    entries print for what was done (not deadlines)."""
    years = [
        found.date.year
        for task_list in doc.lists
        for issue in task_list.issues
        for entry in issue.progress_entries
        for found in find_dates(entry.text)
        if found.date is not None and not found.year_inferred and found.role != "deadline"
    ]
    return max(years) if years else None


def _issuer(issuer: Unit, locate) -> Unit:
    """The first region named where the issuer is printed; as printed when
    the gazetteer knows none (a region of another province)."""
    base = issuer.span.start if issuer.span else 0
    for found in find_mentioned_units(issuer.raw):
        if found.region is not None and not found.collective:
            span = locate(base + found.start, base + found.end) if locate else None
            return Unit(
                raw=found.raw,
                name=found.region,
                region=found.region,
                place=found.place,
                level=found.level,
                span=span,
            )
    return issuer


def _issue(issue: Issue, year: int | None, locate, warnings: list[Diagnostic]) -> Issue:
    return issue.model_copy(
        update={
            "deadline": _deadline(issue.deadline, year, warnings) if issue.deadline else None,
            "units": _units(issue, locate, warnings),
            "measures": [_measure(m, year, locate, warnings) for m in issue.measures],
            "status": read_status(issue.status_raw) if issue.status_raw is not None else None,
            "progress_entries": [_entry(e, year, locate) for e in issue.progress_entries],
            "sub_issues": [_issue(sub, year, locate, warnings) for sub in issue.sub_issues],
        }
    )


def _deadline(deadline: Deadline, year: int | None, warnings: list[Diagnostic]) -> Deadline:
    reading = read_deadline(deadline.raw, year)
    if not reading.readable:
        warnings.append(
            Diagnostic(
                code=Warnings.deadline_unreadable.code,
                message=Warnings.deadline_unreadable.format(raw=deadline.raw),
                span=deadline.span,
            )
        )
    return deadline.model_copy(
        update={
            "due_date": reading.due_date,
            "precision": reading.precision,
            "immediate": reading.immediate,
            "ongoing": reading.ongoing,
            "recurring": reading.recurring,
            "year_inferred": reading.year_inferred,
        }
    )


def _units(issue: Issue, locate, warnings: list[Diagnostic]) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {}
    for key, role in issue.field_roles.items():
        span = issue.spans.get(key)
        if role not in UNIT_ROLES or span is None:
            continue
        units = out.setdefault(f"{role}_units", [])
        for resolved in resolve_units(issue.fields[key]).units:
            unit = _unit(resolved, locate(span.start + resolved.start, span.start + resolved.end))
            units.append(unit)
            if not resolved.known:
                warnings.append(
                    Diagnostic(code=Warnings.unit_unknown.code, message=Warnings.unit_unknown.format(raw=resolved.raw), span=unit.span)
                )
    return out


def _unit(found: ResolvedUnit | Mention, span: Span) -> Unit:
    return Unit(
        raw=found.raw,
        name=found.name,
        region=found.region,
        place=found.place,
        level=found.level,
        organ=found.organ,
        collective=found.collective,
        members=list(getattr(found, "members", ())),
        span=span,
    )


def _mentions(measure: Measure, locate) -> list[Unit]:
    base = measure.span.start
    return [_unit(m, locate(base + m.start, base + m.end)) for m in find_mentioned_units(measure.text)]


def _measure(measure: Measure, year: int | None, locate, warnings: list[Diagnostic]) -> Measure:
    base = measure.span.start
    milestones = []
    for clause in find_dated_clauses(measure.text, year):
        span = locate(base + clause.start, base + clause.end)
        if clause.year_inferred:
            warnings.append(
                Diagnostic(
                    code=Warnings.milestone_year_inferred.code,
                    message=Warnings.milestone_year_inferred.format(raw=clause.date_raw, year=clause.due_date.year if clause.due_date else None),
                    span=span,
                )
            )
        milestones.append(
            Milestone(
                due_date=clause.due_date,
                precision=clause.precision,
                date_raw=clause.date_raw,
                year_inferred=clause.year_inferred,
                text=measure.text[clause.start : clause.end],
                span=span,
            )
        )
    return measure.model_copy(update={"milestones": milestones, "mentioned_units": _mentions(measure, locate)})


def _entry(entry: ProgressEntry, year: int | None, locate) -> ProgressEntry:
    base = entry.span.start
    facts = [
        DatedFact(
            date_raw=found.date_raw,
            date=found.date,
            precision=found.precision,
            year_inferred=found.year_inferred,
            role=found.role,
            text=entry.text[found.sentence_start : found.sentence_end],
            span=locate(base + found.sentence_start, base + found.sentence_end),
        )
        for found in find_dates(entry.text, year, as_of_year=year)
        if found.sentence_end > found.sentence_start
    ]
    return entry.model_copy(update={"dates": facts})
