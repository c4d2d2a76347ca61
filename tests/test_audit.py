"""The audit: links, findings, outputs. Expected links and unreported
issues were checked by reading the plan and the reports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zhenggai.audit import build_audit
from zhenggai.audit.coverage import Region, covered_issues
from zhenggai.cli import main
from zhenggai.output import schema, write_document_json
from zhenggai.pipeline import convert

from .conftest import CHANGJI_REPORT, PLAN_TXT, TURPAN_REPORT

# (report item, plan list-1 issue), read side by side.
CHANGJI_LINKS = [
    (1, 1), (2, 2), (3, 3), (4, 4), (5, 6), (6, 9), (7, 12), (8, 15), (9, 18),
    (10, 21), (11, 24), (12, 25), (13, 27), (14, 29), (15, 31), (16, 32), (17, 34), (18, 39),
]
TURPAN_LINKS = [(1, 1), (2, 3), (3, 9), (4, 12), (5, 17), (6, 18), (7, 39)]
# Plan issues assigned to the region that its report does not answer:
# 20 names 昌吉州党委、政府 directly; 46 is assigned to 各地（州、市）党委、政府（行署）.
CHANGJI_UNREPORTED = {20, 46}
TURPAN_UNREPORTED = {46}


def _variant(tmp_path: Path, source: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """A copy of a corpus report with edits (each must apply)."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def audit(plan_txt, changji_report, turpan_report):
    return build_audit(plan_txt, [changji_report, turpan_report])


def _links(audit, doc):
    return [(link.report_seq, link.plan_seq) for link in audit.links if link.report_doc == doc.doc_id]


def _findings(audit, kind, doc=None):
    return [f for f in audit.findings if f.finding == kind and (doc is None or f.report_doc == doc.doc_id)]


def test_turpan_links_by_its_cross_references(audit, turpan_report):
    assert _links(audit, turpan_report) == TURPAN_LINKS
    links = [link for link in audit.links if link.report_doc == turpan_report.doc_id]
    assert {link.method for link in links} == {"cross_reference"}
    assert {link.plan_list for link in links} == {1}


def test_changji_links_by_text_to_the_right_plan_issues(audit, changji_report):
    assert _links(audit, changji_report) == CHANGJI_LINKS
    links = [link for link in audit.links if link.report_doc == changji_report.doc_id]
    assert {link.method for link in links} == {"text"}
    assert min(link.score for link in links) >= 90


@pytest.mark.parametrize(
    "fixture,expected", [("changji_report", CHANGJI_UNREPORTED), ("turpan_report", TURPAN_UNREPORTED)]
)
def test_unreported_plan_issues(audit, fixture, expected, request):
    doc = request.getfixturevalue(fixture)
    assert {f.plan_seq for f in _findings(audit, "unreported", doc)} == expected


@pytest.mark.parametrize("fixture", ["changji_report", "turpan_report"])
def test_no_covered_plan_issue_is_silently_skipped(audit, plan_txt, fixture, request):
    doc = request.getfixturevalue(fixture)
    region = Region(doc.issuer.region, doc.issuer.raw)
    covered = {(tl.no, issue.seq) for tl, issue, _ in covered_issues(plan_txt, region)}
    rows = [r for r in audit.rows if r.report_doc == doc.doc_id]
    accounted = {(r.plan_list, r.plan_seq) for r in rows if r.plan_seq is not None}
    assert covered <= accounted
    assert len([r for r in rows if r.report_seq is not None]) == len(doc.lists[0].issues)


def test_real_reports_have_no_other_findings(audit):
    assert {f.finding for f in audit.findings} == {"unreported"}
    changji = next(r for r in audit.reports if r.region == "昌吉回族自治州")
    assert changji.as_of == date(2023, 12, 25)
    turpan = next(r for r in audit.reports if r.region == "吐鲁番市")
    assert turpan.as_of is None
    assert all(row.overdue is None for row in audit.rows if row.region == "吐鲁番市")


def test_a_changed_deadline_is_flagged(tmp_path, plan_txt):
    report = convert(
        _variant(
            tmp_path,
            CHANGJI_REPORT,
            "changed.txt",
            ("整改时限：2024年6月底\n", "整改时限：2024年12月底前\n"),
        )
    )
    audit = build_audit(plan_txt, [report])
    changed = _findings(audit, "deadline_changed")
    assert [(f.report_seq, f.plan_seq) for f in changed] == [(4, 4)]
    assert changed[0].detail == "plan: 2024年6月底; report: 2024年12月底前"
    row = next(r for r in audit.rows if r.report_seq == 4)
    assert row.deadline_changed is True
    assert row.plan_deadline.due_date == date(2024, 6, 30) and row.report_deadline.due_date == date(2024, 12, 31)
    assert sum(r.deadline_changed is False for r in audit.rows) == 17


def test_overdue_as_of_a_later_date(plan_txt, changji_report):
    audit = build_audit(plan_txt, [changji_report], as_of=date(2024, 1, 15))
    # Due 2023年底前 and still 正在持续推进; completed items are never overdue.
    assert {(f.report_seq, f.plan_seq) for f in _findings(audit, "overdue")} == {(5, 6), (16, 32)}
    row = next(r for r in audit.rows if r.report_seq == 3)  # due 2023年底前, 已完成
    assert row.overdue is False


