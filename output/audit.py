"""Audit output: audit.parquet (one row per report item or expected plan
issue), audit.json (``model.Audit``, schema output/audit.schema.json) and a
self-contained audit.html for reading in a browser."""

from __future__ import annotations

import difflib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import get_args

import pyarrow as pa

from ..model import Audit, AuditRow, FindingKind, Span
from .atomic import write_text_atomic
from .tables import write_table

AUDIT = pa.schema(
    [
        ("region", pa.string()),
        ("report_doc", pa.string()),
        ("report_date", pa.date32()),
        ("report_seq", pa.int32()),
        ("report_label", pa.string()),
        ("report_problem", pa.string()),
        ("report_page", pa.int32()),
        ("report_line", pa.int32()),
        ("plan_doc", pa.string()),
        ("plan_list", pa.int32()),
        ("plan_seq", pa.int32()),
        ("plan_sub_seq", pa.int32()),
        ("plan_problem", pa.string()),
        ("plan_page", pa.int32()),
        ("plan_line", pa.int32()),
        ("method", pa.string()),
        ("score", pa.float64()),
        ("coverage", pa.string()),
        ("plan_deadline_raw", pa.string()),
        ("plan_deadline_due", pa.date32()),
        ("report_deadline_raw", pa.string()),
        ("report_deadline_due", pa.date32()),
        ("deadline_changed", pa.bool_()),
        ("status_raw", pa.string()),
        ("status", pa.string()),
        ("overdue", pa.bool_()),
        ("measures_promised", pa.int32()),
        ("progress_reported", pa.int32()),
        ("findings", pa.list_(pa.string())),
    ]
)


def audit_rows(audit: Audit) -> list[dict]:
    out = []
    for row in audit.rows:
        out.append(
            {
                "region": row.region,
                "report_doc": row.report_doc,
                "report_date": row.report_date,
                "report_seq": row.report_seq,
                "report_label": row.report_label,
                "report_problem": row.report_problem,
                "report_page": _page(row.report_span),
                "report_line": _line(row.report_span),
                "plan_doc": row.plan_doc,
                "plan_list": row.plan_list,
                "plan_seq": row.plan_seq,
                "plan_sub_seq": row.plan_sub_seq,
                "plan_problem": row.plan_problem,
                "plan_page": _page(row.plan_span),
                "plan_line": _line(row.plan_span),
                "method": row.method,
                "score": row.score,
                "coverage": row.coverage,
                "plan_deadline_raw": row.plan_deadline.raw if row.plan_deadline else None,
                "plan_deadline_due": row.plan_deadline.due_date if row.plan_deadline else None,
                "report_deadline_raw": row.report_deadline.raw if row.report_deadline else None,
                "report_deadline_due": row.report_deadline.due_date if row.report_deadline else None,
                "deadline_changed": row.deadline_changed,
                "status_raw": row.status_raw,
                "status": row.status,
                "overdue": row.overdue,
                "measures_promised": row.measures_promised,
                "progress_reported": row.progress_reported,
                "findings": list(row.findings),
            }
        )
    return out


def _page(span: Span | None) -> int | None:
    return span.page_start if span else None


def _line(span: Span | None) -> int | None:
    return span.line_start if span else None


def summary(audit: Audit, out_dir: Path) -> str:
    """The terminal summary: links and counts per finding, per region."""
    lines = [f"wrote {out_dir}/audit.parquet, audit.json, audit.html"]
    for report in audit.reports:
        links = [link for link in audit.links if link.report_doc == report.doc]
        methods = Counter(link.method for link in links)
        counts = Counter(f.finding for f in audit.findings if f.report_doc == report.doc)
        found = ", ".join(f"{kind} {counts[kind]}" for kind in _FINDING_ORDER) or "none"
        dated = report.as_of.isoformat() if report.as_of else "no date: overdue not judged (use --as-of)"
        lines.append(
            f"{report.region} ({report.path}, {dated}): {len(links)} items linked "
            f"({methods['cross_reference']} by cross-reference, {methods['text']} by text); findings: {found}"
        )
    return "\n".join(lines)


_FINDING_ORDER: tuple[str, ...] = get_args(FindingKind)


def write_audit(audit: Audit, out_dir: Path) -> None:
    write_table(audit_rows(audit), AUDIT, out_dir / "audit.parquet")
    write_text_atomic(out_dir / "audit.json", audit.model_dump_json(indent=1) + "\n")
    write_text_atomic(out_dir / "audit.html", render_html(audit))


# --------------------------------------------------------------------------
# HTML


def text_diff(plan: str, report: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Both texts as (kind, text) segments: "same" where they agree, "only"
    where one has text the other lacks (character diff)."""
    matcher = difflib.SequenceMatcher(None, plan, report, autojunk=False)
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            left.append(("same", plan[a0:a1]))
            right.append(("same", report[b0:b1]))
            continue
        if a1 > a0:
            left.append(("only", plan[a0:a1]))
        if b1 > b0:
            right.append(("only", report[b0:b1]))
    return left, right


def where(span: Span | None) -> str:
    if span is None:
        return ""
    if span.page_start == span.page_end:
        lines = f"l. {span.line_start}" + (f"–{span.line_end}" if span.line_end != span.line_start else "")
        return f"p. {span.page_start}, {lines}"
    return f"p. {span.page_start} l. {span.line_start} – p. {span.page_end} l. {span.line_end}"


def _row_class(row: AuditRow) -> str:
    for finding, css in (
        ("unmatched", "unmatched"),
        ("unreported", "unreported"),
        ("overdue", "late"),
        ("status_regressed", "late"),
        ("deadline_changed", "changed"),
    ):
        if finding in row.findings:
            return css
    return "ok"


def _sort_key(row: AuditRow) -> tuple:
    return (row.plan_list or 999, row.plan_seq or 999, row.plan_sub_seq or 0, row.report_seq or 0)


@lru_cache(maxsize=1)
def _environment():
    # jinja2 is imported here, on first use: `zhenggai extract` loads this
    # module with the command line but never renders an audit.
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("zhenggai.output", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(text_diff=text_diff, where=where, row_class=_row_class)
    return env


def render_html(audit: Audit) -> str:
    sections = []
    for report in audit.reports:
        rows = sorted((r for r in audit.rows if r.report_doc == report.doc), key=_sort_key)
        counts = Counter(f.finding for f in audit.findings if f.report_doc == report.doc)
        sections.append({"report": report, "rows": rows, "counts": [(k, counts[k]) for k in _FINDING_ORDER]})
    return _environment().get_template("audit.html.j2").render(audit=audit, sections=sections)
