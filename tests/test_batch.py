"""Batch runs: worker limits, incremental re-runs, the commit protocol,
and a run killed mid-way finishing to the same output as a clean run."""

from __future__ import annotations

import errno
import faulthandler
import gc
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import zhenggai.batch
import zhenggai.output.dataset
import zhenggai.pipeline
from zhenggai.cli import main
from zhenggai.output.tables import DOCUMENT_TABLES, UnitCatalog, _hashable
from zhenggai.paths import path_text

from .conftest import CORPUS_FILES, CORPUS_TEXTS, PLAN_PDF

TABLES = ["documents", *(spec.name for spec in DOCUMENT_TABLES)]
PROGRESS_REPORT = CORPUS_FILES["002_556e3e89e2fff52a"]  # 7 issues, the smallest corpus file


def extract(*args: object) -> int:
    return main(["extract", *map(str, args), "-q"])


def snapshot(out: Path) -> dict:
    """Every table's rows (order-free) and every JSON file of an output."""
    result: dict = {}
    for name in TABLES:
        rows = pq.read_table(out / name).to_pylist()
        result[name] = sorted(json.dumps(r, default=str, sort_keys=True, ensure_ascii=False) for r in rows)
    result["units"] = pq.read_table(out / "units.parquet").to_pylist()
    result["json"] = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in (out / "json").rglob("*.json")}
    return result


def part_files(out: Path) -> dict[str, tuple[int, int]]:
    """Each part file with its inode and modification time."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for name in TABLES
        for p in (out / name).glob("*.parquet")
    }


def documents(out: Path) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in pq.read_table(out / "documents").to_pylist()}


def mixed_inputs(folder: Path) -> Path:
    """The corpus text files, the sample PDF and three bad files."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in CORPUS_TEXTS:
        shutil.copyfile(source, folder / source.name)
    shutil.copyfile(PLAN_PDF, folder / "plan.pdf")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\nthis is not a pdf at all")
    (folder / "notice.docx").write_bytes(b"PK\x03\x04 not really")
    return folder


def _report_copies(folder: Path, *names: str) -> Path:
    """``folder`` holding copies of the smallest corpus report under ``names``."""
    folder.mkdir()
    for name in names:
        shutil.copyfile(PROGRESS_REPORT, folder / name)
    return folder


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """The mixed inputs converted by one worker in one run."""
    inputs = mixed_inputs(tmp_path_factory.mktemp("mixed") / "in")
    out = tmp_path_factory.mktemp("clean") / "out"
    assert extract(inputs, "-o", out, "--jobs", 1) == 1
    return inputs, out


# --- worker limits ---------------------------------------------------------


def _address_space_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmSize:"))) // 1024


def _misbehaving(read_source):
    """read_source, except for three files: one hangs, one asks for 8 GiB
    (untouched zero pages: without a limit it succeeds without using the
    memory), one crashes its process."""

    def read(path, **kwargs):
        if path.name == "hang.txt":
            threading.Event().wait()
        elif path.name == "greedy.txt":
            bytes(8 * 2**30)
        elif path.name == "crash.txt":
            faulthandler.disable()  # pytest's handler would print the test process's stack
            os.kill(os.getpid(), signal.SIGSEGV)
        return read_source(path, **kwargs)

    return read


@pytest.mark.parametrize("jobs", [2, 1])
def test_hung_greedy_and_crashing_documents_become_error_rows(tmp_path, monkeypatch, capsys, jobs):
    """With one worker, each failing document is held by its worker with the
    next one behind it (the inputs go in name order): the worker that
    replaces it must convert that one."""
    inputs = _report_copies(tmp_path / "in", "hang.txt", "greedy.txt", "crash.txt", "report.txt")
    out = tmp_path / "out"
    limit = _address_space_mb() + 2048
    with monkeypatch.context() as patch:
        patch.setattr(zhenggai.pipeline, "read_source", _misbehaving(zhenggai.pipeline.read_source))
        status = extract(inputs, "-o", out, "--jobs", jobs, "--timeout", 1, "--max-memory", limit)
    assert status == 1
    assert multiprocessing.active_children() == []  # the hung worker was killed, the others stopped
    rows = documents(out)
    assert {name: r["error_code"] for name, r in rows.items()} == {
        "hang.txt": "timeout",
        "greedy.txt": "too_large",
        "crash.txt": "worker_crashed",
        "report.txt": None,
    }
    assert rows["crash.txt"]["error_message"] == "the worker process reading it died (killed by SIGSEGV)"
    assert rows["greedy.txt"]["error_message"] == f"reading it needs more than {limit} MB of memory (--max-memory)"
    assert rows["hang.txt"]["sha256"] == rows["report.txt"]["sha256"]
    err = capsys.readouterr().err
    assert f"[timeout] {inputs / 'hang.txt'}: gave up after 1 s (--timeout)" in err
    # Errors caused by the limits are retried by the next run; the rest is kept.
    before = part_files(out)
    assert extract(inputs, "-o", out, "--jobs", 2) == 0
    rows = documents(out)
    assert {r["error_code"] for r in rows.values()} == {None}
    assert rows["hang.txt"]["issue_count"] == rows["report.txt"]["issue_count"] == 7
    assert len(pq.read_table(out / "issues")) == 4 * 7
    assert set(before) - set(part_files(out)) == set()  # the batch held report.txt too: rewritten, not deleted