def test_status_regressed_between_two_reports_of_a_region(tmp_path, plan_txt, changji_report):
    earlier = convert(
        _variant(
            tmp_path,
            CHANGJI_REPORT,
            "earlier.txt",
            ("2023年12月25日", "2023年6月30日"),
            ("整改时限：2024年6月底\n\n整改进展情况：正在持续推进", "整改时限：2024年6月底\n\n整改进展情况：已完成"),
        )
    )
    audit = build_audit(plan_txt, [changji_report, earlier])
    regressed = _findings(audit, "status_regressed")
    assert [(f.report_doc, f.report_seq, f.plan_seq) for f in regressed] == [(changji_report.doc_id, 4, 4)]
    assert regressed[0].detail == "已完成 (2023-06-30) → 正在持续推进 (2023-12-25)"


def test_items_that_match_no_plan_issue_are_unmatched(tmp_path, plan_txt):
    report = convert(
        _variant(
            tmp_path,
            TURPAN_REPORT,
            "unmatched.txt",
            ("改造。（自治区序号三十九）", "改造。（自治区序号九十九）"),
            (
                "六、一些地方对群众投诉问题敷衍调查，解决不到位。（自治\n\n区序号十八）",
                "六、艾丁湖周边蓝藻水华频发，景区污水直排问题未得到解决。",
            ),
        )
    )
    audit = build_audit(plan_txt, [report])
    unmatched = {f.report_seq: f.detail for f in _findings(audit, "unmatched")}
    assert set(unmatched) == {6, 7}
    assert unmatched[7] == "cites 自治区序号 99, which the plan does not have"
    assert unmatched[6].startswith("closest plan issue")
    # The plan issues they no longer answer are now unreported.
    assert {f.plan_seq for f in _findings(audit, "unreported")} == {18, 39, 46}


def test_a_region_the_gazetteer_does_not_know_is_matched_as_written(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "河西省第二轮中央生态环境保护督察整改方案\n"
        "一、青龙湖水质持续恶化，沿湖养殖污水直排。\n责任单位：青龙市党委、政府\n整改时限：2023年底前\n"
        "整改措施：1.清理沿湖养殖场。\n"
        "二、白云矿区违法占用草原。\n责任单位：白云县政府\n整改时限：2024年底前\n整改措施：1.恢复植被。\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.txt"
    report.write_text(
        "青龙市贯彻落实第二轮中央生态环境保护督察报告整改进展情况\n"
        "一、青龙湖水质持续恶化，沿湖养殖污水直排。\n整改时限：2023年底前\n整改进展情况：正在持续推进\n"
        "1.截至10月底，已清理养殖场12家。\n2023年12月20日\n",
        encoding="utf-8",
    )
    audit = build_audit(convert(plan), [convert(report)])
    assert audit.reports[0].region == "青龙市"
    assert [(link.report_seq, link.plan_seq) for link in audit.links] == [(1, 1)]
    assert [r.coverage for r in audit.rows] == ["as written: 青龙市党委"]
    assert not audit.findings


@pytest.fixture(scope="module")
def audit_cli(tmp_path_factory):
    """The plan as extracted JSON, the reports as source files."""
    work = tmp_path_factory.mktemp("audit")
    plan_json = work / "plan.json"
    write_document_json(convert(PLAN_TXT), plan_json)
    out = work / "out"
    status = main(["audit", str(plan_json), str(CHANGJI_REPORT), str(TURPAN_REPORT), "-o", str(out), "--as-of", "2024-01-15"])
    return status, out


def test_audit_command_writes_parquet_json_and_html(audit_cli, capsys):
    status, out = audit_cli
    assert status == 0
    assert {p.name for p in out.iterdir()} == {"audit.parquet", "audit.json", "audit.html"}
    table = pq.read_table(out / "audit.parquet")
    assert table.schema.field("plan_deadline_due").type == pa.date32()
    assert table.schema.field("findings").type == pa.list_(pa.string())
    data = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema.packaged(schema.AUDIT_SCHEMA_FILE))
    assert table.num_rows == len(data["rows"]) == 18 + 2 + 7 + 1
    assert set(data) >= {"reports", "links", "findings"}
    overdue = [f for f in data["findings"] if f["finding"] == "overdue"]
    # --as-of applies to the undated Turpan report too: its item 五 (plan 17) is due 2023年底前.
    assert {(f["region"], f["plan_seq"]) for f in overdue} == {
        ("昌吉回族自治州", 6), ("昌吉回族自治州", 32), ("吐鲁番市", 9), ("吐鲁番市", 17)
    }


def test_audit_summary_counts_findings(tmp_path, capsys):
    status = main(["audit", str(PLAN_TXT), str(TURPAN_REPORT), "-o", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0
    assert "吐鲁番市" in out and "7 items linked (7 by cross-reference, 0 by text)" in out
    assert "unreported 1, unmatched 0, deadline_changed 0, overdue 0, status_regressed 0" in out


def test_committed_audit_schema_matches_the_model():
    assert schema.packaged(schema.AUDIT_SCHEMA_FILE) == json.loads(schema.render(schema.AUDIT_SCHEMA_FILE))


@pytest.mark.parametrize(
    "args,code",
    [
        (["{report}", "{report}"], "[wrong_kind]"),
        (["{plan}", "{bad_json}"], "[not_a_document]"),
        (["{plan}", "{plan}"], "[wrong_kind]"),
        (["{plan}", "{missing}"], "[file_not_found]"),
    ],
)
def test_audit_input_errors_are_coded(tmp_path, capsys, args, code):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"kind": "plan"}', encoding="utf-8")
    names = {
        "plan": PLAN_TXT,
        "report": TURPAN_REPORT,
        "bad_json": bad_json,
        "missing": tmp_path / "missing.txt",
    }
    argv = ["audit", *(a.format(**names) for a in args), "-o", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err
