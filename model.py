"""The document model: the one place that says what a document, task list,
issue, measure, milestone and deadline are.

Every stage after extraction passes a :class:`Document` forward. The JSON
Schema in ``output/document.schema.json`` is generated from these classes
(``python -m zhenggai.output.schema``) and a test keeps the two in sync.

Offsets: every ``Span`` is a half-open interval ``[start, end)`` of character
offsets into ``Document.text`` (the cleaned text), plus the page and line of
the original input where it starts and ends. ``Document.text_map`` maps any
offset of the cleaned text back to the original page, line and column.
"""

from __future__ import annotations

import bisect
from datetime import date

# For fields named ``date``, whose name would shadow the type in their class.
Date = date
from enum import Enum
from typing import Iterator, Literal, Optional, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

_M = TypeVar("_M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


_new_object = object.__new__
# BaseModel's slots, set through their descriptors (object.__setattr__
# would look each name up first).
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _instance(cls: type[_M], values: dict, fields_set: set[str]) -> _M:
    """An instance of ``cls`` (a model of this module: no extra fields, no
    private attributes) holding ``values`` as they are, not validated."""
    instance = _new_object(cls)
    _set_dict(instance, values)
    _set_fields_set(instance, fields_set)
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


def _unvalidated(cls: type[_M], values: dict) -> _M:
    """An instance of ``cls`` holding ``values`` (every field, in the
    class's order). Only for the evidence types (Span, TextRun): a document
    builds thousands from ints it computed, and validating them cost more
    than the rest of the work of building them. tests/test_model.py keeps
    it equal to the validated instance."""
    return _instance(cls, values, set(values))


def copy_with(model: _M, update: dict) -> _M:
    """``model.model_copy(update=update)`` (a shallow copy, the updated
    values not validated) for the models of this module: normalize copies
    every issue, measure and entry, and model_copy's general case cost more
    than the reading that goes into them. tests/test_model.py keeps the two
    equal."""
    return _instance(type(model), {**model.__dict__, **update}, model.__pydantic_fields_set__ | update.keys())


class _PageLine(Protocol):
    """Anything that knows its original page and line (a physical line, a text run)."""

    page: int
    line: int


def _covering(start: int, end: int, first: _PageLine, last: _PageLine) -> Span:
    """The span [start, end) whose first and last characters come from
    the original lines ``first`` and ``last``."""
    return _unvalidated(
        Span,
        {
            "start": start,
            "end": end,
            "page_start": first.page,
            "line_start": first.line,
            "page_end": last.page,
            "line_end": last.line,
        },
    )


class Span(_Model):
    """Where a value stands: offsets in the cleaned text and the original
    page/line (1-based) of its first and last character."""

    start: int
    end: int
    page_start: int
    line_start: int
    page_end: int
    line_end: int

    # The function itself, not a classmethod calling it: a document builds
    # thousands of spans.
    covering = staticmethod(_covering)


class DocumentKind(str, Enum):
    rectification_plan = "rectification_plan"
    progress_report = "progress_report"
    five_year_plan = "five_year_plan"
    unknown = "unknown"


class Status(str, Enum):
    """Per-document outcome. A document JSON is ok or partial; error
    appears only in documents.parquet, for inputs that could not be read."""

    ok = "ok"
    partial = "partial"
    error = "error"


Precision = Literal["day", "month", "quarter", "half", "year"]
Recurrence = Literal["yearly", "half_yearly", "quarterly", "monthly"]


class Deadline(_Model):
    """A deadline phrase and what it means.

    ``due_date`` is the last day of the period the phrase names
    ("2023年底前" → 2023-12-31). It stays null when the phrase names no date
    or cannot be read; it is never guessed.
    """

    raw: str
    due_date: Optional[date] = None
    precision: Optional[Precision] = None
    immediate: bool = False
    ongoing: bool = False
    recurring: Optional[Recurrence] = None
    year_inferred: bool = Field(
        default=False, description="The phrase has no year; the document's reference year was used"
    )
    span: Optional[Span] = None


UnitLevel = Literal[
    "autonomous_region",
    "prefecture",
    "county",
    "corps",
    "division",
    "regiment",
    "department",
    "enterprise",
    "collective",
    "other",
]


class Unit(_Model):
    """An organization named in a unit field or mentioned in a measure,
    resolved against the gazetteer (normalize/data/units/)."""

    raw: str = Field(description='The unit as the document writes it, after distributing shared parts ("昌吉州党委")')
    name: str = Field(description="Canonical full name without 中共; the raw text when the gazetteer does not know it")
    region: Optional[str] = Field(
        default=None,
        description='Canonical region the unit reports under: the prefecture for a county, "新疆生产建设兵团" for a division',
    )
    place: Optional[str] = Field(default=None, description="The most specific region it belongs to (a county, a division)")
    level: UnitLevel
    organ: Optional[str] = Field(default=None, description='"党委", "人民政府", "行政公署" or the department')
    collective: bool = False
    members: list[str] = Field(default_factory=list, description="What a collective stands for, where known")
    span: Optional[Span] = Field(default=None, description="The text the unit came from")


class Milestone(_Model):
    """A dated clause inside a measure ("2022年9月底前，督促……")."""

    due_date: Optional[date] = None
    precision: Optional[Precision] = None
    date_raw: str = Field(description="The date phrase as printed (cleaned)")
    year_inferred: bool = Field(
        default=False,
        description="The phrase has no year; it was taken from the nearest earlier "
        "year in the measure, or the document's reference year",
    )
    text: str
    span: Span


class Measure(_Model):
    seq: int
    label: Optional[str] = Field(
        default=None, description='The number as printed ("1.", "（1）", "①"); null for an unnumbered paragraph'
    )
    text: str
    milestones: list[Milestone] = Field(default_factory=list)
    mentioned_units: list[Unit] = Field(
        default_factory=list, description="Units and enterprises named inside the measure's text"
    )
    span: Span


ProgressStatus = Literal[
    "completed",
    "completed_ongoing",
    "basically_completed",
    "in_progress",
    "not_completed",
    "unknown",
]

DateRole = Literal["as_of", "deadline", "start", "reference", "date"]


class DatedFact(_Model):
    """A date printed in a progress entry and the sentence it dates
    ("截至10月底，全市共征收水资源费5900万元")."""

    date_raw: str = Field(description="The date phrase as printed (cleaned)")
    date: Optional[Date] = Field(default=None, description="Last day of the period named; null when unreadable")
    precision: Optional[Precision] = None
    year_inferred: bool = Field(
        default=False,
        description="The phrase has no year; it was taken from the nearest earlier year in the entry, "
        "or the report's year",
    )
    role: DateRole = Field(
        description="as_of (截至…), deadline (…前), start (…起), reference (…以来, 已于…) or date (anything else)"
    )
    text: str = Field(description="The sentence holding the date")
    span: Span


class ProgressEntry(_Model):
    """One numbered (or unnumbered) entry of a progress report item."""

    seq: int
    label: Optional[str] = Field(default=None, description='The number as printed ("1."); null when unnumbered')
    text: str
    dates: list[DatedFact] = Field(default_factory=list)
    span: Span


class Issue(_Model):
    """One numbered issue of a task list, or one of its sub-issues. In a
    progress report, one reported item (with status, plan_ref and
    progress_entries)."""

    seq: int
    sub_seq: Optional[int] = None
    label: str = Field(description='The number as printed ("十六、", "（一）")')
    problem: str
    fields: dict[str, str] = Field(
        default_factory=dict, description="Field label as printed → cleaned text"
    )
    field_roles: dict[str, str] = Field(
        default_factory=dict,
        description="Field label as printed → canonical role (responsible, acceptance, goal, deadline, measures, ...)",
    )
    responsible_raw: Optional[str] = None
    acceptance_raw: Optional[str] = None
    goal: Optional[str] = None
    deadline: Optional[Deadline] = None
    units: dict[str, list[Unit]] = Field(
        default_factory=dict,
        description='Resolved units by role: "responsible_units", "acceptance_units", "lead_units", …',
    )
    measures: list[Measure] = Field(default_factory=list)
    status_raw: Optional[str] = Field(
        default=None, description='The reported status as printed ("已完成，长期坚持"); progress reports only'
    )
    status: Optional[ProgressStatus] = Field(
        default=None, description="status_raw read with normalize/data/statuses.toml; null when there is none"
    )
    plan_ref: Optional[int] = Field(
        default=None,
        description='The plan issue number the item cites ("（自治区序号九）" → 9), removed from the problem text',
    )
    plan_ref_scope: Optional[str] = Field(
        default=None, description='Whose numbering plan_ref follows, as printed ("自治区")'
    )
    progress_entries: list[ProgressEntry] = Field(default_factory=list)
    sub_issues: list[Issue] = Field(default_factory=list)
    spans: dict[str, Span] = Field(
        default_factory=dict,
        description='Evidence of the problem text ("problem") and of each field, keyed by its label as printed',
    )
    source: Span


HeadingMarker = Literal["chapter", "section", "cn_numeral", "paren_cn_numeral", "arabic"]


class Section(_Model):
    """One heading of a plan's outline (第一章 / 第一节 / 一、/ （一）/ 1.).

    Sections form a tree kept flat: ``parent_id`` names the enclosing
    section. ``level`` is the depth in this document's tree (1 = top), so a
    plan numbered 一、/（一）/1. and one numbered 第一章/第一节/1. both start at 1.
    """

    id: str = Field(description='Position in the tree: "3", "3.1", "3.1.2"')
    parent_id: Optional[str] = None
    level: int
    marker: HeadingMarker
    label: str = Field(description='The number as printed: "第一章", "一、", "（一）", "1."')
    number: int
    heading: str = Field(description="The heading text without its number (for a run-in heading, the lead phrase before 。)")
    heading_span: Span
    body: str = Field(default="", description="The section's own text: after its heading, up to its first subsection")
    body_span: Optional[Span] = None
    span: Span = Field(description="The whole section: its heading through the last paragraph before the next section at the same or a higher level")


Comparator = Literal["<", "≤", "=", "≥", ">"]


class Quantity(_Model):
    """A value as printed in a table cell, and read as a number where it is one."""

    raw: str
    number: Optional[float] = Field(default=None, description='Null when the cell is not a number ("不减少", "国家下达指标", "/")')
    comparator: Optional[Comparator] = None
    unit: Optional[str] = Field(default=None, description='Unit printed in the cell ("0.25万吨" → "万吨"), canonical')
    qualifier: Optional[str] = Field(default=None, description='Parenthesised remark after the value ("五年累计")')


class Indicator(_Model):
    """One row of an indicator table (表 2-1: 指标名称, 现状值, 2025年目标, 属性;
    a results table adds the achieved value and 完成/未完成). An indicator
    printed over several rows (one per scope, or sub-indicators such as the
    four emissions of 总量控制) gives one row each, numbered by ``part``."""

    table: str = Field(description='The table number as printed ("2-1")')
    table_title: str
    table_kind: Literal["targets", "results"]
    category: Optional[str] = Field(default=None, description="The category, carried down from the row that names it")
    number: Optional[int] = None
    part: int = Field(default=1, description="1 for the indicator's first row, 2… for its further rows")
    name: str = Field(description="The indicator name without its unit parenthesis and footnote mark")
    unit_raw: Optional[str] = Field(default=None, description='The name\'s trailing parenthesis as printed ("%", "小时达标率, %")')
    unit: Optional[str] = Field(default=None, description="Canonical unit, from the name's parenthesis or else the value cells")
    scope: Optional[str] = Field(default=None, description='Where the row applies ("石河子、五家渠", "其他各师市平均")')
    baseline: Optional[Quantity] = None
    baseline_year: Optional[int] = None
    target: Optional[Quantity] = None
    target_year: Optional[int] = None
    achieved: Optional[Quantity] = None
    achieved_year: Optional[int] = None
    attribute: Optional[str] = Field(default=None, description="约束性 (binding) or 预期性 (expected)")
    completion: Optional[str] = Field(default=None, description="完成 / 未完成 as printed (results tables)")
    completed: Optional[bool] = None
    footnote: bool = Field(default=False, description="The name carries a note mark (*) explained under the table")
    spans: dict[str, list[Span]] = Field(
        default_factory=dict,
        description="The printed cells each field was read from (a cell wrapped over lines has one span per piece)",
    )
    span: Span = Field(description="The row, from its first to its last printed line")


class Target(_Model):
    """One quantity of a target sentence ("到2025年，…平均浓度下降到33微克/立方米以下")."""

    year: Optional[int] = Field(default=None, description="The year the target is for")
    subject: Optional[str] = Field(default=None, description='What is measured ("细颗粒物（PM2.5）平均浓度")')
    scope: Optional[str] = Field(default=None, description='Where it applies ("兵团石河子、五家渠两城市")')
    value: Optional[float] = Field(default=None, description="Null when the target names no readable quantity")
    value_raw: Optional[str] = None
    unit: Optional[str] = None
    comparator: Optional[Comparator] = None
    change: Optional[Literal["decrease", "increase"]] = Field(
        default=None, description='The value is a change ("下降14.5%"), not a level'
    )
    phrase: str = Field(description='The clause the quantity was read from ("下降到33微克/立方米以下")')
    sentence: str
    span: Span = Field(description="The clause")
    sentence_span: Span


class Project(_Model):
    """One key project of a 专栏 box ("专栏 1 生态经济重点工程")."""

    box: int
    box_title: str
    seq: int = Field(description="Position in the box, from 1")
    name: str = Field(description="The lead phrase before the first 。")
    description: str = Field(description="The text after the lead phrase")
    units: list[Unit] = Field(default_factory=list, description="Units and places named in the project, resolved with the unit gazetteer")
    span: Span
    name_span: Span


class TaskList(_Model):
    no: int
    title: str
    issues: list[Issue] = Field(default_factory=list)
    span: Span


class DocumentDate(_Model):
    """The date a document is signed or issued ("2023年12月25日")."""

    raw: str
    value: Optional[Date] = None
    span: Span


class SourceInfo(_Model):
    path: str
    sha256: str
    format: str


class Diagnostic(_Model):
    """A warning or error with a stable code (see ``zhenggai.errors``)."""

    code: str
    message: str
    span: Optional[Span] = None


class TextRun(_Model):
    """Cleaned-text characters ``[start, end)`` come, one to one, from the
    original page and line starting at column ``column`` (0-based)."""

    start: int
    end: int
    page: int
    line: int
    column: int

    @classmethod
    def from_line(cls, start: int, end: int, origin: _PageLine, column: int) -> TextRun:
        """The run [start, end) whose characters come from the original
        line ``origin``, starting at ``column``."""
        return _unvalidated(
            cls, {"start": start, "end": end, "page": origin.page, "line": origin.line, "column": column}
        )


class Document(_Model):
    schema_version: str = SCHEMA_VERSION
    doc_id: str = Field(description="Content hash of the input file (first 16 hex digits of its SHA-256)")
    source: SourceInfo
    kind: DocumentKind
    status: Status
    title: str = ""
    page_count: int = 0
    reference_year: Optional[int] = Field(
        default=None, description="Year used for dates printed without one"
    )
    issuer: Optional[Unit] = Field(
        default=None,
        description="Who issues the document: the region of a progress report, from its signature or title",
    )
    date: Optional[DocumentDate] = Field(default=None, description="The signing date printed at the end")
    lists: list[TaskList] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list, description="The heading tree of a plan (five-year plans)")
    indicators: list[Indicator] = Field(default_factory=list, description="Rows of indicator tables")
    targets: list[Target] = Field(default_factory=list, description="Quantified targets read from the text")
    projects: list[Project] = Field(default_factory=list, description="Key projects of 专栏 boxes")
    warnings: list[Diagnostic] = Field(default_factory=list)
    text: str = Field(default="", description="The cleaned text all spans point into")
    text_map: list[TextRun] = Field(default_factory=list)