@pytest.mark.parametrize("seed, jobs", [(1, 1), (2, 2), (3, 3)])
def test_every_document_comes_out_once_however_many_workers_die(tmp_path, monkeypatch, seed, jobs):
    """Workers dying one after another, a held document's own worker dying
    too: each document comes out once, with its own outcome."""
    rng = random.Random(seed)
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = {}
    for i in range(24):
        kind = rng.choices(["ok", "crash", "exit"], [3, 1, 1])[0]
        name = f"{kind}{i:02d}.txt"
        # Sizes apart, so that failures fall in mixed order.
        (inputs / name).write_bytes(PROGRESS_REPORT.read_bytes() + b"\n" * rng.randint(0, 400))
        expected[name] = {"ok": None, "crash": "worker_crashed", "exit": "worker_crashed"}[kind]
    read_source = zhenggai.pipeline.read_source

    def read(path, **kwargs):
        if path.name.startswith("crash"):
            faulthandler.disable()
            os.kill(os.getpid(), signal.SIGSEGV)
        if path.name.startswith("exit"):
            os._exit(3)
        return read_source(path, **kwargs)

    monkeypatch.setattr(zhenggai.pipeline, "read_source", read)
    assert extract(inputs, "-o", tmp_path / "out", "--jobs", jobs) == 1
    rows = pq.read_table(tmp_path / "out" / "documents").to_pylist()
    assert sorted(Path(row["path"]).name for row in rows) == sorted(expected)
    assert {Path(row["path"]).name: row["error_code"] for row in rows} == expected


def test_workers_collect_garbage_rarely_and_leave_the_parent_as_it_was(tmp_path, monkeypatch):
    inputs = _report_copies(tmp_path / "in", "report.txt")
    seen = tmp_path / "worker-gc.json"
    read_source = zhenggai.pipeline.read_source

    def read(path, **kwargs):
        seen.write_text(json.dumps([gc.get_threshold()[0], gc.get_freeze_count() > 0]))
        return read_source(path, **kwargs)

    monkeypatch.setattr(zhenggai.pipeline, "read_source", read)
    parent = (gc.get_threshold(), gc.get_freeze_count())
    assert extract(inputs, "-o", tmp_path / "out", "--jobs", 1) == 0
    assert json.loads(seen.read_text()) == [zhenggai.batch.GC_THRESHOLD, True]
    assert (gc.get_threshold(), gc.get_freeze_count()) == parent


def _marking_begun(monkeypatch, begun: Path, seconds: float = 0.0) -> None:
    """Have each document touch ``begun / its name`` as its worker begins
    it, then take ``seconds`` longer."""
    begun.mkdir()
    read_source = zhenggai.pipeline.read_source

    def read(path, **kwargs):
        (begun / path.name).touch()
        time.sleep(seconds)
        return read_source(path, **kwargs)

    monkeypatch.setattr(zhenggai.pipeline, "read_source", read)


def _wait_for(path: Path, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.exists()


def test_workers_begin_before_the_first_output_is_asked_for(tmp_path, monkeypatch):
    """run() sets itself up (pyarrow's first conversion) while the workers
    convert their first documents: imap must hand them out when called."""
    inputs = _report_copies(tmp_path / "in", "first.txt")
    _marking_begun(monkeypatch, tmp_path / "begun")
    with zhenggai.output.dataset.Dataset(tmp_path / "out") as dataset:
        work = zhenggai.batch.plan(zhenggai.batch.collect_inputs([inputs]), dataset)
        with zhenggai.batch.WorkerPool(1, zhenggai.batch.Limits(), zhenggai.batch.Converter()) as pool:
            outputs = pool.imap(work.tasks)
            assert _wait_for(tmp_path / "begun" / "first.txt")
            assert [output.row["path"] for output in outputs] == [str(inputs / "first.txt")]


def test_worker_holds_its_next_document_while_the_caller_holds_an_output(tmp_path, monkeypatch):
    """A worker must not wait for the parent between documents: neither for
    the caller of imap taking its time over an output (Arrow rows, the
    progress bar, a commit) nor for the parent to take its output and send
    another. Here the caller holds the first output until the third
    document has begun: only a worker holding its next document while it
    converts one gets there."""
    inputs = _report_copies(tmp_path / "in", "first.txt", "second.txt", "third.txt")
    _marking_begun(monkeypatch, tmp_path / "begun")
    with zhenggai.output.dataset.Dataset(tmp_path / "out") as dataset:
        work = zhenggai.batch.plan(zhenggai.batch.collect_inputs([inputs]), dataset)
        with zhenggai.batch.WorkerPool(1, zhenggai.batch.Limits(), zhenggai.batch.Converter()) as pool:
            outputs = pool.imap(work.tasks)
            first = next(outputs)
            assert _wait_for(tmp_path / "begun" / "third.txt")
            rest = list(outputs)
    assert [output.row["path"] for output in [first, *rest]] == [str(inputs / name) for name in ("first.txt", "second.txt", "third.txt")]
    assert all(output.row["error_code"] is None for output in [first, *rest])


def test_held_document_is_timed_from_when_its_worker_begins_it(tmp_path, monkeypatch):
    """The second document is handed to the worker as the first begins; its
    time limit must count from when the worker gets to it. Each takes 1.2 s
    of the 2 s allowed: counted from when it was handed out, the second's
    time would be up 0.8 s into it."""
    inputs = _report_copies(tmp_path / "in", "first.txt", "second.txt")
    _marking_begun(monkeypatch, tmp_path / "begun", seconds=1.2)
    assert extract(inputs, "-o", tmp_path / "out", "--jobs", 1, "--timeout", 2) == 0
    assert {name: row["error_code"] for name, row in documents(tmp_path / "out").items()} == {"first.txt": None, "second.txt": None}


def test_largest_files_are_converted_first(tmp_path):
    """Longest first: a long document left for last would keep one worker
    busy while the others sit idle. Equal sizes keep the paths' order; a
    missing file (an error row) comes last."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, size in (("a.txt", 10), ("b.txt", 30), ("c.txt", 10), ("d.txt", 20)):
        (inputs / name).write_text("一" * size, encoding="utf-8")
    listed = zhenggai.batch.collect_inputs([inputs]) + [(tmp_path / "gone.txt", "gone.txt")]
    with zhenggai.output.dataset.Dataset(tmp_path / "out") as dataset:
        work = zhenggai.batch.plan(listed, dataset)
    assert [task.path.name for task in work.tasks] == ["b.txt", "d.txt", "a.txt", "c.txt", "gone.txt"]


# --- incremental runs ------------------------------------------------------


def test_rerun_with_nothing_changed_writes_nothing(clean_run, tmp_path, capsys):
    inputs, clean = clean_run
    out = tmp_path / "out"
    shutil.copytree(clean, out)
    before = part_files(out), snapshot(out)
    assert extract(inputs, "-o", out, "--jobs", 2) == 1  # the bad files are still errors
    assert (part_files(out), snapshot(out)) == before
    capsys.readouterr()
    main(["extract", str(inputs), "-o", str(out)])
    assert capsys.readouterr().out.strip() == f"{out}/ is up to date: 9 unchanged documents skipped"


def test_inputs_are_hashed_without_being_read_whole(tmp_path):
    # The parent hashes the inputs OUT holds and has no memory limit.
    size = 64 * 2**20
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.truncate(size)
    tracemalloc.start()
    try:
        digest = zhenggai.batch.file_sha256(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest == hashlib.sha256(bytes(size)).hexdigest()
    assert peak < 2**20


def test_only_inputs_out_holds_are_hashed_to_plan_and_error_rows_keep_their_hash(
    tmp_path, nothing_settled, hashed_in_parent
):
    # A first run over thousands of files must not read each one in the
    # parent, serially, before converting; the worker hashes what it reads.
    # No file counts as settled, so that none is known by its stat
    # (test_rerun_reads_no_input_whose_stat_is_unchanged).
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 cut short")
    assert extract(inputs, "-o", out, "--jobs", 1) == 1
    assert hashed_in_parent == []
    rows = documents(out)
    for name, row in rows.items():
        digest = hashlib.sha256((inputs / name).read_bytes()).hexdigest()
        assert (row["sha256"], row["doc_id"]) == (digest, digest[:16])
    assert rows["broken.pdf"]["status"] == "error"
    assert extract(inputs, "-o", out, "--jobs", 1) == 1  # the error row is kept
    assert sorted(hashed_in_parent) == ["a.txt", "broken.pdf"]
    assert extract(inputs, "-o", out, "--jobs", 1, "--force") == 1
    assert len(hashed_in_parent) == 2


def test_file_names_that_are_not_utf8_are_rows_like_any_other(tmp_path, capsys):
    # A GBK name (an archive made on Chinese Windows) crashed its worker and
    # then the batch's commit, losing every other document of the batch.
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    gbk = {name: os.fsdecode(name.encode("gbk")) for name in ("吐鲁番.txt", "损坏.pdf")}
    shutil.copyfile(PROGRESS_REPORT, inputs / gbk["吐鲁番.txt"])
    (inputs / gbk["损坏.pdf"]).write_bytes(b"%PDF-1.4 cut short")
    shutil.copyfile(PROGRESS_REPORT, inputs / "b.txt")
    assert extract(inputs, "-o", out, "--jobs", 2) == 1
    rows = {row["path"]: row for row in pq.read_table(out / "documents").to_pylist()}
    report, broken = (path_text(inputs / gbk[name]) for name in ("吐鲁番.txt", "损坏.pdf"))
    # GBK's cd c2 c2 b3 b7 ac, of which c2 b3 happens to be UTF-8 (³)
    assert report.endswith(r"\xcd\xc2" + "³" + r"\xb7\xac.txt")
    report.encode("utf-8")  # no lone surrogates left
    assert (rows[report]["status"], rows[broken]["error_code"], rows[str(inputs / "b.txt")]["status"]) == (
        "ok", "pdf_truncated", "ok")
    document = json.loads((out / rows[report]["json_path"]).read_text(encoding="utf-8"))
    assert document["source"]["path"] == report
    assert f"[pdf_truncated] {broken}: " in capsys.readouterr().err
    before = part_files(out)
    assert extract(inputs, "-o", out, "--jobs", 2) == 1  # known by the same text: nothing converted again
    assert part_files(out) == before


@pytest.mark.parametrize(
    "raw, text",
    [
        (b"in/plan.pdf", "in/plan.pdf"),
        ("规划/方案.pdf".encode(), "规划/方案.pdf"),
        ("方案.pdf".encode("gbk"), r"\xb7\xbd\xb0\xb8.pdf"),
        (b"a\\b.txt", "a\\b.txt"),
        (b"a\\xFF.txt", "a\\xFF.txt"),  # not how path_text writes a byte
        # Read as escapes: written with the backslashes doubled.
        (b"a\\xff.txt", r"a\\xff.txt"),
        (b"a\\\\b.txt", r"a\\\\b.txt"),
        # An escaped path's own backslashes are doubled.
        (b"a\\b\xff.txt", r"a\\b\xff.txt"),
    ],
)
def test_path_text_is_the_name_or_its_bytes_escaped(raw, text):
    assert path_text(Path(os.fsdecode(raw))) == text


def _unescaped(text: str) -> bytes:
    """The path bytes path_text wrote as ``text``."""
    if not re.search(r"\\(?:x[0-9a-f]{2}|\\)", text):
        return text.encode("utf-8")
    return re.sub(rb"\\(x[0-9a-f]{2}|\\)", lambda m: b"\\" if m[1] == b"\\" else bytes([int(m[1][1:], 16)]), text.encode("utf-8"))


@pytest.mark.parametrize(
    "raw",
    [b"plan.pdf", b"a\\xff.txt", b"a\xff.txt", b"a\\\xff.txt", b"a\\\\xff.txt", b"a\\\\.txt", b"a\\.txt",
     b"a\\x4.txt", "方案\\x41.pdf".encode(), "方案.pdf".encode("gbk"), b"\\xc2\xb3"],
)
def test_path_text_can_be_read_back_to_the_path(raw):
    """One text per path: the text tells the bytes again (where two
    paths had one text, one's rows replaced the other's)."""
    assert _unescaped(path_text(Path(os.fsdecode(raw)))) == raw


def test_file_named_like_an_escaped_name_keeps_its_own_row(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a\\xff.txt")
    shutil.copyfile(CORPUS_FILES["001_1a813f0647d051a8"], inputs / os.fsdecode(b"a\xff.txt"))
    assert extract(inputs, "-o", out, "--jobs", 1) == 0
    first = {row["path"]: row["doc_id"] for row in pq.read_table(out / "documents").to_pylist()}
    assert len(first) == 2
    assert extract(inputs, "-o", out, "--jobs", 1) == 0
    assert {row["path"]: row["doc_id"] for row in pq.read_table(out / "documents").to_pylist()} == first
    assert len(list((out / "json").rglob("*.json"))) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs a FIFO and /dev/zero")
def test_fifo_and_device_given_as_inputs_are_error_rows(tmp_path):
    # Hashing a FIFO for its error row blocked the worker, then the parent
    # making the timeout row: the batch hung for good. /dev/zero never ends.
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    shutil.copyfile(PROGRESS_REPORT, tmp_path / "a.txt")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "zhenggai", "extract", fifo, "/dev/zero", tmp_path / "a.txt", "-o", out, "-q"]
    for _ in range(2):  # the first run, and a re-run that hashes what OUT holds
        done = subprocess.run([*map(str, command), "--timeout", "5"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert f"[not_a_file] {fifo}: not a regular file" in done.stderr
    rows = documents(out)
    assert (rows["pipe.pdf"]["error_code"], rows["zero"]["error_code"], rows["a.txt"]["status"]) == ("not_a_file", "not_a_file", "ok")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_fifo_and_dangling_link_in_a_folder_are_error_rows(tmp_path):
    """Inside a walked folder too: they were passed over without a word."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    os.mkfifo(inputs / "pipe.pdf")
    (inputs / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    os.mkfifo(inputs / "notes.md")  # not a document's suffix: not an input
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    out = tmp_path / "out"
    assert extract(inputs, "-o", out, "--jobs", 1) == 1
    rows = documents(out)
    assert {name: (row["status"], row["error_code"]) for name, row in rows.items()} == {
        "pipe.pdf": ("error", "not_a_file"),
        "gone.pdf": ("error", "file_not_found"),
        "a.txt": ("ok", None),
    }


LONG = "关于印发新疆维吾尔自治区贯彻落实第二轮中央生态环境保护督察报告整改方案的通知" * 3


@pytest.mark.parametrize(
    "name, expected",
    [
        ("plan.pdf", "plan.pdf.json"),
        ("规划/方案.pdf", "规划/方案.pdf.json"),
        (LONG[:83] + ".pdf", LONG[:77] + "~" + hashlib.sha256((LONG[:83] + ".pdf").encode()).hexdigest()[:16] + ".json"),
        ("a" * 250, "a" * 250 + ".json"),  # exactly NAME_MAX
        ("a" * 251, "a" * 233 + "~" + hashlib.sha256(b"a" * 251).hexdigest()[:16] + ".json"),
        ("\\xb7" * 70 + "/a.pdf", "\\xb7" * 59 + "\\x~" + hashlib.sha256(b"\\xb7" * 70).hexdigest()[:16] + "/a.pdf.json"),
    ],
)
def test_json_name_keeps_each_part_within_the_name_limit(name, expected):
    # NAME_MAX bytes a part: an input's own name may already be 253 bytes.
    (json_name,) = zhenggai.batch.json_names([(Path(name), name)])
    assert json_name == expected
    assert all(len(part.encode()) <= zhenggai.batch.NAME_MAX for part in json_name.split("/"))


def test_long_names_that_share_their_beginning_keep_apart():
    names = [LONG[:83] + ".pdf", LONG[:83] + ".txt"]
    assert len(set(zhenggai.batch.json_names([(Path(n), n) for n in names]))) == 2


def test_input_whose_name_fills_the_name_limit_is_a_row_like_any_other(tmp_path):
    # Its JSON name, with ".json", was longer than the filesystem takes: the
    # commit's rename failed and took the batch down.
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    long = inputs / (LONG[:83] + ".txt")  # 253 bytes
    shutil.copyfile(PROGRESS_REPORT, long)
    shutil.copyfile(CORPUS_FILES["001_1a813f0647d051a8"], inputs / "b.txt")
    assert extract(inputs, "-o", out) == 0
    consistent(out)
    assert documents(out)[long.name]["json_path"].endswith(".json")
    before = part_files(out)
    assert extract(inputs, "-o", out) == 0
    assert part_files(out) == before


def test_commit_refused_midway_is_reported_and_finished_by_the_next_run(tmp_path, monkeypatch, capsys):
    # A rename refused after the commit record was written (disk full, a
    # read-only remount) left the batch's staged files deleted: the next run
    # replayed the record without them, leaving parts without documents
    # rows, whose documents it then converted again into duplicate rows.
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for source in CORPUS_TEXTS[1:5]:  # the four smaller ones
        shutil.copyfile(source, inputs / source.name)
    real_replace = os.replace

    def refusing(source, target, *args, **kwargs):
        if "/documents/" in str(target):  # after the JSON and every other table's part
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_replace(source, target, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(zhenggai.output.dataset.os, "replace", refusing)
        assert extract(inputs, "-o", out, "--part-size", 2, "--jobs", 1) == 1
    err = capsys.readouterr().err
    assert f"[output_unwritable] {out}: cannot write the output: [Errno 28] No space left on device" in err
    assert "Traceback" not in err
    assert len(list((out / "_zhenggai" / "commits").glob("*.json"))) == 1
    assert extract(inputs, "-o", out, "--part-size", 2, "--jobs", 1) == 0
    consistent(out)
    assert snapshot(out) == snapshot(_fresh_run(inputs, tmp_path / "fresh"))


def test_output_that_cannot_be_made_is_one_coded_line(tmp_path, capsys):
    (tmp_path / "a-file").write_text("")
    out = tmp_path / "a-file" / "out"  # under a file: mkdir fails
    assert extract(PROGRESS_REPORT, "-o", out) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"[output_unwritable] {out}: cannot write the output: [Errno 20] Not a directory")
    assert "Traceback" not in err


# --- the hash memo: a re-run reads only files whose stat changed --------------


@pytest.fixture
def hashed_in_parent(monkeypatch) -> list[str]:
    """Names of the files the parent reads to hash them, in order."""
    names: list[str] = []
    real_sha256 = zhenggai.batch.file_sha256
    monkeypatch.setattr(zhenggai.batch, "file_sha256", lambda path: names.append(path.name) or real_sha256(path))
    return names


@pytest.fixture
def settled(monkeypatch) -> None:
    """Files written before a run count as settled: no racy margin (tested
    on its own in test_file_changed_within_the_racy_margin_is_not_settled)."""
    monkeypatch.setattr(zhenggai.output.dataset, "RACY_NS", 0)


@pytest.fixture
def nothing_settled(monkeypatch) -> None:
    """No file counts as settled, however long ago it was written: none is
    memoized, so every re-run hashes what OUT holds."""
    monkeypatch.setattr(zhenggai.output.dataset, "RACY_NS", 2**62)


def hash_memo(out: Path) -> dict[str, list]:
    """Input file name -> [size, mtime_ns, ctime_ns, inode, sha256] (none
    written while there is nothing to memoize)."""
    file = out / "_zhenggai" / "hashes.json"
    if not file.exists():
        return {}
    data = json.loads(file.read_text(encoding="utf-8"))
    return {Path(path).name: entry for path, entry in data["files"].items()}


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def test_rerun_reads_no_input_whose_stat_is_unchanged(tmp_path, settled, hashed_in_parent):
    # Thousands of files of megabytes: a re-run must not read them all to
    # find the few new ones (1,000 PDFs of 2 MB: 2.0 s warm, 4.1 s cold).
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    shutil.copyfile(PLAN_PDF, inputs / "plan.pdf")
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 cut short")
    assert extract(inputs, "-o", out, "--jobs", 2) == 1
    # The workers' reads were memoized: the stat each file had and the
    # sha256 its row holds, the error row's too.
    rows = documents(out)
    assert hash_memo(out) == {name: [*_stat(inputs / name), row["sha256"]] for name, row in rows.items()}
    assert hashed_in_parent == []
    before = part_files(out), snapshot(out)
    assert extract(inputs, "-o", out, "--jobs", 2) == 1
    assert hashed_in_parent == []
    assert extract(inputs, "-o", out, "--jobs", 2, "--checksum") == 1
    assert sorted(hashed_in_parent) == ["a.txt", "broken.pdf", "plan.pdf"]
    assert (part_files(out), snapshot(out)) == before


def test_changed_file_keeping_its_size_and_modification_time_is_converted_again(tmp_path, settled, hashed_in_parent):
    # The change time, which no program can set back, gives it away.
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    report = inputs / "a.txt"
    shutil.copyfile(PROGRESS_REPORT, report)
    assert extract(inputs, "-o", out) == 0
    text, st = report.read_bytes(), report.stat()
    changed = text.replace("年".encode(), "月".encode(), 1)
    assert len(changed) == len(text) and changed != text
    report.write_bytes(changed)
    os.utime(report, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert extract(inputs, "-o", out) == 0
    assert hashed_in_parent == ["a.txt"]
    assert documents(out)["a.txt"]["sha256"] == hashlib.sha256(changed).hexdigest()


def test_touched_file_is_read_once_then_known_by_its_new_stat(tmp_path, settled, hashed_in_parent):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    assert extract(inputs, "-o", out) == 0
    before = part_files(out)
    os.utime(inputs / "a.txt")  # same bytes, new times (a copy without -p, a checkout)
    assert extract(inputs, "-o", out) == 0
    assert hashed_in_parent == ["a.txt"]
    assert part_files(out) == before  # unchanged: not converted
    assert extract(inputs, "-o", out) == 0
    assert hashed_in_parent == ["a.txt"]
    assert hash_memo(out)["a.txt"][:4] == _stat(inputs / "a.txt")


def test_file_replaced_while_it_is_read_is_not_memoized(tmp_path, settled, monkeypatch):
    # A downloader's rename between the worker's stat and its read: the
    # bytes read are not those of the stat taken.
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    report = inputs / "a.txt"
    shutil.copyfile(PROGRESS_REPORT, report)
    real_read_source = zhenggai.pipeline.read_source

    def replacing(path, **kwargs):
        fresh = path.with_name("fresh")
        shutil.copyfile(CORPUS_FILES["001_1a813f0647d051a8"], fresh)
        os.replace(fresh, path)
        return real_read_source(path, **kwargs)

    monkeypatch.setattr(zhenggai.pipeline, "read_source", replacing)
    assert extract(inputs, "-o", out, "--jobs", 1) == 0
    assert hash_memo(out) == {}


def test_file_written_just_before_the_run_is_not_memoized(tmp_path, nothing_settled, hashed_in_parent):
    # Within the racy margin a second change could keep the stat the first
    # one gave; such a file is hashed again by the next run.
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    assert extract(inputs, "-o", out) == 0
    assert extract(inputs, "-o", out) == 0
    assert hashed_in_parent == ["a.txt"]
    assert hash_memo(out) == {}


RACY = zhenggai.output.dataset.RACY_NS


@pytest.mark.parametrize(
    "mtime, ctime, clock, expected",
    [
        (0, 0, RACY + 1, True),
        (0, 0, RACY, False),  # exactly the margin
        (0, 5, RACY + 5, False),  # changed since its modification (chmod, rename)
        (5, 0, RACY + 5, False),
        (RACY * 10, 0, RACY, False),  # in the future (copied from a machine ahead)
    ],
)
def test_file_changed_within_the_racy_margin_is_not_settled(mtime, ctime, clock, expected):
    stat = zhenggai.output.dataset.FileStat(size=1, mtime_ns=mtime, ctime_ns=ctime, inode=1)
    assert stat.settled_before(clock) is expected


@pytest.mark.parametrize(
    "memo",
    [
        b"",
        b"{not json",
        b'{"version": 99, "files": {}}',
        b'{"version": 1, "files": []}',
        b'{"version": 1, "files": {"in/a.txt": [1, 2]}}',
        b'{"version": 1}',
        b"[]",
    ],
)
def test_unreadable_hash_memo_costs_only_reading_the_files(tmp_path, settled, hashed_in_parent, memo):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    assert extract(inputs, "-o", out) == 0
    before = part_files(out)
    (out / "_zhenggai" / "hashes.json").write_bytes(memo)
    assert extract(inputs, "-o", out) == 0
    assert hashed_in_parent == ["a.txt"]
    assert part_files(out) == before
    assert hash_memo(out)["a.txt"] == [*_stat(inputs / "a.txt"), documents(out)["a.txt"]["sha256"]]


def test_hash_memo_keeps_only_the_paths_out_holds(tmp_path):
    memo = zhenggai.output.dataset.HashMemo(tmp_path / "hashes.json")
    stat = zhenggai.output.dataset.FileStat(1, 2, 3, 4)
    memo.remember("kept.pdf", stat, "aa")
    memo.remember("converted-but-not-committed.pdf", stat, "bb")
    memo.save({"kept.pdf", "never-hashed.pdf"})
    reread = zhenggai.output.dataset.HashMemo(tmp_path / "hashes.json")
    assert (reread.sha256("kept.pdf", stat), reread.sha256("converted-but-not-committed.pdf", stat)) == ("aa", None)
    assert reread.sha256("kept.pdf", stat._replace(ctime_ns=5)) is None


def test_hash_memo_keeps_a_file_name_that_is_not_utf8(tmp_path):
    # A GBK name from a Windows archive reaches Python as lone surrogates
    # (os.fsdecode), which UTF-8 cannot encode.
    name = str(tmp_path / os.fsdecode("吐鲁番.txt".encode("gbk")))
    memo = zhenggai.output.dataset.HashMemo(tmp_path / "hashes.json")
    stat = zhenggai.output.dataset.FileStat(1, 2, 3, 4)
    memo.remember(name, stat, "aa")
    memo.save({name})
    assert zhenggai.output.dataset.HashMemo(tmp_path / "hashes.json").sha256(name, stat) == "aa"


def test_new_documents_are_added_without_touching_existing_parts(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    assert extract(inputs, "-o", out, "--part-size", 1) == 0
    before = part_files(out)
    shutil.copyfile(CORPUS_FILES["001_1a813f0647d051a8"], inputs / "b.txt")
    assert extract(inputs, "-o", out, "--part-size", 1) == 0
    after = part_files(out)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) == 2 * len(before)
    assert sorted(documents(out)) == ["a.txt", "b.txt"]


def test_changed_document_replaces_its_rows_and_only_its_part(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copyfile(PROGRESS_REPORT, inputs / name)  # same content, two paths
    shutil.copyfile(CORPUS_FILES["003_6782a8eaddafad1c"], inputs / "c.txt")
    assert extract(inputs, "-o", out, "--part-size", 2, "--jobs", 1) == 0
    old = documents(out)
    before = part_files(out)
    # Part size 2, three documents: the part without b.txt must not change.
    (untouched,) = (
        k.removeprefix("documents/")
        for k in before
        if k.startswith("documents/") and str(inputs / "b.txt") not in pq.read_table(out / k).column("path").to_pylist()
    )
    shutil.copyfile(CORPUS_FILES["001_1a813f0647d051a8"], inputs / "b.txt")
    assert extract(inputs, "-o", out, "--part-size", 2, "--jobs", 1) == 0
    new = documents(out)
    assert new["a.txt"] == old["a.txt"] and new["c.txt"] == old["c.txt"]
    assert new["b.txt"]["sha256"] != old["b.txt"]["sha256"]
    issues = pd.read_parquet(out / "issues")
    # a.txt keeps its copy of the rows it shared with the old b.txt.
    assert (issues.doc_id == old["a.txt"]["doc_id"]).sum() == 7
    assert (issues.doc_id == new["b.txt"]["doc_id"]).sum() == new["b.txt"]["issue_count"] > 0
    assert len(issues) == sum(r["issue_count"] for r in new.values())
    after = part_files(out)
    assert all(after[f"{name}/{untouched}"] == before[f"{name}/{untouched}"] for name in TABLES)
    b_json = json.loads((out / "json" / "b.txt.json").read_text(encoding="utf-8"))
    assert b_json["doc_id"] == new["b.txt"]["doc_id"]
    assert snapshot(out) == snapshot(_fresh_run(inputs, tmp_path / "fresh"))


def _fresh_run(inputs: Path, out: Path) -> Path:
    extract(inputs, "-o", out, "--jobs", 1)
    return out


def test_document_that_now_fails_loses_its_json_and_rows(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    assert extract(inputs, "-o", out) == 0
    (inputs / "a.txt").write_bytes(b"")
    assert extract(inputs, "-o", out) == 1
    assert documents(out)["a.txt"]["error_code"] == "empty_file"
    assert list((out / "json").rglob("*.json")) == []
    assert len(pq.read_table(out / "issues")) == 0
    assert pq.read_table(out / "units.parquet").num_rows == 0


def test_force_and_a_new_extractor_version_convert_everything_again(tmp_path, monkeypatch, capsys):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copyfile(PROGRESS_REPORT, inputs / "a.txt")
    extract(inputs, "-o", out)
    capsys.readouterr()
    main(["extract", str(inputs), "-o", str(out), "--force"])
    assert capsys.readouterr().out.startswith(f"wrote {out}/: 1 document (")
    monkeypatch.setattr(zhenggai.batch, "extractor_version", lambda: "9.9.9+other")
    main(["extract", str(inputs), "-o", str(out)])
    assert capsys.readouterr().out.startswith(f"wrote {out}/: 1 document (")
    assert documents(out)["a.txt"]["extractor"] == "9.9.9+other"


def test_extractor_version_names_package_and_data():
    version = zhenggai.batch.extractor_version()
    assert version.startswith(f"{zhenggai.__version__}+") and len(version.split("+")[1]) == 12


def test_small_parts_are_merged(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    report = PROGRESS_REPORT.read_text(encoding="utf-8")
    # Parts of fewer than 2 documents are small; the fourth is merged with the other three.
    for k, parts in enumerate([1, 2, 3, 1, 2]):
        (inputs / f"{k}.txt").write_text(report + "\n" * k, encoding="utf-8")  # each its own content
        assert extract(inputs, "-o", out, "--part-size", 4) == 0
        assert len(list((out / "issues").glob("*.parquet"))) == parts
    assert snapshot(out) == snapshot(_fresh_run(inputs, tmp_path / "fresh"))


def test_tables_read_as_one_table_with_pandas_pyarrow_and_duckdb(clean_run, tmp_path):
    _, clean = clean_run
    out = tmp_path / "out"
    shutil.copytree(clean, out)
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copyfile(PROGRESS_REPORT, extra / "more.txt")
    assert extract(extra, "-o", out) == 0  # a second part
    issue_count = int(pd.read_parquet(out / "documents").issue_count.sum())
    assert len(list((out / "issues").glob("*.parquet"))) == 2
    issues = pd.read_parquet(out / "issues")
    assert len(issues) == issue_count
    assert ds.dataset(out / "issues", format="parquet").count_rows() == issue_count
    duckdb = pytest.importorskip("duckdb")
    query = f"select count(*), count(distinct doc_id) from read_parquet('{out}/issues/*.parquet')"
    assert duckdb.connect().execute(query).fetchall() == [(issue_count, issues.doc_id.nunique())]


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (Debian's openjdk-17-jre-headless)")
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")  # its pandas API, unused here
def test_spark_reads_every_table_as_pyarrow_does(clean_run):
    _, out = clean_run
    pyspark_sql = pytest.importorskip("pyspark.sql")
    spark = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("zhenggai-test")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    try:
        for table in [*TABLES, "units.parquet"]:
            expected = pq.read_table(out / table)
            frame = spark.read.parquet(str(out / table))
            assert frame.columns == expected.column_names, table
            rows = [tuple(map(_hashable, row)) for row in frame.collect()]
            expected_rows = [tuple(map(_hashable, row.values())) for row in expected.to_pylist()]
            assert Counter(rows) == Counter(expected_rows), table
    finally:
        spark.stop()


# --- the commit protocol ---------------------------------------------------


class Killed(BaseException):
    """Stands for SIGKILL at a chosen point of a commit."""


def _stop_at(monkeypatch, target, name, after_calls: int):
    real = getattr(target, name)
    calls = []

    def stopping(*args, **kwargs):
        calls.append(1)
        if len(calls) > after_calls:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, stopping)


@pytest.mark.parametrize(
    "where, after_calls",
    [
        ("write_text_atomic", 1),  # second batch staged, its commit record not yet written
        ("_apply", 1),  # second commit record written, nothing of it applied
    ],
)
def test_interrupted_commit_is_undone_or_finished_by_the_next_run(tmp_path, monkeypatch, where, after_calls):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for source in CORPUS_TEXTS[1:5]:  # the four smaller ones
        shutil.copyfile(source, inputs / source.name)
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        _stop_at(patch, zhenggai.output.dataset, where, after_calls)
        with pytest.raises(Killed):
            extract(inputs, "-o", out, "--part-size", 2, "--jobs", 1)
    state = out / "_zhenggai"
    assert len(list((state / "commits").glob("*.json"))) == (1 if where == "_apply" else 0)
    consistent(out)
    assert len(documents(out)) == 2  # the first batch
    assert extract(inputs, "-o", out, "--part-size", 2, "--jobs", 1) == 0
    assert list((state / "commits").iterdir()) == [] and not (state / "staging").exists()
    assert snapshot(out) == snapshot(_fresh_run(inputs, tmp_path / "fresh"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names synced files through /proc")
def test_commit_record_outlives_no_file_it_moves_and_goes_after_its_renames_are_on_disk(tmp_path, monkeypatch):
    # After a power cut a record must not survive without the staged files
    # it moves (it would move empty files into OUT) or their names (a
    # file's fsync does not put its name on disk: POSIX; XFS and btrfs need
    # not), nor a moved file without the record (half a batch in OUT), nor
    # the record's deletion without its renames. Workers write JSON
    # unsynced; the parent syncs it, and the Parquet parts, before the record.
    inputs = tmp_path / "in"
    inputs.mkdir()
    for source in CORPUS_TEXTS[1:5]:
        shutil.copyfile(source, inputs / source.name)
    out = tmp_path / "out"
    events: list[tuple[str, ...]] = []  # ("sync", path), ("rename", source, target), ("unlink", path)
    real_fsync, real_replace, real_unlink = os.fsync, os.replace, os.unlink

    def fsync(fd: int) -> None:
        events.append(("sync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def rename(source, target) -> None:
        real_replace(source, target)
        events.append(("rename", os.path.abspath(source), os.path.abspath(target)))

    def unlink(path, *args, **kwargs) -> None:
        real_unlink(path, *args, **kwargs)
        events.append(("unlink", os.path.abspath(path)))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", rename)
    monkeypatch.setattr(os, "unlink", unlink)
    assert extract(inputs, "-o", out, "--part-size", 2, "--jobs", 2) == 0
    first_run = [e[1] for e in events if e[0] == "rename" and "/staging/" in e[1]]
    assert sum(path.endswith(".json") for path in first_run) == 4
    assert sum(path.endswith(".staged") for path in first_run) == 2 * (len(TABLES) + 1)  # and units.parquet
    for changed in inputs.iterdir():  # the second run replaces, and so deletes, the first one's parts
        changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert extract(inputs, "-o", out, "--part-size", 2, "--jobs", 2) == 0

    commits = str((out / "_zhenggai" / "commits").resolve())
    records = [k for k, e in enumerate(events) if e[0] == "rename" and os.path.dirname(e[2]) == commits]
    assert len(records) == 4  # two batches a run
    for r in records:
        deleted = next(k for k in range(r, len(events)) if events[k] == ("unlink", events[r][2]))
        changes = [e for e in events[r + 1 : deleted] if e[0] in ("rename", "unlink")]
        assert changes, "a commit moves files"
        synced_before = {e[1] for e in events[:r] if e[0] == "sync"}
        for e in changes:
            if e[0] == "rename":
                assert {e[1], os.path.dirname(e[1])} <= synced_before, e
        first_change = events.index(changes[0], r)
        assert ("sync", commits) in events[r:first_change]
        last_change = max(k for k in range(r, deleted) if events[k] in changes)
        synced_after = {e[1] for e in events[last_change:deleted] if e[0] == "sync"}
        touched = {os.path.dirname(e[-1]) for e in changes}
        assert touched | {str(out.resolve())} <= synced_after
    assert any(e[0] == "unlink" and e[1].endswith(".parquet") for e in events)


def consistent(out: Path) -> None:
    """Every document is in all its tables and JSON or in none."""
    docs = pq.read_table(out / "documents").to_pylist()
    read = {d["doc_id"]: d for d in docs if d["status"] != "error"}
    issues = pd.read_parquet(out / "issues")
    assert set(issues.doc_id) <= set(read)
    for doc_id, doc in read.items():
        assert (issues.doc_id == doc_id).sum() == doc["issue_count"]
        assert (out / doc["json_path"]).is_file()
    for spec in DOCUMENT_TABLES:
        assert set(pq.read_table(out / spec.name).column("doc_id").to_pylist()) <= set(read)
    assert len(list((out / "json").rglob("*.json"))) == len(read)


def test_run_killed_midway_finishes_to_the_clean_output(clean_run, tmp_path):
    inputs, clean = clean_run
    out = tmp_path / "out"
    command = [sys.executable, "-m", "zhenggai", "extract", str(inputs), "-o", str(out), "-q", "--jobs", "2", "--part-size", "1"]
    run = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((out / "documents").glob("*.parquet"))) < 3 and run.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    workers = psutil.Process(run.pid).children()
    run.send_signal(signal.SIGKILL)
    run.wait()
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert workers and alive == []  # the workers died with their parent
    done = len(documents(out))
    assert 3 <= done < 9, "the run finished before it could be killed"
    consistent(out)
    assert subprocess.run(command, stderr=subprocess.DEVNULL).returncode == 1
    assert snapshot(out) == snapshot(clean)


def _unit_link(name: str, raw: str, members: tuple[str, ...] = ()) -> dict:
    return {"name": name, "raw": raw, "region": "新疆维吾尔自治区", "place": None, "level": "province",
            "organ": "政府", "collective": bool(members), "members": list(members)}


_STATE = _unit_link("新疆维吾尔自治区人民政府", "自治区人民政府")
_STATE_ALIAS = _unit_link("新疆维吾尔自治区人民政府", "自治区政府")
_PAIR = _unit_link("昌吉回族自治州党委、政府", "昌吉州党委、政府", members=("昌吉回族自治州党委", "昌吉回族自治州人民政府"))


@pytest.mark.parametrize(
    "committed, added, removed, aliases",
    [
        ([], [_STATE], [], {"新疆维吾尔自治区人民政府": ["自治区人民政府"]}),  # a first unit
        (  # a new spelling, a new unit with members
            [_STATE],
            [_STATE_ALIAS, _PAIR],
            [],
            {"新疆维吾尔自治区人民政府": ["自治区人民政府", "自治区政府"], "昌吉回族自治州党委、政府": ["昌吉州党委、政府"]},
        ),
        ([_STATE, _STATE_ALIAS], [], [_STATE_ALIAS], {"新疆维吾尔自治区人民政府": ["自治区人民政府"]}),  # a spelling counted out
        ([_STATE], [], [_STATE], {}),  # the last link of a unit counted out: no row
    ],
)
def test_unit_catalog_merging_counts_as_adding_the_links(committed, added, removed, aliases):
    """A batch's unit links are counted as its documents arrive and merged
    into the catalog at its commit: the table must be what counting them
    straight into the catalog gives."""
    direct = UnitCatalog()
    direct.add(committed)
    direct.add(added)
    direct.add(removed, sign=-1)
    delta = UnitCatalog()
    delta.add(added)
    delta.add(removed, sign=-1)
    merged = UnitCatalog()
    merged.add(committed)
    merged.merge(delta)
    assert merged.rows() == direct.rows()
    assert {row["name"]: row["aliases"] for row in merged.rows()} == aliases
