"""The zhenggai command: outputs, their types, bad input, exit status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zhenggai.batch import RunStats, Task, json_names
from zhenggai.cli import _Progress, main, summary
from zhenggai.output import DocumentOutput, schema
from zhenggai.output.atomic import atomic_path, write_text_atomic

from .conftest import PLAN_TXT


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The sample plan next to bad files, in one run."""
    src = tmp_path_factory.mktemp("in")
    shutil.copy(PLAN_TXT, src / "plan.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "corrupt.pdf").write_bytes(b"%PDF-1.7\nthis is not a pdf at all")
    (src / "notice.docx").write_bytes(b"PK\x03\x04 not really")
    (src / "notice.rtf").write_bytes(b"{\\rtf1 not read}")
    (src / "gbk.txt").write_bytes("一、问题。\n责任单位：昌吉州党委、政府\n整改时限：2023年底前\n".encode("gb18030"))
    (src / "other_province.txt").write_text(
        "一、问题。\n责任单位：河西省水利厅、某某县政府\n整改时限：2023年底前\n", encoding="utf-8"
    )
    (src / "README.md").write_text("not a notice", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    status = main(["extract", str(src), str(src / "missing.txt"), "-o", str(out), "-q"])
    return status, out


def test_batch_with_bad_files_exits_1_and_keeps_every_result(batch):
    status, out = batch
    assert status == 1
    docs = pq.read_table(out / "documents").to_pylist()
    by_name = {Path(d["path"]).name: d for d in docs}
    assert sorted(by_name) == ["corrupt.pdf", "empty.txt", "gbk.txt", "missing.txt", "notice.docx", "notice.rtf", "other_province.txt", "plan.txt"]
    assert {n: (d["status"], d["error_code"]) for n, d in by_name.items()} == {
        "corrupt.pdf": ("error", "pdf_truncated"),
        "empty.txt": ("error", "empty_file"),
        "gbk.txt": ("ok", None),
        "missing.txt": ("error", "file_not_found"),
        "notice.docx": ("error", "docx_unreadable"),
        "notice.rtf": ("error", "unsupported_format"),
        "other_province.txt": ("ok", None),
        "plan.txt": ("ok", None),
    }
    assert by_name["plan.txt"]["issue_count"] == 79
    assert by_name["corrupt.pdf"]["sha256"] and by_name["corrupt.pdf"]["doc_id"]
    assert by_name["missing.txt"]["doc_id"] is None


def test_errors_are_one_line_naming_file_and_cause(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["extract", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"[empty_file] {tmp_path / 'empty.txt'}: the file is empty (0 bytes)"]


def test_parquet_columns_have_explicit_types(batch):
    _, out = batch
    issues = pq.read_table(out / "issues")
    assert issues.schema.field("deadline_due").type == pa.date32()
    assert issues.schema.field("sub_seq").type == pa.int32()
    assert issues.schema.field("deadline_immediate").type == pa.bool_()
    milestones = pq.read_table(out / "milestones")
    assert milestones.schema.field("due_date").type == pa.date32()
    frame = issues.to_pandas()
    plan = frame[frame.list_no.notna() & (frame.list_title.str.contains("新疆维吾尔自治区"))]
    assert len(plan) == 46 + 3


def test_tables_agree_with_the_json(batch):
    _, out = batch
    doc = json.loads((out / "json" / "plan.txt.json").read_text(encoding="utf-8"))
    measures = pq.read_table(out / "measures").to_pandas()
    plan_measures = measures[measures.doc_id == doc["doc_id"]]
    assert len(plan_measures) == 278
    issues = pq.read_table(out / "issues").to_pandas()
    row = issues[(issues.doc_id == doc["doc_id"]) & (issues.list_no == 1) & (issues.seq == 4)].iloc[0]
    issue = doc["lists"][0]["issues"][3]
    assert (row.problem, row.deadline_raw, str(row.deadline_due)) == (
        issue["problem"],
        issue["deadline"]["raw"],
        issue["deadline"]["due_date"],
    )
    assert row.page_start == issue["source"]["page_start"] and row.line_start == issue["source"]["line_start"]


def test_every_json_written_validates_against_the_schema(batch):
    _, out = batch
    files = sorted((out / "json").rglob("*.json"))
    assert [f.name for f in files] == ["gbk.txt.json", "other_province.txt.json", "plan.txt.json"]
    for f in files:
        jsonschema.validate(json.loads(f.read_text(encoding="utf-8")), schema.packaged())


def test_committed_schema_matches_the_model():
    assert schema.packaged() == json.loads(schema.render()), "run `make schema` and commit the result"


def test_all_good_inputs_exit_0(tmp_path):
    assert main(["extract", str(PLAN_TXT), "-o", str(tmp_path), "-q"]) == 0


@pytest.mark.parametrize("argv", [[], ["extract"], ["extract", "x.txt"], ["bogus"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("zhenggai: error:")


def _output(path: Path, *, pages: int = 0, error_code: str | None = None) -> DocumentOutput:
    row = {"path": str(path), "page_count": pages, "error_code": error_code, "error_message": "cannot be read"}
    return DocumentOutput(row=row, tables={}, json_file=None)


def test_progress_bar_advances_by_bytes_and_counts_files(tmp_path, capsys):
    # The largest files go first: time left is estimated over bytes, not files.
    big = Task(tmp_path / "big.pdf", None, "json/big.pdf.json", tmp_path / "0.json", size=900)
    small = Task(tmp_path / "small.pdf", None, "json/small.pdf.json", tmp_path / "1.json", size=100)
    empty = Task(tmp_path / "empty.txt", None, "json/empty.txt.json", tmp_path / "2.json", size=0)
    with _Progress([big, small, empty], enabled=True) as progress:
        progress(_output(big.path, pages=9))
        assert progress.bar.n == 900
        assert "1/3 files" in str(progress.bar) and "0 errors" in str(progress.bar)
        progress(_output(empty.path, error_code="empty_document"))
        progress(_output(small.path, pages=1))
        assert progress.bar.n == progress.bar.total == 1001  # an empty file still counts
    err = capsys.readouterr().err
    assert "3/3 files" in err and "1 error]" in err
    assert f"[empty_document] {empty.path}: cannot be read" in err


@pytest.mark.parametrize(
    "stats, expected",
    [
        (
            RunStats(converted=1, status=Counter(error=1)),
            "wrote out/: 1 document (0 ok, 0 partial, 1 error), 0 issues, 0 measures, 0 milestones, 0 progress report items",
        ),
        (
            RunStats(converted=2, skipped=1, status=Counter(ok=2), issues=1, measures=1, milestones=1, items=1),
            "wrote out/: 2 documents (2 ok, 0 partial, 0 errors), 1 issue, 1 measure, 1 milestone, 1 progress report item;"
            " 1 unchanged document skipped",
        ),
        (RunStats(skipped=9), "out/ is up to date: 9 unchanged documents skipped"),
    ],
)
def test_summary_counts_in_singular_and_plural(stats, expected):
    assert summary(stats, Path("out")) == expected


def test_json_names_follow_the_argument_and_never_collide():
    inputs = [
        (Path("samples/plan.pdf"), "plan.pdf"),
        (Path("samples/plan.txt"), "plan.txt"),
        (Path("a/x.txt"), "x.txt"),
        (Path("b/x.txt"), "x.txt"),
        (Path("dir/sub/y.txt"), "sub/y.txt"),
    ]
    assert json_names(inputs) == ["plan.pdf.json", "plan.txt.json", "a/x.txt.json", "b/x.txt.json", "sub/y.txt.json"]


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "t.json"
    write_text_atomic(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


# List-1 issues of the plan that name 昌吉州 (昌吉州党委、政府 …) or a
# collective covering every prefecture (各地（州、市）党委、政府（行署）),
# read from the plan's 责任单位 fields.
CHANGJI_ISSUES = ["1-1", "1-2", "1-3", "1-4", "1-6", "1-9", "1-12", "1-15", "1-18", "1-20", "1-21", "1-24", "1-25", "1-27", "1-29", "1-31", "1-32", "1-34", "1-39", "1-46"]


def test_units_command_lists_the_issues_of_a_region(batch, capsys):
    _, out = batch
    capsys.readouterr()
    assert main(["units", str(out), "--region", "昌吉州", "--role", "responsible"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "昌吉州 → 昌吉回族自治州"
    plan_header = next(i for i, line in enumerate(lines) if line.endswith("plan.txt:"))
    plan_lines = lines[plan_header + 1 : plan_header + 1 + len(CHANGJI_ISSUES)]
    assert [line.split()[0] for line in plan_lines] == CHANGJI_ISSUES
    assert "via 各地（州、市）党委、政府（行署）" in plan_lines[0]
    assert "direct: 昌吉回族自治州党委; direct: 昌吉回族自治州人民政府" in plan_lines[1]
    # gbk.txt names 昌吉州 in its one issue: two documents in all.
    assert lines[-1] == f"{len(CHANGJI_ISSUES) + 1} issues in 2 documents"


def test_units_command_matches_an_unknown_region_as_written(batch, capsys):
    _, out = batch
    capsys.readouterr()
    assert main(["units", str(out), "--region", "河西省"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "河西省 → (not in the gazetteer: matched as written)"
    assert lines[-2].split()[:3] == ["1-1", "responsible", "as"] and "河西省水利厅" in lines[-2]
    assert lines[-1] == "1 issues in 1 documents"


def test_unknown_units_are_kept_with_a_warning(batch):
    _, out = batch
    doc = json.loads((out / "json" / "other_province.txt.json").read_text(encoding="utf-8"))
    units = doc["lists"][0]["issues"][0]["units"]["responsible_units"]
    assert [(u["raw"], u["name"], u["level"]) for u in units] == [
        ("河西省水利厅", "河西省水利厅", "other"),
        ("某某县政府", "某某县政府", "other"),
    ]
    assert [w["code"] for w in doc["warnings"]].count("unit_unknown") == 2


def test_unit_tables_are_typed_and_complete(batch):
    _, out = batch
    links = pq.read_table(out / "unit_links")
    assert links.schema.field("members").type == pa.list_(pa.string())
    frame = links.to_pandas()
    assert set(frame.role) == {"responsible", "acceptance"}
    assert frame[frame.raw == "昌吉州党委"].iloc[0]["name"] == "昌吉回族自治州党委"
    assert not frame.name.isna().any()
    units = pq.read_table(out / "units.parquet").to_pandas()
    assert units.name.is_unique
    row = units[units.name == "昌吉回族自治州党委"].iloc[0]
    assert "昌吉州党委" in list(row.aliases)


def test_command_collects_garbage_once_its_modules_are_loaded():
    """The command loads its modules with the collector off (start-up);
    the command itself must run with it on, or a long run in the parent
    would never free its cycles, and with the modules' objects frozen."""
    probe = (
        "import gc, zhenggai.cli\n"
        "zhenggai.cli.main = lambda: print(gc.isenabled(), gc.get_freeze_count() > 10_000) or 0\n"
        "from zhenggai.__main__ import console\n"
        "console()\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stdout) == (0, "True True\n")


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="OpenBLAS starts no threads of its own on one core")
def test_command_starts_no_openblas_threads_unless_asked(tmp_path):
    """numpy's OpenBLAS threads spin at start-up (0.1 s of CPU a command)
    and the command has no use for them; a user's own setting stands. The
    probe runs the command on an empty folder and counts the process's
    threads as it exits."""
    probe = (
        "import os, sys\n"
        "exit = os._exit\n"
        "os._exit = lambda code: (print(len(os.listdir('/proc/self/task')), flush=True), exit(code))\n"
        f"sys.argv = ['zhenggai', 'extract', {str(tmp_path)!r}, '-o', {str(tmp_path / 'out')!r}]\n"
        "from zhenggai.__main__ import console\n"
        "console()\n"
    )

    def threads(**env: str) -> int:
        environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | env
        run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=environ)
        assert run.returncode == 2, run.stderr  # no input documents found
        return int(run.stdout)

    assert threads() < threads(OPENBLAS_NUM_THREADS="2")


@pytest.mark.parametrize(
    "args, status, stdout_has, stderr_has",
    [
        (["extract", str(PLAN_TXT), "/no/such/file.txt"], 1, "wrote ", "[file_not_found] /no/such/file.txt"),
        (["extract", str(PLAN_TXT)], 0, "1 ok", ""),
        (["extract"], 2, "", "the following arguments are required"),
    ],
)
def test_command_exits_with_mains_status_and_everything_printed(tmp_path, args, status, stdout_has, stderr_has):
    """The installed command skips the interpreter's teardown (zhenggai.__main__.console):
    its output must still arrive in full and its status be main's."""
    command = [sys.executable, "-m", "zhenggai", *args]
    if len(args) > 1:
        command += ["-o", str(tmp_path / "out")]
    # Buffered as users' pipes are (this environment may set PYTHONUNBUFFERED).
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == status
    assert stdout_has in run.stdout
    assert stderr_has in run.stderr
