"""Many documents through the pipeline: worker processes under per-document
limits, results committed to the output dataset batch by batch.

Worker processes are our own (multiprocessing, fork where available) rather
than concurrent.futures or pebble: a document that hangs must be killed
without losing the worker pool (ProcessPoolExecutor cannot cancel a running
task and breaks when a worker dies), the memory limit must be set inside
each worker (RLIMIT_AS), a worker must die with the parent when the parent
is killed (PR_SET_PDEATHSIG), and the parent starts no threads of its own
so that forking a replacement worker is safe (pebble manages its pool from
threads). The libraries' threads in the parent, numpy's OpenBLAS pool
(which the command does not start: __main__.py) and pyarrow's jemalloc
background thread, are stopped or quiesced around a fork by those
libraries' own pthread_atfork handlers.
The parent hands each worker a document and, while enough are left for
every worker, the one after it (so that a worker never waits for the parent
between documents), and waits on the workers' pipes and process sentinels
with the nearest deadline as timeout.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import resource
import signal
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from functools import lru_cache
from multiprocessing.connection import wait
from pathlib import Path, PurePosixPath
from stat import S_ISREG
from typing import Callable, Iterable, Iterator

from . import __version__
from .errors import Errors, ZhenggaiError
from .extract import SUPPORTED_SUFFIXES
from .model import DocumentKind
from .output import DocumentOutput, DocumentRow, document_output, tables
from .output.dataset import Committed, Dataset, FileStat, HashMemo, prepare_conversion
from .paths import path_text
from .pipeline import Options, convert_safely

# Files a directory walk picks up: what we read, and document formats we
# do not read yet, so that they are reported rather than silently skipped.
DOCUMENT_SUFFIXES = SUPPORTED_SUFFIXES + (".rtf", ".odt")

# The longest file name, in bytes, that ext4, XFS and btrfs take: each
# part of a JSON name is kept within it.
NAME_MAX = 255

# Data files whose content changes what a document comes out as.
OUTPUT_DATA = ("extract/data", "parsers/data", "normalize/data")

# Errors caused by the run's limits or by a bug rather than by the file:
# retried by the next run.
RETRIED_ERRORS = frozenset(
    {Errors.timeout.code, Errors.too_large.code, Errors.worker_crashed.code, Errors.internal_error.code}
)

# A batch is committed when it holds part_size documents or is this old, so
# a killed run loses at most this much work.
COMMIT_SECONDS = 60.0

# Allocations between the garbage collector's youngest collections (Python's
# default is 700). A document allocates millions of objects that reference
# counting frees; collecting every 700 cost 7% of a run. The documents'
# objects form few cycles, so the garbage left waiting stays small.
GC_THRESHOLD = 50_000
# Documents a worker holds: the one it converts and the next. Between two
# documents a worker otherwise waited for the parent to take its output and
# send another (a few milliseconds each, a tenth of a second while the parent
# commits a batch): 5% of a one-worker run.
HELD_PER_WORKER = 2


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """What decides a document's output besides its bytes: the package
    version, the vocabulary and gazetteer files, and the table schemas. A
    document extracted under another version is extracted again."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for folder in OUTPUT_DATA:
        for file in sorted(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    for name, schema in [("documents", tables.DOCUMENTS)] + [(s.name, s.schema) for s in tables.DOCUMENT_TABLES]:
        digest.update(f"{name}\0{schema.to_string()}\0".encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def collect_inputs(args: Iterable[Path]) -> list[tuple[Path, str]]:
    """(path, name relative to the argument that named it) for every input,
    each path once. In a directory, every entry with a document's suffix
    that is not a directory is an input: a link to nothing, a FIFO or a
    device there gets its error row, as when named on the command line,
    rather than being passed over without a word."""
    found: dict[str, tuple[Path, str]] = {}
    for arg in args:
        if arg.is_dir():
            for path in sorted(p for p in arg.rglob("*") if not p.is_dir()):
                rel = path.relative_to(arg)
                if path.suffix.lower() in DOCUMENT_SUFFIXES and not any(part.startswith(".") for part in rel.parts):
                    found.setdefault(str(path), (path, path_text(rel.as_posix())))
        else:
            found.setdefault(str(arg), (arg, path_text(arg.name)))
    return list(found.values())


def json_names(inputs: list[tuple[Path, str]], taken: frozenset[str] = frozenset()) -> list[str]:
    """Relative JSON paths; inputs whose names collide with each other or
    with a name in ``taken`` keep their whole path."""
    counts = Counter(name for _, name in inputs)
    names = []
    for path, name in inputs:
        json_name = _json_name(name)
        if counts[name] > 1 or json_name in taken:
            whole = "/".join(p for p in PurePosixPath(path_text(path.as_posix())).parts if p not in ("/", "..", "."))
            json_name = _json_name(whole)
        names.append(json_name)
    return names


def _json_name(name: str) -> str:
    """``name`` + ".json", each part within NAME_MAX bytes: an input's name
    may already be that long, and one with bytes written as \\xNN four times
    longer. A part too long keeps the characters that fit before a hash of
    the whole part, so that names that differ stay apart."""
    *folders, last = name.split("/")
    return "/".join([*(_fitting(folder, "") for folder in folders), _fitting(last, ".json")])


def _fitting(part: str, suffix: str) -> str:
    if len((part + suffix).encode()) <= NAME_MAX:
        return part + suffix
    suffix = f"~{hashlib.sha256(part.encode()).hexdigest()[:16]}{suffix}"
    return part.encode()[: NAME_MAX - len(suffix)].decode("utf-8", "ignore") + suffix


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a regular file (None for anything else), read in
    chunks: the parent hashes inputs and has no memory limit, so a file of
    gigabytes must not be read whole. Opened without blocking and checked
    before reading: a FIFO given as an input blocked its opener for good
    (the parent, making its timeout row), and a device never ends."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with open(fd, "rb") as fh:
        try:
            if not S_ISREG(os.fstat(fd).st_mode):
                return None
            return hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:
            return None


def input_sha256(path: Path, recorded_path: str, hashes: HashMemo, *, checksum: bool = False) -> str | None:
    """The file's SHA-256: memoized while its stat is unchanged (unless
    ``checksum``), else read and memoized."""
    if not checksum and (known := hashes.sha256(recorded_path, FileStat.of(path))) is not None:
        return known
    sha256, stat = FileStat.vouching(path, lambda: file_sha256(path))
    if sha256 is not None and stat is not None:
        hashes.remember(recorded_path, stat, sha256)
    return sha256


@dataclass(frozen=True)
class Task:
    """One input for a worker."""

    path: Path
    sha256: str | None  # known only for a path OUT holds (None: not hashed yet)
    json_name: str  # the document JSON's path in OUT ("json/…")
    json_file: Path  # where the worker writes it until the batch commits
    size: int = 0  # bytes (0 when it cannot be read): the order of tasks and the progress bar's weight

    @property
    def recorded_path(self) -> str:
        """The path as OUT records it (its documents row, the index key)."""
        return path_text(self.path)


@dataclass(frozen=True)
class Plan:
    tasks: list[Task]
    skipped: list[Committed]  # unchanged since the run that wrote them


def plan(inputs: list[tuple[Path, str]], dataset: Dataset, *, force: bool = False, checksum: bool = False) -> Plan:
    """Which inputs to convert: new paths, paths whose content or extractor
    changed, and paths whose last run hit a limit (RETRIED_ERRORS). A file
    whose stat is the one memoized with its hash is not read again, unless
    ``checksum``."""
    version = extractor_version()
    committed = dataset.documents()
    todo: list[tuple[Path, str, str, str | None, Committed | None]] = []
    skipped = []
    for path, rel in inputs:
        recorded_path = path_text(path)
        prev = committed.get(recorded_path)
        # Only a path OUT holds needs its hash to be planned: a first run
        # must not read every input once here, serially, before converting
        # (the worker hashes what it reads; Converter.failed what it cannot).
        sha256 = (
            input_sha256(path, recorded_path, dataset.hashes, checksum=checksum) if prev is not None and not force else None
        )
        unchanged = (
            prev is not None
            and sha256 is not None
            and prev.sha256 == sha256
            and prev.extractor == version
            and prev.error_code not in RETRIED_ERRORS
        )
        if unchanged and not force:
            skipped.append(prev)
        else:
            todo.append((path, recorded_path, rel, sha256, prev))
    # A path keeps the JSON name it has; new paths avoid the names others hold.
    redone = {recorded_path for _, recorded_path, _, _, _ in todo}
    taken = {c.json_path for p, c in committed.items() if c.json_path and p not in redone}
    taken |= {prev.json_path for *_, prev in todo if prev is not None and prev.json_path}
    fresh = [(path, rel) for path, _, rel, _, prev in todo if prev is None or not prev.json_path]
    names = iter(json_names(fresh, frozenset(name.removeprefix("json/") for name in taken)))
    tasks = []
    for i, (path, _, _, sha256, prev) in enumerate(todo):
        json_name = prev.json_path if prev is not None and prev.json_path else f"json/{next(names)}"
        tasks.append(Task(path, sha256, json_name, dataset.json_staging / f"{i}.json", _file_size(path)))
    # Largest files first: the last tasks are then short ones, and no worker
    # sits idle at the end while another converts a long document.
    tasks.sort(key=lambda task: task.size, reverse=True)
    return Plan(tasks, skipped)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # it becomes an error row when converted


@dataclass(frozen=True)
class Limits:
    """Per document: seconds and megabytes of address space (None: no limit)."""

    timeout: float | None = 300.0
    max_memory_mb: int | None = 4096


@dataclass(frozen=True)
class Converter:
    """What a worker does with a task. With ``debug`` an unexpected error
    raises (``run`` then converts in its own process, so it stops the run
    with its traceback)."""

    options: Options = field(default_factory=Options)
    extractor: str = field(default_factory=lambda: extractor_version())  # looked up when made, as plan() does
    debug: bool = False

    def convert(self, task: Task) -> DocumentOutput:
        output, stat = FileStat.vouching(task.path, lambda: self._output(task))
        return output if stat is None else replace(output, file_stat=stat)

    def _output(self, task: Task) -> DocumentOutput:
        result = convert_safely(task.path, self.options, debug=self.debug)
        if isinstance(result, ZhenggaiError):
            return self.failed(task, result)
        row = DocumentRow(path=task.recorded_path, document=result, json_path=task.json_name, extractor=self.extractor)
        return document_output(row, task.json_file)

    def failed(self, task: Task, error: ZhenggaiError) -> DocumentOutput:
        row = DocumentRow(
            path=task.recorded_path,
            document=None,
            sha256=task.sha256 or file_sha256(task.path),
            format=task.path.suffix.lower().lstrip(".") or None,
            error_code=error.code.code,
            error_message=error.detail,
            extractor=self.extractor,
        )
        return document_output(row, None)


def error_line(output: DocumentOutput) -> str | None:
    """The one-line message of a failed input, as ZhenggaiError prints it."""
    row = output.row
    return f"[{row['error_code']}] {row['path']}: {row['error_message']}" if row["error_code"] else None


def _exit_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this worker when the parent dies (Linux)."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # elsewhere an orphan ends when its pipe closes
    if os.getppid() != parent_pid:
        os._exit(0)


def set_up_worker() -> None:
    """Set this process up for converting documents and nothing else: a
    worker's settings (the parent's stay Python's and PDFium's defaults)."""
    from .extract import pdf  # imported already by warm_up, before the fork

    # What the process holds now (modules, vocabularies, the gazetteer)
    # lives as long as it does: no collection need scan it again, and a
    # forked worker then leaves the pages it shares with its parent alone.
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    pdf.ignore_system_fonts()


def _worker_main(conn, parent_pid: int, max_memory_mb: int | None, converter: Converter) -> None:
    _exit_with_parent(parent_pid)
    set_up_worker()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if max_memory_mb:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (max_memory_mb * 2**20, hard))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        # With each output the time it was done, when the next document
        # began (the monotonic clock is the machine's, not the process's):
        # the next document's time limit counts from there.
        try:
            conn.send((converter.convert(task), False, time.monotonic()))
        except MemoryError:
            # Say so and retire: the parent starts a fresh worker and hands
            # it the document this one held next.
            error = ZhenggaiError(Errors.too_large, task.path, megabytes=max_memory_mb)
            conn.send((converter.failed(task, error), True, time.monotonic()))
            return


class _Worker:
    def __init__(self, context, limits: Limits, converter: Converter):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, os.getpid(), limits.max_memory_mb, converter), daemon=True
        )
        self.process.start()
        child.close()

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit status {exitcode}"


@dataclass
class _Held:
    """The documents a worker holds, in the order it converts them, and
    when the first one's time is up."""

    tasks: deque[Task]
    deadline: float


class WorkerPool:
    """``jobs`` worker processes; ``imap`` yields outputs as documents
    finish, in completion order. A document past the timeout has its worker
    killed; one whose worker dies gets worker_crashed; either way a fresh
    worker takes the documents that worker held next."""

    def __init__(self, jobs: int, limits: Limits, converter: Converter):
        self.jobs = max(1, jobs)
        self.limits = limits
        self.converter = converter
        methods = multiprocessing.get_all_start_methods()
        # fork: workers share the parent's loaded vocabularies and start in
        # milliseconds; the parent starts no threads (see the module's
        # docstring for its libraries'), so forking is safe.
        self._context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type, *exc: object) -> None:
        for worker in self._workers:
            worker.stop(kill=exc_type is not None)
        self._workers.clear()

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self.limits, self.converter)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        worker.stop(kill=kill)
        self._workers.remove(worker)

    def imap(self, tasks: Iterable[Task]) -> Iterator[DocumentOutput]:
        """The workers begin at once, not when the first output is asked
        for: the caller can do its own setting up meanwhile."""
        queue = deque(tasks)
        idle: list[_Worker] = []
        held: dict[_Worker, _Held] = {}
        self._dispatch(queue, idle, held)
        return self._outputs(queue, idle, held)

    def _outputs(self, queue: deque[Task], idle: list[_Worker], held: dict[_Worker, _Held]) -> Iterator[DocumentOutput]:
        while held:
            nearest = min(h.deadline for h in held.values())
            wait_for = None if nearest == float("inf") else max(0.0, nearest - time.monotonic())
            wait([w.conn for w in held] + [w.process.sentinel for w in held], wait_for)
            outputs: list[DocumentOutput] = []
            for worker, holding in list(held.items()):
                gone = self._collect(worker, holding, outputs)
                if gone:
                    # What it held next it never began: first in line again.
                    queue.extendleft(reversed(holding.tasks))
                    del held[worker]
                    self._retire(worker, kill=True)
                elif not holding.tasks:
                    del held[worker]
                    idle.append(worker)
            # Workers get their next tasks before the caller takes its time
            # over these outputs (their Arrow rows, the progress bar): a
            # worker waiting for that is a core doing nothing.
            self._dispatch(queue, idle, held)
            yield from outputs

    def _dispatch(self, queue: deque[Task], idle: list[_Worker], held: dict[_Worker, _Held]) -> None:
        """Hand out tasks: one to every worker holding none, then a next
        one to each while the queue still has one for every worker (near
        the end, a document held next could wait behind a long one while
        another worker has nothing to do)."""
        while queue and (idle or len(held) < self.jobs):
            worker = idle.pop() if idle else self._start()
            task = queue.popleft()
            if not self._send(worker, task):  # the idle worker died: replace it
                self._retire(worker, kill=True)
                queue.appendleft(task)
                continue
            held[worker] = _Held(deque([task]), time.monotonic() + self._seconds_allowed)
        for worker, holding in held.items():
            while len(queue) >= self.jobs and len(holding.tasks) < HELD_PER_WORKER:
                task = queue.popleft()
                if not self._send(worker, task):
                    # It died with a document: _collect says so when its
                    # sentinel wakes the pool.
                    queue.appendleft(task)
                    break
                holding.tasks.append(task)

    @property
    def _seconds_allowed(self) -> float:
        """A document's time limit (infinite without one)."""
        return self.limits.timeout or float("inf")

    @staticmethod
    def _send(worker: _Worker, task: Task) -> bool:
        try:
            worker.conn.send(task)
        except OSError:
            return False
        return True

    def _collect(self, worker: _Worker, holding: _Held, outputs: list[DocumentOutput]) -> bool:
        """Add the outputs the worker has finished to ``outputs``, with an
        error output for its current document when it died or ran out of
        time; True when it is gone (those, or it retired), its unbegun
        documents left in ``holding``."""
        while worker.conn.poll():
            try:
                output, retire, done_at = worker.conn.recv()
            except (EOFError, OSError):
                break  # died while sending: a crash
            holding.tasks.popleft()
            outputs.append(output)
            if retire:
                return True
            holding.deadline = done_at + self._seconds_allowed
            if not holding.tasks:
                return False
        else:
            if worker.process.is_alive():
                if time.monotonic() < holding.deadline:
                    return False
                task = holding.tasks.popleft()
                outputs.append(self.converter.failed(task, ZhenggaiError(Errors.timeout, task.path, seconds=self.limits.timeout)))
                return True
        worker.process.join()
        cause = _death(worker.process.exitcode)
        task = holding.tasks.popleft()
        outputs.append(self.converter.failed(task, ZhenggaiError(Errors.worker_crashed, task.path, cause=cause)))
        return True


def warm_up(options: Options) -> None:
    """Load what every document needs once, before workers are forked."""
    from .extract import pdf, text  # noqa: F401 - imported for the workers
    from .normalize.gazetteer import load_gazetteer

    load_gazetteer()
    options.clean_settings


@dataclass
class RunStats:
    """What one run did."""

    converted: int = 0
    skipped: int = 0
    status: Counter = field(default_factory=Counter)
    pages: int = 0
    issues: int = 0  # of plans and other documents with task lists
    measures: int = 0
    milestones: int = 0
    items: int = 0  # of progress reports
    failed: bool = False  # some input (converted or skipped) is an error

    def add(self, output: DocumentOutput) -> None:
        self.converted += 1
        self.status[output.row["status"]] += 1
        self.pages += output.row["page_count"] or 0
        if output.row["kind"] == DocumentKind.progress_report.value:
            self.items += len(output.tables["issues"])
        else:
            self.issues += len(output.tables["issues"])
            self.measures += len(output.tables["measures"])
            self.milestones += len(output.tables["milestones"])
        self.failed |= output.row["status"] == "error"


def run(
    work: Plan,
    dataset: Dataset,
    *,
    jobs: int,
    limits: Limits,
    converter: Converter,
    on_output: Callable[[DocumentOutput], None] = lambda output: None,
) -> RunStats:
    """Convert the plan's tasks in workers and commit them batch by batch.
    Only the current batch's rows are held in memory. With the converter's
    debug, documents are converted in this process, without limits, and the
    first unexpected error stops the run with its traceback."""
    stats = RunStats(skipped=len(work.skipped), failed=any(c.status == "error" for c in work.skipped))
    if work.tasks:
        warm_up(converter.options)
    last_commit = time.monotonic()
    with WorkerPool(min(jobs, len(work.tasks)), limits, converter) as pool:
        outputs = (converter.convert(task) for task in work.tasks) if converter.debug else pool.imap(work.tasks)
        if work.tasks:
            prepare_conversion()  # while the workers convert their first documents
        for output in outputs:
            stats.add(output)
            on_output(output)
            dataset.add(output)
            if dataset.pending >= dataset.part_size or time.monotonic() - last_commit >= COMMIT_SECONDS:
                dataset.commit()
                last_commit = time.monotonic()
    dataset.commit()
    dataset.merge_small_parts()
    return stats
