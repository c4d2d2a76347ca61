"""Normalize stage: deadline phrases and dated clauses become real dates;
unit fields become resolved organizations; a five-year plan's indicator
values become numbers with comparators and units, its prose targets are
read, and its key projects get their units.

Takes the parsed ``Document`` and returns a new one with every deadline
read, every measure's milestones and mentioned units found, every unit
field resolved against the gazetteer, the reference year set and the status
decided. Evidence for new values comes from the document's own text
map, so this stage needs nothing from the earlier ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import regex

from ..errors import Code, Warnings
from ..model import (
    DatedFact,
    Deadline,
    Diagnostic,
    Document,
    DocumentDate,
    DocumentKind,
    Indicator,
    Issue,
    Measure,
    Milestone,
    ProgressEntry,
    Project,
    Quantity,
    Span,
    Status,
    Target,
    TextLocator,
    Unit,
    copy_with,
)
from .dates import DeadlineReading, find_dated_clauses, find_dates, read_deadline
from .quantities import read_quantity, read_unit
from .status import read_status
from .targets import find_targets
from .units import Mention, ResolvedUnit, UnitResolution, find_mentioned_units, resolve_units

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
    context = _Context(
        year, locate, warnings, cache(resolve_units), cache(partial(read_deadline, reference_year=year))
    )
    lists = [
        copy_with(task_list, {"issues": [_issue(issue, context) for issue in task_list.issues]})
        for task_list in doc.lists
    ]
    plan_parts: dict = {}
    if doc.kind == DocumentKind.five_year_plan and locate is not None:
        plan_parts = {
            "indicators": [_indicator(i) for i in doc.indicators],
            "targets": _targets(doc.text, year, locate, warnings),
            "projects": [_project(p, doc.text, locate) for p in doc.projects],
        }
    status = Status.partial if any(w.code in _DEGRADING for w in warnings) else Status.ok
    return copy_with(
        doc,
        {
            "lists": lists,
            "warnings": warnings,
            "reference_year": year,
            "status": status,
            "issuer": _issuer(doc.issuer, locate) if doc.issuer else None,
            "date": signed,
            **plan_parts,
        },
    )


def _document_date(signed: DocumentDate | None) -> DocumentDate | None:
    if signed is None:
        return None
    reading = read_deadline(signed.raw)
    return copy_with(signed, {"value": reading.due_date if reading.precision == "day" else None})


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



_UNIT_PAREN = regex.compile(r"（(?P<unit>[^（）]+)）\s*$")


def _quantity(value: Quantity | None) -> Quantity | None:
    if value is None:
        return None
    reading = read_quantity(value.raw)
    return copy_with(
        value,
        {"number": reading.number, "comparator": reading.comparator, "unit": reading.unit, "qualifier": reading.qualifier},
    )


def _indicator(indicator: Indicator) -> Indicator:
    """Values read as numbers; the unit from the name's trailing
    parenthesis ("细颗粒物（PM2.5）浓度（微克/立方米）"), else from a value."""
    name, unit_raw, unit = indicator.name, None, None
    m = _UNIT_PAREN.search(name)
    if m and read_unit(m.group("unit")):
        name, unit_raw, unit = name[: m.start()].rstrip(), m.group("unit"), read_unit(m.group("unit"))
    values = {key: _quantity(getattr(indicator, key)) for key in ("baseline", "target", "achieved")}
    if unit is None:
        unit = next((v.unit for v in values.values() if v is not None and v.unit), None)
    return copy_with(indicator, {"name": name, "unit_raw": unit_raw, "unit": unit, **values})


def _targets(text: str, year: int | None, locate, warnings: list[Diagnostic]) -> list[Target]:
    out = []
    offset = 0
    for para in text.split("\n"):
        if "\t" not in para:
            for t in find_targets(para, year):
                sentence = para[t.sentence_start : t.sentence_end]
                target = Target(
                    year=t.year,
                    subject=t.subject,
                    scope=t.scope,
                    value=t.value,
                    value_raw=t.value_raw,
                    unit=t.unit,
                    comparator=t.comparator,
                    change=t.change,
                    phrase=para[t.start : t.end],
                    sentence=sentence,
                    span=locate(offset + t.start, offset + t.end),
                    sentence_span=locate(offset + t.sentence_start, offset + t.sentence_end),
                )
                if t.value is None:
                    warnings.append(
                        Diagnostic(
                            code=Warnings.target_unreadable.code,
                            message=Warnings.target_unreadable.format(text=sentence),
                            span=target.sentence_span,
                        )
                    )
                out.append(target)
        offset += len(para) + 1
    return out


def _project(project: Project, text: str, locate) -> Project:
    """Units and places named in the project. Enterprise-name rules are
    left out: a project names kinds of works ("绿色工厂"), not companies. A
    mention wrapped over a page break is not found."""
    units = []
    start = project.span.start
    for piece in text[start : project.span.end].split("\n"):
        units.extend(
            _unit(m, locate(start + m.start, start + m.end)) for m in find_mentioned_units(piece) if m.level != "enterprise"
        )
        start += len(piece) + 1
    return copy_with(project, {"units": units})


@dataclass(frozen=True)
class _Context:
    """What reading the issues of one document needs. Unit fields and
    deadlines repeat from issue to issue (a plan names the same units
    dozens of times): ``resolve`` and ``read_deadline`` read each distinct
    text once for this document."""

    year: int | None
    locate: Callable[[int, int], Span] | None
    warnings: list[Diagnostic]
    resolve: Callable[[str], UnitResolution]
    read_deadline: Callable[[str], DeadlineReading]


def _issue(issue: Issue, context: _Context) -> Issue:
    return copy_with(
        issue,
        {
            "deadline": _deadline(issue.deadline, context) if issue.deadline else None,
            "units": _units(issue, context),
            "measures": [_measure(m, context) for m in issue.measures],
            "status": read_status(issue.status_raw) if issue.status_raw is not None else None,
            "progress_entries": [_entry(e, context) for e in issue.progress_entries],
            "sub_issues": [_issue(sub, context) for sub in issue.sub_issues],
        },
    )


def _deadline(deadline: Deadline, context: _Context) -> Deadline:
    reading = context.read_deadline(deadline.raw)
    if not reading.readable:
        context.warnings.append(
            Diagnostic(
                code=Warnings.deadline_unreadable.code,
                message=Warnings.deadline_unreadable.format(raw=deadline.raw),
                span=deadline.span,
            )
        )
    return copy_with(
        deadline,
        {
            "due_date": reading.due_date,
            "precision": reading.precision,
            "immediate": reading.immediate,
            "ongoing": reading.ongoing,
            "recurring": reading.recurring,
            "year_inferred": reading.year_inferred,
        },
    )


def _units(issue: Issue, context: _Context) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {}
    for key, role in issue.field_roles.items():
        span = issue.spans.get(key)
        if role not in UNIT_ROLES or span is None:
            continue
        units = out.setdefault(f"{role}_units", [])
        for resolved in context.resolve(issue.fields[key]).units:
            unit = _unit(resolved, context.locate(span.start + resolved.start, span.start + resolved.end))
            units.append(unit)
            if not resolved.known:
                context.warnings.append(
                    Diagnostic(code=Warnings.unit_unknown.code, message=Warnings.unit_unknown.format(raw=resolved.raw), span=unit.span)
                )
    return out


# Unit(**fields) without the Python layer of BaseModel.__init__ (the same
# validation): a document's measures mention hundreds of units.
_validated_unit = Unit.__pydantic_validator__.validate_python


def _unit(found: ResolvedUnit | Mention, span: Span) -> Unit:
    return _validated_unit(
        {
            "raw": found.raw,
            "name": found.name,
            "region": found.region,
            "place": found.place,
            "level": found.level,
            "organ": found.organ,
            "collective": found.collective,
            "members": list(getattr(found, "members", ())),
            "span": span,
        }
    )


def _mentions(measure: Measure, locate) -> list[Unit]:
    base = measure.span.start
    return [_unit(m, locate(base + m.start, base + m.end)) for m in find_mentioned_units(measure.text)]


def _measure(measure: Measure, context: _Context) -> Measure:
    base = measure.span.start
    milestones = []
    for clause in find_dated_clauses(measure.text, context.year):
        span = context.locate(base + clause.start, base + clause.end)
        if clause.year_inferred:
            context.warnings.append(
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
    return copy_with(measure, {"milestones": milestones, "mentioned_units": _mentions(measure, context.locate)})


def _entry(entry: ProgressEntry, context: _Context) -> ProgressEntry:
    base = entry.span.start
    facts = [
        DatedFact(
            date_raw=found.date_raw,
            date=found.date,
            precision=found.precision,
            year_inferred=found.year_inferred,
            role=found.role,
            text=entry.text[found.sentence_start : found.sentence_end],
            span=context.locate(base + found.sentence_start, base + found.sentence_end),
        )
        for found in find_dates(entry.text, context.year, as_of_year=context.year)
        if found.sentence_end > found.sentence_start
    ]
    return copy_with(entry, {"dates": facts})
