"""Command line: ``zhenggai extract INPUT... -o OUT`` converts notices;
``zhenggai units OUT --region NAME`` lists the issues a region answers for;
``zhenggai audit PLAN PROGRESS... -o OUT`` compares progress reports with a plan.

Exit status: 0 when every input was read (ok or partial), 1 when some
failed, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections import Counter
from datetime import date
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq

from . import __version__
from .audit import LinkSettings, build_audit, check_report
from .audit.coverage import Region, how_unit_covers
from .errors import Errors, ZhenggaiError
from .extract import SUPPORTED_SUFFIXES
from .model import Document, DocumentKind, Unit, walk_issues
from .normalize.gazetteer import load_gazetteer
from .output import DocumentRow, write_document_json, write_tables
from .output.audit import summary as audit_summary
from .output.audit import write_audit
from .pipeline import Options, convert_safely

# Files a directory walk picks up: what we read, and document formats we
# do not read yet, so that they are reported rather than silently skipped.
DOCUMENT_SUFFIXES = SUPPORTED_SUFFIXES + (".rtf", ".odt")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a one-line message
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhenggai", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"zhenggai {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ext = sub.add_parser("extract", help="convert files or directories of notices")
    ext.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="files or directories")
    ext.add_argument("-o", "--output", type=Path, required=True, metavar="OUT", help="output directory")
    ext.add_argument("--password", help="password for encrypted PDFs")
    ext.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    ext.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    units = sub.add_parser("units", help="issues whose units include a region, directly or through a collective")
    units.add_argument("output", type=Path, metavar="OUT", help="an output directory of `zhenggai extract`")
    units.add_argument("--region", required=True, help="region as written (昌吉州, 伊犁州, 第六师, 阜康市 …)")
    units.add_argument("--role", help="only this role (responsible, acceptance, lead, cooperating, supervising)")
    aud = sub.add_parser(
        "audit", help="link progress reports to a plan and report what changed, what is late and what is missing"
    )
    aud.add_argument("plan", type=Path, metavar="PLAN", help="the rectification plan: a source file or its extracted JSON")
    aud.add_argument("reports", nargs="+", type=Path, metavar="PROGRESS", help="progress reports: source files or JSON")
    aud.add_argument("-o", "--output", type=Path, required=True, metavar="OUT", help="output directory")
    aud.add_argument("--as-of", type=_iso_date, help="judge overdue as of this date (YYYY-MM-DD) instead of the reports' signing dates")
    aud.add_argument("--min-score", type=float, default=LinkSettings.min_score, help="least text similarity (0-100) for a link by text")
    aud.add_argument("--password", help="password for encrypted PDFs")
    aud.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def collect_inputs(args: list[Path]) -> list[tuple[Path, str]]:
    """(path, name relative to the argument that named it) for every input."""
    found: list[tuple[Path, str]] = []
    for arg in args:
        if arg.is_dir():
            for path in sorted(p for p in arg.rglob("*") if p.is_file()):
                rel = path.relative_to(arg)
                if path.suffix.lower() in DOCUMENT_SUFFIXES and not any(part.startswith(".") for part in rel.parts):
                    found.append((path, rel.as_posix()))
        else:
            found.append((arg, arg.name))
    return found


def json_names(inputs: list[tuple[Path, str]]) -> list[str]:
    """Relative JSON paths; inputs whose names collide keep their whole path."""
    counts = Counter(name for _, name in inputs)
    names = []
    for path, name in inputs:
        if counts[name] > 1:
            parts = [p for p in PurePosixPath(path.as_posix()).parts if p not in ("/", "..", ".")]
            name = "/".join(parts)
        names.append(f"{name}.json")
    return names


def run_extract(ns: argparse.Namespace) -> int:
    out: Path = ns.output
    if out.exists() and not out.is_dir():
        raise _UsageError(f"output {out} exists and is not a directory")
    inputs = collect_inputs(ns.inputs)
    if not inputs:
        raise _UsageError("no input documents found")
    if not ns.debug:
        # pdfminer logs every oddity of a damaged PDF to stderr; a file's
        # outcome is its one line and its row.
        for library in ("pdfminer", "pdfplumber"):
            logging.getLogger(library).setLevel(logging.CRITICAL)
    options = Options(password=ns.password)
    rows: list[DocumentRow] = []
    for (path, _), json_name in zip(inputs, json_names(inputs)):
        result = convert_safely(path, options, debug=ns.debug)
        if isinstance(result, ZhenggaiError):
            print(result.one_line(), file=sys.stderr)
            rows.append(
                DocumentRow(
                    path=str(path),
                    document=None,
                    sha256=_sha256(path),
                    format=path.suffix.lower().lstrip(".") or None,
                    error_code=result.code.code,
                    error_message=result.detail,
                )
            )
            continue
        write_document_json(result, out / "json" / json_name)
        rows.append(DocumentRow(path=str(path), document=result, json_path=f"json/{json_name}"))
    write_tables(rows, out)
    if not ns.quiet:
        print(summary(rows, out))
    return 1 if any(row.document is None for row in rows) else 0


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def summary(rows: list[DocumentRow], out: Path) -> str:
    docs = [row.document for row in rows if row.document is not None]
    issues = [issue for doc in docs if doc.kind is not DocumentKind.progress_report for _, issue in walk_issues(doc)]
    items = sum(1 for doc in docs if doc.kind is DocumentKind.progress_report for _ in walk_issues(doc))
    measures = [m for issue in issues for m in issue.measures]
    milestones = sum(len(m.milestones) for m in measures)
    status = Counter(doc.status.value for doc in docs)
    errors = len(rows) - len(docs)
    return (
        f"wrote {out}/: {len(rows)} documents ({status['ok']} ok, {status['partial']} partial, "
        f"{errors} errors), {len(issues)} issues, {len(measures)} measures, {milestones} milestones, "
        f"{items} progress report items"
    )


def run_units(ns: argparse.Namespace) -> int:
    links_path, issues_path = ns.output / "unit_links.parquet", ns.output / "issues.parquet"
    if not links_path.is_file() or not issues_path.is_file():
        raise _UsageError(f"{ns.output} holds no unit_links.parquet/issues.parquet: run `zhenggai extract` first")
    links = pq.read_table(links_path).to_pylist()
    issues = {row["issue_id"]: row for row in pq.read_table(issues_path).to_pylist()}
    region = load_gazetteer().region(ns.region)
    hits = region_links(links, Region(region.name if region else None, ns.region))
    if ns.role:
        hits = [(link, how) for link, how in hits if link["role"] == ns.role]
    print(f"{ns.region} → {region.name if region else '(not in the gazetteer: matched as written)'}")
    docs = {row["doc_id"]: row["path"] for row in pq.read_table(ns.output / "documents.parquet").to_pylist()}
    seen: dict[tuple[str, str], list[str]] = {}
    for link, how in hits:
        seen.setdefault((link["issue_id"], link["role"]), []).append(how)
    current_doc = None
    for (iid, role), hows in sorted(seen.items(), key=lambda kv: _issue_order(issues[kv[0][0]])):
        issue = issues[iid]
        if issue["doc_id"] != current_doc:
            current_doc = issue["doc_id"]
            print(f"{docs.get(current_doc, current_doc)}:")
        number = f"{issue['list_no']}-{issue['seq']}" + (f".{issue['sub_seq']}" if issue["sub_seq"] else "")
        print(f"{number:>8}  {role:<12} {'; '.join(dict.fromkeys(hows))}  {issue['problem'][:40]}")
    print(f"{len({iid for iid, _ in seen})} issues in {len({issues[iid]['doc_id'] for iid, _ in seen})} documents")
    return 0


def _issue_order(issue: dict) -> tuple:
    return (issue["doc_id"], issue["list_no"], issue["seq"], issue["sub_seq"] or 0)


def region_links(links: list[dict], region: Region) -> list[tuple[dict, str]]:
    """unit_links rows that name the region directly ("direct: 昌吉回族自治州党委")
    or through a collective whose members include it ("via 各地（州、市）…").
    A region the gazetteer does not know is matched by its name as written."""
    out = []
    for link in links:
        unit = Unit(**{key: link[key] for key in _UNIT_COLUMNS}, members=link["members"] or [])
        how = how_unit_covers(unit, region)
        if how is not None:
            out.append((link, how))
    return out


_UNIT_COLUMNS = ("raw", "name", "region", "place", "level", "organ", "collective")


def load_document(path: Path, options: Options, *, debug: bool = False) -> Document | ZhenggaiError:
    """A source file through the pipeline, or an extracted document JSON."""
    if path.suffix.lower() != ".json":
        return convert_safely(path, options, debug=debug)
    try:
        return Document.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return ZhenggaiError(Errors.file_not_found, path)
    except (OSError, ValueError) as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return ZhenggaiError(Errors.not_a_document, path, detail=detail)


def run_audit(ns: argparse.Namespace) -> int:
    out: Path = ns.output
    if out.exists() and not out.is_dir():
        raise _UsageError(f"output {out} exists and is not a directory")
    try:
        settings = LinkSettings(min_score=ns.min_score)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    options = Options(password=ns.password)
    plan = load_document(ns.plan, options, debug=ns.debug)
    if not isinstance(plan, ZhenggaiError) and plan.kind is not DocumentKind.rectification_plan:
        plan = ZhenggaiError(Errors.wrong_kind, ns.plan, expected="rectification plan", kind=plan.kind.value)
    if isinstance(plan, ZhenggaiError):
        print(plan.one_line(), file=sys.stderr)
        return 1
    reports, failed = [], 0
    for path in ns.reports:
        report = load_document(path, options, debug=ns.debug)
        if not isinstance(report, ZhenggaiError) and report.kind is not DocumentKind.progress_report:
            report = ZhenggaiError(Errors.wrong_kind, path, expected="progress report", kind=report.kind.value)
        if not isinstance(report, ZhenggaiError):
            try:
                check_report(report)
            except ZhenggaiError as exc:
                report = exc
        if isinstance(report, ZhenggaiError):
            print(report.one_line(), file=sys.stderr)
            failed += 1
            continue
        reports.append(report)
    audit = build_audit(plan, reports, as_of=ns.as_of, settings=settings)
    write_audit(audit, out)
    print(audit_summary(audit, out))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    try:
        ns = _parser().parse_args(argv)
        if ns.command == "extract":
            return run_extract(ns)
        if ns.command == "units":
            return run_units(ns)
        if ns.command == "audit":
            return run_audit(ns)
    except _UsageError as exc:
        print(f"zhenggai: error: {exc}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
