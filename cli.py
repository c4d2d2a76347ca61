"""Command line: ``zhenggai extract INPUT... -o OUT``.

Exit status: 0 when every input was read (ok or partial), 1 when some
failed, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path, PurePosixPath

from . import __version__
from .errors import ZhenggaiError
from .extract import SUPPORTED_SUFFIXES
from .output import DocumentRow, write_document_json, write_tables
from .output.tables import walk_issues
from .pipeline import Options, convert_safely

# Files a directory walk picks up: what we read, and document formats we
# do not read yet, so that they are reported rather than silently skipped.
DOCUMENT_SUFFIXES = SUPPORTED_SUFFIXES + (".doc", ".docx", ".wps", ".rtf", ".odt", ".html", ".htm")


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
    return parser


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
    issues = [issue for doc in docs for _, issue in walk_issues(doc)]
    measures = [m for issue in issues for m in issue.measures]
    milestones = sum(len(m.milestones) for m in measures)
    status = Counter(doc.status.value for doc in docs)
    errors = len(rows) - len(docs)
    return (
        f"wrote {out}/: {len(rows)} documents ({status['ok']} ok, {status['partial']} partial, "
        f"{errors} errors), {len(issues)} issues, {len(measures)} measures, {milestones} milestones"
    )


def main(argv: list[str] | None = None) -> int:
    try:
        ns = _parser().parse_args(argv)
        if ns.command == "extract":
            return run_extract(ns)
    except _UsageError as exc:
        print(f"zhenggai: error: {exc}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
