"""The audit: what a plan promised against what progress reports claim.

``build_audit(plan, reports)`` links every report item to its plan issue
(see ``link``), lists the plan issues each reporting region answers for
(see ``coverage``) and records these findings: unreported (a covered plan
issue the report does not answer), unmatched (an item answering no plan
issue), deadline_changed, overdue (the plan's due date passed before the
report's as-of date and the status is not done) and status_regressed
(between two reports of one region).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import Errors, ZhenggaiError
from ..model import (
    Audit,
    AuditFinding,
    AuditLink,
    AuditReport,
    AuditRow,
    Deadline,
    Document,
    FindingKind,
    Issue,
    TaskList,
)
from ..normalize.status import StatusVocabulary, load_statuses
from .coverage import Region, covered_issues, region_of
from .link import Link, LinkSettings, link_items

__all__ = ["LinkSettings", "build_audit", "check_report"]


@dataclass(frozen=True)
class _Key:
    plan_list: int
    plan_seq: int
    plan_sub_seq: int | None


def _key(task_list: TaskList, issue: Issue) -> _Key:
    return _Key(task_list.no, issue.seq, issue.sub_seq)


def deadline_changed(plan: Deadline | None, report: Deadline | None) -> bool | None:
    """Whether the report's deadline means something else than the plan's;
    None when either is missing."""
    if plan is None or report is None:
        return None
    if "".join(plan.raw.split()) == "".join(report.raw.split()):
        return False
    return _meaning(plan) != _meaning(report)


def _meaning(deadline: Deadline) -> tuple:
    return (deadline.due_date, deadline.immediate, deadline.ongoing, deadline.recurring)


def check_report(report: Document) -> Region:
    """The report's region. Raises ZhenggaiError (no_region) when it names none."""
    region = region_of(report)
    if region is None:
        raise ZhenggaiError(Errors.no_region, report.source.path)
    return region


def build_audit(
    plan: Document,
    reports: list[Document],
    *,
    as_of: date | None = None,
    settings: LinkSettings = LinkSettings(),
    statuses: StatusVocabulary | None = None,
) -> Audit:
    """``as_of`` overrides the reports' signing dates for judging overdue
    (for a report that prints none)."""
    statuses = statuses or load_statuses()
    audit = Audit(plan_doc=plan.doc_id, plan_path=plan.source.path)
    by_region: dict[str, list[tuple[AuditReport, dict[_Key, AuditRow]]]] = {}
    for report in reports:
        region = check_report(report)
        signed = report.date.value if report.date else None
        entry = AuditReport(
            doc=report.doc_id, path=report.source.path, region=region.label, date=signed, as_of=as_of or signed
        )
        audit.reports.append(entry)
        linked = _audit_report(audit, plan, report, entry, region, link_items(plan, report, settings), statuses)
        by_region.setdefault(region.label, []).append((entry, linked))
    for region_label, seen in by_region.items():
        _status_regressions(audit, region_label, seen, statuses)
    return audit


