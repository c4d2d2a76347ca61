"""The zhenggai command: outputs, their types, bad input, exit status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zhenggai.cli import json_names, main
from zhenggai.output import schema
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
    (src / "gbk.txt").write_bytes("一、问题。\n责任单位：昌吉州党委、政府\n整改时限：2023年底前\n".encode("gb18030"))
    (src / "README.md").write_text("not a notice", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    status = main(["extract", str(src), str(src / "missing.txt"), "-o", str(out), "-q"])
    return status, out


def test_batch_with_bad_files_exits_1_and_keeps_every_result(batch):
    status, out = batch
    assert status == 1
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    by_name = {Path(d["path"]).name: d for d in docs}
    assert sorted(by_name) == ["corrupt.pdf", "empty.txt", "gbk.txt", "missing.txt", "notice.docx", "plan.txt"]
    assert {n: (d["status"], d["error_code"]) for n, d in by_name.items()} == {
        "corrupt.pdf": ("error", "pdf_unreadable"),
        "empty.txt": ("error", "empty_file"),
        "gbk.txt": ("ok", None),
        "missing.txt": ("error", "file_not_found"),
        "notice.docx": ("error", "unsupported_format"),
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
    issues = pq.read_table(out / "issues.parquet")
    assert issues.schema.field("deadline_due").type == pa.date32()
    assert issues.schema.field("sub_seq").type == pa.int32()
    assert issues.schema.field("deadline_immediate").type == pa.bool_()
    milestones = pq.read_table(out / "milestones.parquet")
    assert milestones.schema.field("due_date").type == pa.date32()
    frame = issues.to_pandas()
    plan = frame[frame.list_no.notna() & (frame.list_title.str.contains("新疆维吾尔自治区"))]
    assert len(plan) == 46 + 3


def test_tables_agree_with_the_json(batch):
    _, out = batch
    doc = json.loads((out / "json" / "plan.txt.json").read_text(encoding="utf-8"))
    measures = pq.read_table(out / "measures.parquet").to_pandas()
    plan_measures = measures[measures.doc_id == doc["doc_id"]]
    assert len(plan_measures) == 278
    issues = pq.read_table(out / "issues.parquet").to_pandas()
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
    assert [f.name for f in files] == ["gbk.txt.json", "plan.txt.json"]
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
