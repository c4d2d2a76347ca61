"""The output directory as a Parquet dataset that grows run by run.

    OUT/documents/part-<batch>.parquet   one row per input file
    OUT/<table>/part-<batch>.parquet     each table of ``tables.DOCUMENT_TABLES``
    OUT/units.parquet                    distinct units over all unit links
    OUT/json/<name>.json                 one per document read
    OUT/_zhenggai/                       bookkeeping: lock, commit records, staged files,
                                     the hash memo (hashes.json)

A batch of documents is one part file in every table, all named after the
batch. A table's directory reads as one table (pandas.read_parquet(OUT/issues),
pyarrow.dataset, DuckDB read_parquet('OUT/issues/*.parquet'), Spark);
readers skip names starting with ``_`` or ``.``.

Commit protocol: a batch's files are first written under _zhenggai/staging/;
then one commit record (_zhenggai/commits/<batch>.json, written atomically)
lists every rename from staging into place and every file the batch
deletes; then the renames and deletions are carried out and
the record is deleted. A run killed before the record exists leaves nothing
of the batch (the next run removes its staged files); one killed after it
is finished by the next run before anything else. Each file appears by
rename, so a reader sees it whole, old or new. Staged files and their
directories are synced before the record, and the record's directory
after it, so that a record never outlives, in a power cut, the files it
moves, nor a moved file its record; the directories the renames changed
are synced before the record is deleted.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import secrets
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Callable, NamedTuple, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from . import tables
from .atomic import sync_directory, sync_file, write_text_atomic

STATE_DIR = "_zhenggai"
DOCUMENTS = "documents"
UNITS_FILE = "units.parquet"
# Below half the part size a part counts as small; this many small parts are
# merged into one, so runs that each add a few documents do not pile up files.
MERGE_SMALL_PARTS = 4
# Documents per part file (--part-size).
PART_SIZE = 100
# Input path -> the file's stat and SHA-256 when it was hashed (HashMemo).
HASH_MEMO = "hashes.json"
HASH_MEMO_VERSION = 1
# A file changed less than this before its hashing began is not memoized:
# a second change within the same timestamp tick (2 s on FAT; a clock tick
# on others) would leave its stat as it was (git's "racily clean" files).
RACY_NS = 3_000_000_000

_Read = TypeVar("_Read")


class FileStat(NamedTuple):
    """What tells that a file still holds the bytes it was hashed from
    without reading it again, as git's index and rsync's quick check do:
    its size, its modification and change times (the change time cannot
    be set back by a program) and its inode (a file replaced by rename)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileStat | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def settled_before(self, clock_ns: int) -> bool:
        """Whether the file's last change is older than ``clock_ns`` (the
        wall clock when its hashing began) by RACY_NS: then any later
        change gives it another stat."""
        return max(self.mtime_ns, self.ctime_ns) < clock_ns - RACY_NS

    @classmethod
    def vouching(cls, path: Path, read: Callable[[], _Read]) -> tuple[_Read, FileStat | None]:
        """``read()``'s result (which reads ``path``), with the file's stat
        when that stat tells the bytes read: the file had settled before
        the reading began, and has the same stat after it (not replaced or
        written meanwhile)."""
        before = cls.of(path)
        started = time.time_ns()
        result = read()
        if before is None or not before.settled_before(started) or cls.of(path) != before:
            return result, None
        return result, before


@dataclass(frozen=True)
class DocumentOutput:
    """Everything one input contributes to OUT, ready to commit."""

    row: dict  # its row in documents
    tables: dict[str, list[dict]]  # its rows in each table of DOCUMENT_TABLES
    json_file: Path | None  # its JSON, already written to the staging area
    # The input's stat when it vouches for the bytes read (FileStat.vouching):
    # the row's sha256 is memoized for it.
    file_stat: FileStat | None = None


def prepare_conversion() -> None:
    """Have pyarrow make its first Arrow data from Python objects now. The
    first such call, whatever its data, imports pandas (0.2 s here; see
    apache/arrow#34994): a run does it while its workers convert their
    first documents, not as the first output arrives, when a worker with
    the next output ready would wait for it."""
    pa.RecordBatch.from_pylist([], schema=tables.DOCUMENT_TABLES[0].schema)


