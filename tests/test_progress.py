"""Progress reports: items with status, plan cross-reference and progress
entries with their dated facts; the report's issuer and signing date."""

from __future__ import annotations

from datetime import date

import pytest

from zhenggai.model import walk_issues
from zhenggai.parsers.progress import find_plan_ref, split_status
from zhenggai.parsers import load_labels

PREFIXES = load_labels().cross_reference_prefixes


def test_changji_report_reads_as_a_progress_report(changji_report):
    doc = changji_report
    assert doc.kind.value == "progress_report"
    assert doc.status.value == "ok"
    assert doc.issuer.name == "昌吉回族自治州" and doc.issuer.level == "prefecture"
    assert doc.date.raw == "2023年12月25日" and doc.date.value == date(2023, 12, 25)
    assert doc.reference_year == 2023
    items = doc.lists[0].issues
    assert [i.seq for i in items] == list(range(1, 19))
    assert all(i.plan_ref is None for i in items)


def test_turpan_report_cites_the_plan_and_has_no_signing_date(turpan_report):
    doc = turpan_report
    assert doc.kind.value == "progress_report"
    assert doc.issuer.name == "吐鲁番市"
    assert doc.date is None
    # Without a signing date the year comes from the entries, and says so.
    assert doc.reference_year == 2023
    assert "no_report_date" in [w.code for w in doc.warnings]
    items = doc.lists[0].issues
    assert [(i.plan_ref, i.plan_ref_scope) for i in items] == [
        (1, "自治区"), (3, "自治区"), (9, "自治区"), (12, "自治区"), (17, "自治区"), (18, "自治区"), (39, "自治区")
    ]


def test_cross_reference_is_removed_from_the_problem(turpan_report):
    item = turpan_report.lists[0].issues[2]
    assert item.problem.endswith("阿克苏地区多出4.4亿立方米。")
    assert "序号" not in item.problem
    ref = item.spans["plan_ref"]
    assert turpan_report.text[ref.start : ref.end] == "（自治区序号九）"


# (report fixture, item seq) → (deadline raw, status raw, status, entry labels)
ITEMS = [
    ("changji_report", 1, "立行立改，长期坚持", "已完成，长期坚持", "completed_ongoing", ["1.", "2.", "3.", "4."]),
    ("changji_report", 3, "2023年底前", "已完成", "completed", ["1.", "2."]),
    ("changji_report", 4, "2024年6月底", "正在持续推进", "in_progress", ["1.", "2."]),
    ("changji_report", 8, "2025年底前", "正在持续推进", "in_progress", [f"{n}." for n in range(1, 9)]),
    # An unnumbered entry.
    ("changji_report", 11, "2023年6月底前", "已完成", "completed", [None]),
    ("changji_report", 18, "2025年底前", "正在持续推进", "in_progress", ["1.", "2.", "3."]),
    ("turpan_report", 2, "2023年底前", "已完成", "completed", ["1.", "2.", "3."]),
    ("turpan_report", 5, "2023年底前", "正在持续推进", "in_progress", [None]),
]


@pytest.mark.parametrize("fixture,seq,deadline,status_raw,status,labels", ITEMS)
def test_report_item_fields(fixture, seq, deadline, status_raw, status, labels, request):
    doc = request.getfixturevalue(fixture)
    item = doc.lists[0].issues[seq - 1]
    assert item.seq == seq
    assert item.deadline.raw == deadline
    assert (item.status_raw, item.status) == (status_raw, status)
    assert [e.label for e in item.progress_entries] == labels
    assert item.measures == []
    for entry in item.progress_entries:
        assert doc.text[entry.span.start : entry.span.end] == entry.text
    status_span = item.spans["status"]
    assert doc.text[status_span.start : status_span.end] == status_raw


def test_signature_block_is_not_part_of_the_last_item(changji_report):
    last = changji_report.lists[0].issues[-1].progress_entries[-1]
    assert last.text.endswith("均完成年度建设任务。")
    assert "人民政府" not in last.text


def test_as_of_dates_take_the_report_year_not_an_earlier_year_in_the_text(changji_report):
    # Item 十二 recounts 2022 work, then states facts "截至10月底" (2023).
    item = changji_report.lists[0].issues[11]
    facts = [(f.date_raw, f.date, f.role) for e in item.progress_entries for f in e.dates]
    assert ("2022年10月", date(2022, 10, 31), "reference") in facts  # "已于2022年10月完成"
    assert ("10月底", date(2023, 10, 31), "as_of") in facts


def test_dated_facts_keep_their_sentence_and_evidence(turpan_report):
    item = turpan_report.lists[0].issues[3]  # 四、 water fees
    fact = item.progress_entries[0].dates[0]
    assert (fact.date_raw, fact.date, fact.role, fact.year_inferred) == ("10月底", date(2023, 10, 31), "as_of", True)
    assert fact.text == "截至10月底，全市共征收水资源费5900万元。"
    assert turpan_report.text[fact.span.start : fact.span.end] == fact.text


def test_every_report_value_is_its_evidence(changji_report, turpan_report):
    for doc in (changji_report, turpan_report):
        for _, item in walk_issues(doc):
            for entry in item.progress_entries:
                for fact in entry.dates:
                    assert doc.text[fact.span.start : fact.span.end] == fact.text
        assert doc.text[doc.issuer.span.start : doc.issuer.span.end] == doc.issuer.raw


@pytest.mark.parametrize(
    "text,expected",
    [
        ("……多出4.4亿立方米。（自治区序号九）", (9, "自治区", "（自治区序号九）")),
        ("……问题。(兵团序号 12)", (12, "兵团", "(兵团序号 12)")),
        ("……问题。（序号九）", None),
        ("……问题。（自治区序号二十三）", (23, "自治区", "（自治区序号二十三）")),
    ],
)
def test_find_plan_ref(text, expected):
    ref = find_plan_ref(text, PREFIXES)
    if expected is None:
        assert ref is None
    else:
        assert (ref.number, ref.scope, text[ref.start : ref.end]) == expected


@pytest.mark.parametrize(
    "value,status,entries",
    [
        ("已完成，长期坚持\n1.甲。\n2.乙。", "已完成，长期坚持", ["甲。", "乙。"]),
        ("已完成\n新疆某公司已完成整改。", "已完成", ["新疆某公司已完成整改。"]),
        ("已完成。该公司已完成整改。", "已完成", ["该公司已完成整改。"]),
        ("正在持续推进", "正在持续推进", []),
    ],
)
def test_split_status(value, status, entries):
    found = split_status(value)
    assert value[found.status_start : found.status_end] == status
    assert [value[e.start : e.end] for e in found.entries] == entries


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_cross_reference_prefix_is_read(prefix):
    ref = find_plan_ref(f"问题。（{prefix}七）", PREFIXES)
    assert ref.number == 7 and ref.scope == (prefix.removesuffix("序号") or None)