Issue.model_rebuild()


def walk_issues(doc: Document) -> Iterator[tuple[TaskList, Issue]]:
    """Every issue and sub-issue, parents before their sub-issues."""
    for task_list in doc.lists:
        for issue in task_list.issues:
            yield task_list, issue
            for sub in issue.sub_issues:
                yield task_list, sub


# --------------------------------------------------------------------------
# The audit: a plan against the progress reports that answer it
# (``zhenggai audit``). Its JSON Schema is output/audit.schema.json.

LinkMethod = Literal["cross_reference", "text"]
FindingKind = Literal["unreported", "unmatched", "deadline_changed", "overdue", "status_regressed"]


class AuditReport(_Model):
    """One progress report taken into the audit."""

    doc: str = Field(description="doc_id of the report")
    path: str
    region: str = Field(description="The reporting region: canonical when the gazetteer knows it, else as printed")
    date: Optional[Date] = Field(default=None, description="The report's signing date")
    as_of: Optional[Date] = Field(default=None, description="Date overdue is judged at: the signing date or --as-of")


class AuditLink(_Model):
    """A report item and the plan issue it answers."""

    report_doc: str
    region: str
    report_seq: int
    plan_doc: str
    plan_list: int
    plan_seq: int
    plan_sub_seq: Optional[int] = None
    method: LinkMethod
    score: float = Field(description="Text similarity of the two problem statements, 0–100 (rapidfuzz token_set_ratio on jieba tokens)")