@dataclass
class _Pending:
    """The documents received since the last commit, their rows already in
    Arrow and their unit links counted: done one document at a time as each
    arrives, while workers convert the next ones, so that a commit only
    writes files."""

    rows: list[dict] = field(default_factory=list)  # in documents
    json_files: list[tuple[Path, str]] = field(default_factory=list)  # staged JSON, its path in OUT
    units: tables.UnitCatalog = field(default_factory=tables.UnitCatalog)  # what the unit links add to the catalog
    batches: dict[str, list[pa.RecordBatch]] = field(default_factory=lambda: defaultdict(list))

    def add(self, output: DocumentOutput) -> None:
        self.rows.append(output.row)
        if output.json_file is not None:
            self.json_files.append((output.json_file, output.row["json_path"]))
        self.units.add(output.tables["unit_links"])
        for spec in tables.DOCUMENT_TABLES:
            self.batches[spec.name].append(pa.RecordBatch.from_pylist(output.tables[spec.name], schema=spec.schema))

    def table(self, spec: tables.TableSpec) -> pa.Table:
        return pa.Table.from_batches(self.batches[spec.name], schema=spec.schema)


@dataclass(frozen=True)
class Committed:
    """What OUT holds for one input path."""

    path: str
    doc_id: str | None
    sha256: str | None
    extractor: str | None
    status: str
    error_code: str | None
    json_path: str | None
    part: str


