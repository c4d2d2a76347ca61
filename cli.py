"""Command line: ``zhenggai extract INPUT... -o OUT`` converts notices;
``zhenggai units OUT --region NAME`` lists the issues a region answers for;
``zhenggai audit PLAN PROGRESS... -o OUT`` compares progress reports with a plan.

Exit status: 0 when every input was read (ok or partial), 1 when some
failed or the output could not be written, 2 for usage errors, 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .audit import LinkSettings, build_audit, check_report
from .audit.coverage import Region, how_unit_covers
from .batch import Converter, Limits, RunStats, Task, collect_inputs, error_line, plan, run
from .errors import Errors, ZhenggaiError
from .model import Document, DocumentKind, Unit
from .normalize.gazetteer import load_gazetteer
from .output import DocumentOutput
from .output.audit import summary as audit_summary
from .output.audit import write_audit
from .output.dataset import PART_SIZE, Dataset, DatasetBusy, OldLayout, OutputUnwritable, read_table, recover_if_idle
from .pipeline import Options, convert_safely


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
    ext.add_argument(
        "--debug", action="store_true",
        help="convert in this process, without limits, and stop with the traceback of an unexpected error",
    )
    ext.add_argument("-q", "--quiet", action="store_true", help="print only errors (no progress bar, no summary)")
    ext.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: the machine's cores)"
    )
    ext.add_argument(
        "--timeout", type=float, default=Limits.timeout, metavar="SECONDS",
        help=f"time limit per document (default {Limits.timeout:g}; 0: none)",
    )
    ext.add_argument(
        "--max-memory", type=int, default=Limits.max_memory_mb, metavar="MB",
        help=f"address-space limit per worker (default {Limits.max_memory_mb}; 0: none)",
    )
    ext.add_argument("--force", action="store_true", help="convert every input again, even if unchanged")
    ext.add_argument(
        "--checksum", action="store_true",
        help="read and hash every input OUT holds to find the changed ones"
        " (default: only those whose size, times or inode changed since they were hashed)",
    )
    ext.add_argument(
        "--part-size", type=int, default=PART_SIZE, metavar="N",
        help=f"documents per Parquet part file (default {PART_SIZE})",
    )
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


def run_extract(ns: argparse.Namespace) -> int:
    out: Path = ns.output
    if out.exists() and not out.is_dir():
        raise _UsageError(f"output {out} exists and is not a directory")
    if ns.jobs < 1 or ns.part_size < 1 or ns.timeout < 0 or ns.max_memory < 0:
        raise _UsageError("--jobs and --part-size must be at least 1, --timeout and --max-memory at least 0")
    inputs = collect_inputs(ns.inputs)
    if not inputs:
        raise _UsageError("no input documents found")
    if not ns.debug:
        # pdfminer logs every oddity of a damaged PDF to stderr; a file's
        # outcome is its one line and its row.
        for library in ("pdfminer", "pdfplumber"):
            logging.getLogger(library).setLevel(logging.CRITICAL)
    limits = Limits(timeout=ns.timeout or None, max_memory_mb=ns.max_memory or None)
    converter = Converter(Options(password=ns.password), debug=ns.debug)
    try:
        with Dataset(out, part_size=ns.part_size) as dataset:
            work = plan(inputs, dataset, force=ns.force, checksum=ns.checksum)
            with _Progress(work.tasks, enabled=not ns.quiet and sys.stderr.isatty()) as progress:
                stats = run(work, dataset, jobs=ns.jobs, limits=limits, converter=converter, on_output=progress)
    except (DatasetBusy, OldLayout) as exc:
        raise _UsageError(str(exc)) from exc
    except OutputUnwritable as exc:
        print(ZhenggaiError(Errors.output_unwritable, out, detail=str(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"zhenggai: interrupted; {out}/ holds every batch committed so far: run again to finish", file=sys.stderr)
        return 130
    if not ns.quiet:
        print(summary(stats, out))
    return 1 if stats.failed else 0


class _Progress:
    """Progress bar on stderr (files done, pages/s, errors, time left);
    error lines are printed above it as documents fail. The bar advances
    by each file's bytes, not by files: the largest files go first, so
    time left counted in files came out four times too long at the start
    of a run (bytes: within 2x, and close from a quarter of the way)."""

    def __init__(self, tasks: list[Task], *, enabled: bool):
        tqdm.monitor_interval = 0  # no monitor thread: workers are forked from this process
        self.weights = {task.recorded_path: max(1, task.size) for task in tasks}
        self.bar = tqdm(
            total=sum(self.weights.values()),
            disable=not enabled,
            file=sys.stderr,
            dynamic_ncols=True,
            bar_format="{l_bar}{bar}| [{elapsed}<{remaining}{postfix}]",
        )
        self.files = len(tasks)
        self.started = time.monotonic()
        self.done = 0
        self.pages = 0
        self.errors = 0

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.close()

    def __call__(self, output: DocumentOutput) -> None:
        line = error_line(output)
        if line:
            self.errors += 1
            tqdm.write(line, file=sys.stderr)
        self.done += 1
        self.pages += output.row["page_count"] or 0
        rate = self.pages / max(time.monotonic() - self.started, 1e-6)
        self.bar.set_postfix_str(
            f"{self.done}/{_counted(self.files, 'file')}, {rate:.1f} pages/s, {_counted(self.errors, 'error')}", refresh=False
        )
        self.bar.update(self.weights[output.row["path"]])


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary(stats: RunStats, out: Path) -> str:
    skipped = f"{_counted(stats.skipped, 'unchanged document')} skipped"
    if not stats.converted:
        return f"{out}/ is up to date: {skipped}"
    status = stats.status
    text = (
        f"wrote {out}/: {_counted(stats.converted, 'document')} ({status['ok']} ok, {status['partial']} partial, "
        f"{_counted(status['error'], 'error')}), {_counted(stats.issues, 'issue')}, {_counted(stats.measures, 'measure')}, "
        f"{_counted(stats.milestones, 'milestone')}, {_counted(stats.items, 'progress report item')}"
    )
    if stats.skipped:
        text += f"; {skipped}"
    return text


def run_units(ns: argparse.Namespace) -> int:
    if not all((ns.output / name).is_dir() for name in ("unit_links", "issues", "documents")):
        raise _UsageError(f"{ns.output} holds no unit_links/, issues/, documents/: run `zhenggai extract` first")
    recover_if_idle(ns.output)
    links = read_table(ns.output, "unit_links").to_pylist()
    issues = {row["issue_id"]: row for row in read_table(ns.output, "issues").to_pylist()}
    region = load_gazetteer().region(ns.region)
    hits = region_links(links, Region(region.name if region else None, ns.region))
    if ns.role:
        hits = [(link, how) for link, how in hits if link["role"] == ns.role]
    print(f"{ns.region} → {region.name if region else '(not in the gazetteer: matched as written)'}")
    docs = {row["doc_id"]: row["path"] for row in read_table(ns.output, "documents").to_pylist()}
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