class AuditFinding(_Model):
    finding: FindingKind
    region: str
    report_doc: str
    report_seq: Optional[int] = None
    plan_list: Optional[int] = None
    plan_seq: Optional[int] = None
    plan_sub_seq: Optional[int] = None
    detail: str


class AuditRow(_Model):
    """One report item, or one plan issue the region should have reported
    on; the row of audit.parquet."""

    region: str
    report_doc: str
    report_date: Optional[Date] = None
    report_seq: Optional[int] = None
    report_label: Optional[str] = None
    report_problem: Optional[str] = None
    report_span: Optional[Span] = None
    plan_doc: str
    plan_list: Optional[int] = None
    plan_seq: Optional[int] = None
    plan_sub_seq: Optional[int] = None
    plan_problem: Optional[str] = None
    plan_span: Optional[Span] = None
    method: Optional[LinkMethod] = None
    score: Optional[float] = None
    coverage: Optional[str] = Field(
        default=None, description='How the plan assigns the issue to the region ("direct: 昌吉州党委", "via 各地（州、市）…")'
    )
    plan_deadline: Optional[Deadline] = None
    report_deadline: Optional[Deadline] = None
    deadline_changed: Optional[bool] = None
    status_raw: Optional[str] = None
    status: Optional[ProgressStatus] = None
    overdue: Optional[bool] = Field(
        default=None, description="The plan's due date passed before the report's as-of date and the status is not done"
    )
    measures_promised: Optional[int] = None
    progress_reported: Optional[int] = None
    findings: list[FindingKind] = Field(default_factory=list)


class Audit(_Model):
    schema_version: str = SCHEMA_VERSION
    plan_doc: str
    plan_path: str
    reports: list[AuditReport] = Field(default_factory=list)
    links: list[AuditLink] = Field(default_factory=list)
    findings: list[AuditFinding] = Field(default_factory=list)
    rows: list[AuditRow] = Field(default_factory=list)


class TextLocator:
    """Evidence for offsets of ``Document.text``, from its ``text_map``.

    Stages after parsing use this to give new values (milestones, units
    found inside a measure) the same page/line evidence the parser gives.
    """

    def __init__(self, text_map: list[TextRun]):
        if not text_map:
            raise ValueError("a document without text has no locations")
        self._runs = text_map
        self._starts = [run.start for run in text_map]

    def _run_at(self, offset: int) -> TextRun:
        # Offsets between runs (newlines) belong to the run before them.
        return self._runs[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def span(self, start: int, end: int) -> Span:
        if end <= start:
            raise ValueError(f"empty span [{start}, {end})")
        return _covering(start, end, self._run_at(start), self._run_at(end - 1))