class HashMemo:
    """Each input path's SHA-256 with the stat its file had when hashed,
    so that a re-run reads only the files whose stat changed. Only a memo:
    every entry was true of the file when made, so a memo lost, stale or
    unreadable costs hashing, never a wrong skip (the dataset's sha256
    still decides)."""

    def __init__(self, file: Path):
        self.file = file
        self._entries = self._load(file)
        self._changed = False

    @staticmethod
    def _load(file: Path) -> dict[str, tuple[FileStat, str]]:
        try:
            data = json.loads(file.read_bytes())
            if data["version"] != HASH_MEMO_VERSION:
                return {}
            return {path: (FileStat(*entry[:4]), entry[4]) for path, entry in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return {}

    def sha256(self, path: str, stat: FileStat | None) -> str | None:
        """The SHA-256 memoized for ``path`` if its file still has ``stat``."""
        entry = self._entries.get(path)
        return entry[1] if entry is not None and stat is not None and entry[0] == stat else None

    def remember(self, path: str, stat: FileStat, sha256: str) -> None:
        if self._entries.get(path) != (stat, sha256):
            self._entries[path] = (stat, sha256)
            self._changed = True

    def save(self, paths: set[str]) -> None:
        """Write the entries of ``paths`` (those OUT holds), atomically,
        if anything changed."""
        kept = {path: [*stat, sha256] for path, (stat, sha256) in self._entries.items() if path in paths}
        if self._changed or len(kept) != len(self._entries):
            write_text_atomic(self.file, json.dumps({"version": HASH_MEMO_VERSION, "files": kept}))
            self._changed = False


class OutputUnwritable(Exception):
    """Writing OUT failed (a rename refused, the disk full or read-only):
    the batches committed before stay as they are, and the next run
    finishes a commit whose record was written. The OSError is the cause."""


def _writing_out(method):
    """``method`` of the Dataset, its OSErrors raised as OutputUnwritable."""

    @functools.wraps(method)
    def writing(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except OSError as exc:
            raise OutputUnwritable(str(exc)) from exc

    return writing


class DatasetBusy(Exception):
    """Another process is writing the same output directory."""


class OldLayout(Exception):
    """The directory holds the single-file output of an earlier version."""


def write_staged(target: Path, data: bytes) -> None:
    """Write a file of the staging area, not atomically (no temporary file
    and rename): nothing reads a staged file before the commit record of
    its batch lists it, and that is written after the file is complete; a
    half-written one is removed with the staging area. Nor synced: the
    Dataset syncs it when it takes the document, in the parent, while the
    worker goes on to its next document."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def part_file(root: Path, table: str, part: str) -> Path:
    return root / table / f"part-{part}.parquet"


def read_table(root: Path, table: str) -> pa.Table:
    """One table of the dataset, all parts together."""
    return pq.read_table(root / table)


def _read_part(file: Path, schema: pa.Schema) -> pa.Table:
    """One part file with the current schema (a plain file read: no dataset
    discovery, which costs more than the read for a small file)."""
    return tables.conform(pq.ParquetFile(file).read(), schema)


class Dataset:
    """An output directory opened for writing (a context manager): holds the
    lock, finishes an interrupted commit, knows what each input path has in
    OUT, and commits batches of documents."""

    def __init__(self, root: Path, *, part_size: int = PART_SIZE):
        self.root = root
        self.part_size = part_size
        self._state = root / STATE_DIR
        # Unique per run: part names never collide with an earlier run's.
        self._run = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{secrets.token_hex(4)}"
        self._batches = 0
        self._index: dict[str, Committed] = {}
        self._catalog: tables.UnitCatalog | None = None
        self._pending = _Pending()
        self._lock_file = None
        self.hashes: HashMemo | None = None

    @_writing_out
    def __enter__(self) -> Dataset:
        if (self.root / "documents.parquet").is_file():
            raise OldLayout(f"{self.root} holds single-file output of an earlier zhenggai; write to a new directory")
        self._state.mkdir(parents=True, exist_ok=True)
        self._lock_file = _lock(self._state)
        if self._lock_file is None:
            raise DatasetBusy(f"{self.root} is being written by another zhenggai run")
        recover(self.root)
        self._index = self._load_index()
        self.hashes = HashMemo(self._state / HASH_MEMO)
        return self

    def __exit__(self, *exc: object) -> None:
        # Also after an interrupted run: what its commits hashed.
        if self.hashes is not None:
            try:
                self.hashes.save(set(self._index))
            except OSError:
                pass  # only a memo: the next run hashes the files instead
        # A commit that failed while carrying out its record (a rename
        # refused) is finished by the next run, from these staged files.
        if not any((self._state / "commits").glob("*.json")):
            shutil.rmtree(self._state / "staging", ignore_errors=True)
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock

    @property
    def json_staging(self) -> Path:
        """Where workers write documents' JSON until their batch commits."""
        return self._state / "staging" / self._run / "json"

    def documents(self) -> dict[str, Committed]:
        return dict(self._index)

    def _load_index(self) -> dict[str, Committed]:
        index = {}
        columns = [f.name for f in Committed.__dataclass_fields__.values() if f.name != "part"]
        for file in sorted((self.root / DOCUMENTS).glob("part-*.parquet")):
            part = file.stem.removeprefix("part-")
            for row in _read_part(file, tables.DOCUMENTS).select(columns).to_pylist():
                index[row["path"]] = Committed(**row, part=part)
        return index

    def _units(self) -> tables.UnitCatalog:
        if self._catalog is None:
            self._catalog = tables.UnitCatalog()
            for file in sorted((self.root / "unit_links").glob("part-*.parquet")):
                self._catalog.add(pq.ParquetFile(file).read().to_pylist())
        return self._catalog

    def _next_batch(self) -> str:
        self._batches += 1
        return f"{self._run}-{self._batches:05d}"

    @_writing_out
    def add(self, output: DocumentOutput) -> None:
        """Take one input's output into the next commit."""
        if output.json_file is not None:
            sync_file(output.json_file)
        if output.file_stat is not None and output.row["sha256"]:
            self.hashes.remember(output.row["path"], output.file_stat, output.row["sha256"])
        self._pending.add(output)

    @property
    def pending(self) -> int:
        """Documents added since the last commit."""
        return len(self._pending.rows)

    @_writing_out
    def commit(self) -> None:
        """Put the documents added since the last commit into OUT, replacing
        earlier outputs of the same paths: all of them or (if killed before
        the commit record is written) none of them."""
        pending, self._pending = self._pending, _Pending()
        if not pending.rows:
            return
        batch = self._next_batch()
        commit = _Commit(self.root, self._state / "staging" / self._run / batch)
        catalog = self._units()
        old = [self._index[row["path"]] for row in pending.rows if row["path"] in self._index]
        by_part: dict[str, set[str]] = defaultdict(set)
        for entry in old:
            by_part[entry.part].add(entry.path)
        for part, paths in by_part.items():
            self._drop(part, paths, commit, catalog)
        for json_file, json_path in pending.json_files:
            commit.move(json_file, self.root / json_path)
        json_paths = {row["path"]: row["json_path"] for row in pending.rows}
        for entry in old:
            if entry.json_path and entry.json_path != json_paths[entry.path]:
                commit.remove(self.root / entry.json_path)
        for spec in tables.DOCUMENT_TABLES:
            commit.write(pending.table(spec), part_file(self.root, spec.name, batch))
        catalog.merge(pending.units)
        # The documents part goes in after the document's other tables.
        commit.write(pa.Table.from_pylist(pending.rows, schema=tables.DOCUMENTS), part_file(self.root, DOCUMENTS, batch))
        commit.write(pa.Table.from_pylist(catalog.rows(), schema=tables.UNITS), self.root / UNITS_FILE)
        commit.finish(self._state, batch)
        for row in pending.rows:
            self._index[row["path"]] = _committed(row, batch)

    def _drop(self, part: str, paths: set[str], commit: _Commit, catalog: tables.UnitCatalog) -> None:
        """Rewrite one part without the documents of ``paths`` (or delete it
        when nothing else is in it)."""
        docs = _read_part(part_file(self.root, DOCUMENTS, part), tables.DOCUMENTS)
        keep_doc = [path not in paths for path in docs.column("path").to_pylist()]
        # Rows of the other tables are keyed by doc_id (the content hash);
        # two paths with the same content each have their own, identical,
        # consecutive copy of the rows, so dropping one path drops one copy.
        read = [
            (doc_id, keep)
            for doc_id, status, keep in zip(docs.column("doc_id").to_pylist(), docs.column("status").to_pylist(), keep_doc)
            if status != "error"
        ]
        copies = Counter(doc_id for doc_id, _ in read)
        kept = Counter(doc_id for doc_id, keep in read if keep)
        for spec in tables.DOCUMENT_TABLES:
            target = part_file(self.root, spec.name, part)
            if not target.is_file():
                continue  # a table added after the part was written
            table = _read_part(target, spec.schema)
            keep = _rows_to_keep(table.column("doc_id").to_pylist(), copies, kept)
            mask = pa.array(keep, pa.bool_())
            if spec.name == "unit_links":
                catalog.add(table.filter(pa.array([not k for k in keep], pa.bool_())).to_pylist(), sign=-1)
            if any(keep_doc):
                commit.write(table.filter(mask), target)
            else:
                commit.remove(target)
        target = part_file(self.root, DOCUMENTS, part)
        if any(keep_doc):
            commit.write(docs.filter(pa.array(keep_doc, pa.bool_())), target)
        else:
            commit.remove(target)

    @_writing_out
    def merge_small_parts(self) -> None:
        """Merge the parts holding fewer than half a part's documents once
        there are MERGE_SMALL_PARTS of them: many runs that each add a few
        documents leave a few files per table, not one per run."""
        sizes = Counter(entry.part for entry in self._index.values())
        small = sorted(part for part, n in sizes.items() if n < max(1, self.part_size // 2))
        if len(small) < MERGE_SMALL_PARTS:
            return
        batch = self._next_batch()
        commit = _Commit(self.root, self._state / "staging" / self._run / batch)
        for name, schema in [(s.name, s.schema) for s in tables.DOCUMENT_TABLES] + [(DOCUMENTS, tables.DOCUMENTS)]:
            files = [part_file(self.root, name, part) for part in small]
            merged = [_read_part(f, schema) for f in files if f.is_file()]
            commit.write(pa.concat_tables(merged) if merged else schema.empty_table(), part_file(self.root, name, batch))
            for f in files:
                commit.remove(f)
        commit.finish(self._state, batch)
        moved = set(small)
        self._index = {
            path: (replace(entry, part=batch) if entry.part in moved else entry)
            for path, entry in self._index.items()
        }


def _committed(row: dict, part: str) -> Committed:
    return Committed(
        path=row["path"],
        doc_id=row["doc_id"],
        sha256=row["sha256"],
        extractor=row["extractor"],
        status=row["status"],
        error_code=row["error_code"],
        json_path=row["json_path"],
        part=part,
    )


def _rows_to_keep(doc_ids: list[str], copies: Counter, kept: Counter) -> list[bool]:
    total = Counter(doc_ids)
    seen: Counter = Counter()
    mask = []
    for doc_id in doc_ids:
        per_copy = total[doc_id] // copies[doc_id] if copies[doc_id] else 0
        mask.append(seen[doc_id] < kept[doc_id] * per_copy)
        seen[doc_id] += 1
    return mask


class _Commit:
    """The renames and deletions of one batch, staged before they happen."""

    def __init__(self, root: Path, stage: Path):
        self.root = root
        self.stage = stage
        self.moves: list[tuple[str, str]] = []
        self.removes: list[str] = []

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def move(self, staged: Path, target: Path) -> None:
        self.moves.append((self._rel(staged), self._rel(target)))

    def write(self, table: pa.Table, target: Path) -> None:
        # Staged files do not end in .parquet: a glob over OUT never sees them.
        staged = self.stage / f"{len(self.moves):05d}.staged"
        staged.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, staged)
        sync_file(staged)
        self.move(staged, target)

    def remove(self, target: Path) -> None:
        self.removes.append(self._rel(target))

    def finish(self, state: Path, batch: str) -> None:
        # The staged files' names too must outlive a power cut that the
        # record outlives.
        _sync_directories(self.root, [staged for staged, _ in self.moves])
        record = {"batch": batch, "moves": self.moves, "removes": self.removes}
        write_text_atomic(state / "commits" / f"{batch}.json", json.dumps(record, ensure_ascii=False))
        _apply(self.root, record)
        shutil.rmtree(self.stage, ignore_errors=True)


def _apply(root: Path, record: dict) -> None:
    """Carry out a commit record; safe to repeat after being killed midway."""
    for staged, target in record["moves"]:
        source = root / staged
        if source.exists():
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, root / target)
    for target in record["removes"]:
        (root / target).unlink(missing_ok=True)
    # The record goes only once its renames and deletions are on disk.
    _sync_directories(root, [target for _, target in record["moves"]] + record["removes"])
    (root / STATE_DIR / "commits" / f"{record['batch']}.json").unlink()


def _sync_directories(root: Path, paths: list[str]) -> None:
    """Sync the directories holding ``paths`` (relative to ``root``) and
    their ancestors up to ``root``: a directory made for a path is itself an
    entry in its parent."""
    directories = {parent for path in paths for parent in PurePosixPath(path).parents}
    for directory in sorted(directories, key=lambda d: len(d.parts), reverse=True):
        if (root / directory).is_dir():  # a removed file's directory may be gone
            sync_directory(root / directory)


def recover(root: Path) -> None:
    """Finish the commits a killed run had recorded, in order, and remove the
    staged files of batches it had not."""
    commits = root / STATE_DIR / "commits"
    for record in sorted(commits.glob("*.json")):
        _apply(root, json.loads(record.read_text(encoding="utf-8")))
    for leftover in commits.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(root / STATE_DIR / "staging", ignore_errors=True)


def recover_if_idle(root: Path) -> None:
    """For readers: finish an interrupted commit unless a run is writing."""
    state = root / STATE_DIR
    if not (state / "commits").is_dir():
        return
    lock = _lock(state)
    if lock is not None:
        with lock:
            recover(root)


def _lock(state: Path):
    """The directory's lock, or None when another process holds it."""
    handle = open(state / "lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle

