"""Bad input in one batch: every bad file gets its own error code, a
one-line message naming it and a documents.parquet row; the good files
next to it come out exactly as when converted alone."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from zhenggai.cli import main

from .conftest import PLAN_TXT, TURPAN_REPORT
from .gov_page import gov_article_page
from .small_pdf import encrypted, notice_pdf

PASSWORD = "zhenggai-secret"
HUGE_BYTES = 5 * 1024 * 1024


def _random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _huge_single_line() -> bytes:
    """5 MB of the Turpan report with its line breaks removed: one line."""
    line = TURPAN_REPORT.read_text(encoding="utf-8").replace("\n", "").encode("utf-8")
    data = line * (HUGE_BYTES // len(line) + 1)
    return data[:HUGE_BYTES].decode("utf-8", errors="ignore").encode("utf-8")


NO_TASK_LIST = "关于做好2023年生态环境保护工作的通知\n各县（市、区）人民政府：\n现将有关事项通知如下，请认真贯彻落实。\n吐鲁番市生态环境局\n2023年3月1日\n"

# (file name, how to build its bytes (None: no file at all), expected
# status, expected error code or None).
BAD_INPUTS = [
    ("empty.txt", lambda: b"", "error", "empty_file"),
    ("missing.txt", None, "error", "file_not_found"),
    ("truncated.pdf", lambda: notice_pdf()[: len(notice_pdf()) // 2], "error", "pdf_truncated"),
    ("random_bytes.pdf", lambda: _random_bytes(4096, seed=5), "error", "not_a_pdf"),
    ("web_page_named.pdf", lambda: b"<!DOCTYPE html><html><body>404</body></html>", "error", "not_a_pdf"),
    ("damaged_inside.pdf", lambda: b"%PDF-1.7\n" + _random_bytes(4096, seed=6) + b"\n%%EOF\n", "error", "pdf_unreadable"),
    ("encrypted.pdf", lambda: encrypted(notice_pdf(), PASSWORD), "error", "pdf_encrypted"),
    ("notice.rtf", lambda: b"{\\rtf1\\ansi " + "通知".encode("gbk") + b"}", "error", "unsupported_format"),
    ("undecodable.txt", lambda: bytes(range(128, 256)) * 4, "error", "undecodable_text"),
    ("blank_page.html", lambda: b"<html><body><script>x()</script></body></html>", "error", "no_text"),
    ("no_task_list.txt", lambda: NO_TASK_LIST.encode("utf-8"), "ok", None),
    ("huge_single_line.txt", _huge_single_line, "ok", None),
    # Per-document time and memory limits belong to the batch runner
    # (issue 6): a PDF that keeps pdfminer busy → timeout, one that
    # inflates to huge sizes → too_large. Their rows go here.
]


def _good_inputs(turpan_page: str) -> dict[str, bytes]:
    return {
        "plan.txt": PLAN_TXT.read_bytes(),
        "turpan.html": turpan_page.encode("utf-8"),
        "turpan_gbk.txt": TURPAN_REPORT.read_text(encoding="utf-8").encode("gbk"),
        "notice.pdf": notice_pdf(),
    }


@pytest.fixture(scope="module")
def turpan_page():
    from zhenggai.pipeline import run_stages

    stages = run_stages(TURPAN_REPORT)
    return gov_article_page(stages.document.title, stages.cleaned.text.split("\n"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory, turpan_page):
    """Every bad input next to the good ones, in one `zhenggai extract`."""
    src = tmp_path_factory.mktemp("in")
    for name, build, _, _ in BAD_INPUTS:
        if build is not None:
            (src / name).write_bytes(build())
    good = _good_inputs(turpan_page)
    for name, data in good.items():
        (src / name).write_bytes(data)
    out = tmp_path_factory.mktemp("out")
    return src, out, good


@pytest.fixture(scope="module")
def batch_run(batch):
    import contextlib
    import io

    src, out, _ = batch
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["extract", str(src), str(src / "missing.txt"), "-o", str(out), "-q"])
    return status, stderr.getvalue(), {Path(d["path"]).name: d for d in pq.read_table(out / "documents").to_pylist()}


@pytest.mark.parametrize("name,build,status,code", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_each_bad_input_has_its_code_and_row(batch_run, name, build, status, code):
    _, stderr, rows = batch_run
    row = rows[name]
    assert (row["status"], row["error_code"]) == (status, code)
    lines = [line for line in stderr.splitlines() if name in line]
    if code is None:
        assert lines == []
    else:
        assert len(lines) == 1 and lines[0].startswith(f"[{code}] ") and lines[0].endswith(row["error_message"])


def test_batch_stderr_is_one_line_per_failed_file(batch_run):
    status, stderr, rows = batch_run
    assert status == 1
    failed = [name for name, row in rows.items() if row["status"] == "error"]
    assert len(stderr.splitlines()) == len(failed)
    assert "Traceback" not in stderr


def test_good_files_in_the_bad_batch_match_single_runs(batch, batch_run, tmp_path):
    src, out, good = batch
    _, _, rows = batch_run
    for name in good:
        assert rows[name]["status"] in ("ok", "partial"), name
        alone = tmp_path / name
        assert main(["extract", str(src / name), "-o", str(alone), "-q"]) == 0
        batch_json = json.loads((out / "json" / f"{name}.json").read_text(encoding="utf-8"))
        alone_json = json.loads((alone / "json" / f"{name}.json").read_text(encoding="utf-8"))
        assert batch_json == alone_json, name
    assert rows["plan.txt"]["issue_count"] == 79
    assert rows["turpan.html"]["issue_count"] == rows["turpan_gbk.txt"]["issue_count"] == 7
    assert rows["notice.pdf"]["issue_count"] == 1


def test_a_notice_without_task_list_is_ok_with_a_warning(batch):
    _, out, _ = batch
    doc = json.loads((out / "json" / "no_task_list.txt.json").read_text(encoding="utf-8"))
    assert (doc["status"], doc["lists"]) == ("ok", [])
    assert [w["code"] for w in doc["warnings"]] == ["no_task_list"]


def test_the_huge_line_is_kept_whole(batch):
    _, out, _ = batch
    doc = json.loads((out / "json" / "huge_single_line.txt.json").read_text(encoding="utf-8"))
    assert len(doc["text"].encode("utf-8")) > HUGE_BYTES * 0.99
    assert {(run["page"], run["line"]) for run in doc["text_map"]} == {(1, 1)}


@pytest.mark.parametrize(
    "password,status,code",
    [(PASSWORD, "ok", None), ("wrong", "error", "pdf_wrong_password")],
)
def test_password_opens_an_encrypted_pdf(tmp_path, password, status, code):
    path = tmp_path / "encrypted.pdf"
    path.write_bytes(encrypted(notice_pdf(), PASSWORD))
    main(["extract", str(path), "-o", str(tmp_path / "out"), "--password", password, "-q"])
    row = pq.read_table(tmp_path / "out" / "documents").to_pylist()[0]
    assert (row["status"], row["error_code"]) == (status, code)
    if code is None:
        doc = json.loads((tmp_path / "out" / "json" / "encrypted.pdf.json").read_text(encoding="utf-8"))
        assert doc["lists"][0]["issues"][0]["deadline"]["due_date"] == "2023-12-31"


def test_unexpected_errors_are_one_line_unless_debug(tmp_path, monkeypatch, capsys):
    from zhenggai import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline, "parse", broken)
    path = tmp_path / "plan.txt"
    shutil.copy(TURPAN_REPORT, path)
    assert main(["extract", str(path), "-o", str(tmp_path / "out"), "-q"]) == 1
    assert capsys.readouterr().err == f"[internal_error] {path}: unexpected RuntimeError: a bug (please report this file)\n"
    with pytest.raises(RuntimeError, match="a bug"):
        main(["extract", str(path), "-o", str(tmp_path / "out"), "--debug", "-q"])