def _audit_report(
    audit: Audit,
    plan: Document,
    report: Document,
    entry: AuditReport,
    region: Region,
    links: list[Link],
    statuses: StatusVocabulary,
) -> dict[_Key, AuditRow]:
    assigned = list(covered_issues(plan, region))
    covered = {_key(tl, issue): how for tl, issue, how in assigned}
    linked: dict[_Key, AuditRow] = {}
    # What every row of this report says of the report and the plan.
    about = {"region": entry.region, "report_doc": report.doc_id, "report_date": entry.date, "plan_doc": plan.doc_id}
    for link in links:
        item = link.item
        row = AuditRow(
            **about,
            report_seq=item.seq,
            report_label=item.label,
            report_problem=item.problem,
            report_span=item.source,
            report_deadline=item.deadline,
            status_raw=item.status_raw,
            status=item.status,
            progress_reported=len(item.progress_entries),
            score=link.score,
        )
        if link.plan_issue is None:
            row.findings.append("unmatched")
            _find(audit, "unmatched", row, link.reason or "no plan issue matches")
            audit.rows.append(row)
            continue
        issue, key = link.plan_issue, _key(link.task_list, link.plan_issue)
        row.plan_list, row.plan_seq, row.plan_sub_seq = key.plan_list, key.plan_seq, key.plan_sub_seq
        row.plan_problem, row.plan_span = issue.problem, issue.source
        row.method = link.method
        row.coverage = covered.get(key)
        row.plan_deadline = issue.deadline
        row.measures_promised = len(issue.measures)
        row.deadline_changed = deadline_changed(issue.deadline, item.deadline)
        audit.links.append(
            AuditLink(
                report_doc=report.doc_id,
                region=entry.region,
                report_seq=item.seq,
                plan_doc=plan.doc_id,
                plan_list=key.plan_list,
                plan_seq=key.plan_seq,
                plan_sub_seq=key.plan_sub_seq,
                method=link.method,
                score=link.score,
            )
        )
        if row.deadline_changed:
            row.findings.append("deadline_changed")
            _find(audit, "deadline_changed", row, f"plan: {issue.deadline.raw}; report: {item.deadline.raw}")
        row.overdue = _overdue(issue.deadline, item.status, entry.as_of, statuses)
        if row.overdue:
            row.findings.append("overdue")
            _find(
                audit,
                "overdue",
                row,
                f"due {issue.deadline.due_date.isoformat()} ({issue.deadline.raw}); "
                f"status as of {entry.as_of.isoformat()}: {item.status_raw or 'none'}",
            )
        linked[key] = row
        audit.rows.append(row)
    for task_list, issue, how in assigned:
        key = _key(task_list, issue)
        if key in linked or (issue.sub_seq is not None and _Key(key.plan_list, key.plan_seq, None) in linked):
            continue
        if issue.sub_seq is None and any(k.plan_list == key.plan_list and k.plan_seq == key.plan_seq for k in linked):
            continue  # answered through one of its sub-issues
        row = AuditRow(
            **about,
            plan_list=key.plan_list,
            plan_seq=key.plan_seq,
            plan_sub_seq=key.plan_sub_seq,
            plan_problem=issue.problem,
            plan_span=issue.source,
            coverage=how,
            plan_deadline=issue.deadline,
            measures_promised=len(issue.measures),
            findings=["unreported"],
        )
        _find(audit, "unreported", row, f"the plan assigns it to {entry.region} ({how}); the report does not answer it")
        audit.rows.append(row)
    return linked


def _overdue(deadline: Deadline | None, status, as_of: date | None, statuses: StatusVocabulary) -> bool | None:
    if deadline is None or deadline.due_date is None or as_of is None:
        return None
    if status in statuses.done:
        return False
    return deadline.due_date < as_of


def _status_regressions(
    audit: Audit, region: str, seen: list[tuple[AuditReport, dict[_Key, AuditRow]]], statuses: StatusVocabulary
) -> None:
    dated = sorted((s for s in seen if s[0].as_of is not None), key=lambda s: s[0].as_of)
    for (_, before), (_, after) in zip(dated, dated[1:]):
        for key, row in after.items():
            earlier = before.get(key)
            if earlier is None or earlier.status is None or row.status is None:
                continue
            if statuses.rank.get(row.status, 0) < statuses.rank.get(earlier.status, 0):
                row.findings.append("status_regressed")
                _find(
                    audit,
                    "status_regressed",
                    row,
                    f"{earlier.status_raw} ({earlier.report_date or 'undated'}) → {row.status_raw} "
                    f"({row.report_date or 'undated'})",
                )


def _find(audit: Audit, kind: FindingKind, row: AuditRow, detail: str) -> None:
    audit.findings.append(
        AuditFinding(
            finding=kind,
            region=row.region,
            report_doc=row.report_doc,
            report_seq=row.report_seq,
            plan_list=row.plan_list,
            plan_seq=row.plan_seq,
            plan_sub_seq=row.plan_sub_seq,
            detail=detail,
        )
    )
