"""Segment a task list into issues, sub-issues and labelled fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import Warnings
from ..extract import markers
from ..model import Deadline, Diagnostic, Issue, Measure, ProgressEntry, Span
from .labels import LabelVocabulary
from .measures import split_measures
from .progress import find_plan_ref, split_status
from .structure import Paragraph

Locate = Callable[[int, int], Span]


@dataclass
class _Field:
    label: str
    role: str | None  # None: a table column the vocabulary does not know
    start: int  # value start (after the colon)
    end: int


@dataclass
class _Builder:
    seq: int
    sub_seq: int | None
    label: str
    start: int  # marker start
    problem_start: int
    problem_end: int
    end: int
    fields: list[_Field] = field(default_factory=list)
    subs: list[_Builder] = field(default_factory=list)

    def add_field(self, label: str, role: str | None, start: int, end: int) -> None:
        self.fields.append(_Field(label, role, start, end))


def issue_builder(seq: int, label: str, start: int, end: int, problem_start: int, problem_end: int) -> _Builder:
    """An issue of a table row: [start, end) the row, the problem its cell."""
    return _Builder(seq, None, label, start, problem_start, problem_end, end)


def parse_issues(
    paragraphs: list[Paragraph],
    text: str,
    labels: LabelVocabulary,
    locate: Locate,
    warnings: list[Diagnostic],
) -> list[Issue]:
    sub_starts = _sub_issue_starts(paragraphs, labels)
    issues: list[_Builder] = []
    current_field: _Field | None = None
    for index, para in enumerate(paragraphs):
        issue_mark = markers.ISSUE_MARK.match(para.text)
        if issue_mark:
            num = markers.cn_to_int(issue_mark.group("num"))
            prev = issues[-1].seq if issues else 0
            if num > prev:
                if num != prev + 1:
                    warnings.append(numbering_gap("issue", num, prev, locate(para.start, para.end)))
                issues.append(_new(num, None, issue_mark.group(0), para))
                current_field = None
                continue
        if not issues:
            continue
        issue = issues[-1]
        issue.end = para.end
        if index in sub_starts:
            sub_mark = markers.SUB_MARK.match(para.text)
            num = markers.cn_to_int(sub_mark.group("num"))
            prev = issue.subs[-1].sub_seq if issue.subs else 0
            if num > prev:
                if num != prev + 1:
                    warnings.append(numbering_gap("sub-issue", num, prev, locate(para.start, para.end)))
                issue.subs.append(_new(issue.seq, num, sub_mark.group(0), para))
                current_field = None
                continue
        target = issue.subs[-1] if issue.subs else issue
        target.end = para.end
        label = labels.match(para.text)
        if label:
            printed, offset = label
            current_field = _Field(printed, labels.role_of[printed], para.start + offset, para.end)
            target.fields.append(current_field)
        elif current_field is not None:
            current_field.end = para.end
        else:
            target.problem_end = para.end
    return [build_issue(b, text, labels, locate, warnings) for b in issues]


def _new(seq: int, sub_seq: int | None, label: str, para: Paragraph) -> _Builder:
    return _Builder(
        seq=seq,
        sub_seq=sub_seq,
        label=label,
        start=para.start,
        problem_start=para.start + len(label),
        problem_end=para.end,
        end=para.end,
    )


def numbering_gap(what: str, got: int, prev: int, span: Span) -> Diagnostic:
    return Diagnostic(
        code=Warnings.numbering_gap.code,
        message=Warnings.numbering_gap.format(what=what, got=got, prev=prev, expected=prev + 1),
        span=span,
    )


def _sub_issue_starts(paragraphs: list[Paragraph], labels: LabelVocabulary) -> set[int]:
    """A （一） paragraph starts a sub-issue only if a labelled field follows
    before the next issue or sub-issue; otherwise it is text of its field."""
    starts = set()
    for i, para in enumerate(paragraphs):
        if not markers.SUB_MARK.match(para.text):
            continue
        for later in paragraphs[i + 1 :]:
            if markers.ISSUE_MARK.match(later.text) or markers.SUB_MARK.match(later.text):
                break
            if labels.match(later.text):
                starts.add(i)
                break
    return starts


def _value_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def build_issue(b: _Builder, text: str, labels: LabelVocabulary, locate: Locate, warnings: list[Diagnostic]) -> Issue:
    fields: dict[str, str] = {}
    roles: dict[str, str] = {}
    spans: dict[str, Span] = {}
    measures: list[Measure] = []
    deadline: Deadline | None = None
    status_raw: str | None = None
    entries: list[ProgressEntry] = []
    p_start, p_end = _value_bounds(text, b.problem_start, b.problem_end)
    plan_ref = find_plan_ref(text[p_start:p_end], labels.cross_reference_prefixes)
    if plan_ref is not None:
        spans["plan_ref"] = locate(p_start + plan_ref.start, p_start + plan_ref.end)
        # The citation is not part of the problem ("…多出4.4亿立方米。（自治区序号九）").
        if not text[p_start + plan_ref.end : p_end].strip():
            p_end = _value_bounds(text, p_start, p_start + plan_ref.start)[1]
    if p_end > p_start:
        spans["problem"] = locate(p_start, p_end)
    for f in b.fields:
        key = f.label
        if key in fields:
            warnings.append(
                Diagnostic(
                    code=Warnings.duplicate_field.code,
                    message=Warnings.duplicate_field.format(label=b.label, field=key),
                    span=locate(f.start - len(key) - 1, f.end),
                )
            )
            n = 2
            while f"{key}#{n}" in fields:
                n += 1
            key = f"{key}#{n}"
        start, end = _value_bounds(text, f.start, f.end)
        fields[key] = text[start:end]
        if f.role is not None:
            roles[key] = f.role
        if end > start:
            spans[key] = locate(start, end)
        if f.role == "measures" and key == f.label:
            measures = [
                Measure(
                    seq=m.seq,
                    label=m.label,
                    text=text[start + m.start : start + m.end],
                    span=locate(start + m.start, start + m.end),
                )
                for m in split_measures(text[start:end])
                if m.end > m.start
            ]
        if f.role == "status" and key == f.label and status_raw is None and end > start:
            status = split_status(text[start:end])
            if status.status_end > status.status_start:
                status_raw = text[start + status.status_start : start + status.status_end]
                spans["status"] = locate(start + status.status_start, start + status.status_end)
            entries = [
                ProgressEntry(
                    seq=e.seq,
                    label=e.label,
                    text=text[start + e.start : start + e.end],
                    span=locate(start + e.start, start + e.end),
                )
                for e in status.entries
                if e.end > e.start
            ]
        if f.role == "deadline" and deadline is None and end > start:
            deadline = Deadline(raw=text[start:end], span=spans[key])
    if not b.fields and not b.subs:
        warnings.append(
            Diagnostic(
                code=Warnings.issue_without_fields.code,
                message=Warnings.issue_without_fields.format(label=b.label),
                span=locate(b.start, b.end),
            )
        )
    first_of = {}
    for key, role in roles.items():
        first_of.setdefault(role, key)
    responsible_key = first_of.get("responsible") or first_of.get("lead")
    return Issue(
        seq=b.seq,
        sub_seq=b.sub_seq,
        label=b.label,
        problem=text[p_start:p_end],
        fields=fields,
        field_roles=roles,
        responsible_raw=fields.get(responsible_key) if responsible_key else None,
        acceptance_raw=fields.get(first_of["acceptance"]) if "acceptance" in first_of else None,
        goal=fields.get(first_of["goal"]) if "goal" in first_of else None,
        deadline=deadline,
        measures=measures,
        status_raw=status_raw,
        plan_ref=plan_ref.number if plan_ref else None,
        plan_ref_scope=plan_ref.scope if plan_ref else None,
        progress_entries=entries,
        sub_issues=[build_issue(s, text, labels, locate, warnings) for s in b.subs],
        spans=spans,
        source=locate(b.start, b.end),
    )
