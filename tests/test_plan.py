"""The corpus plan (samples/xinjiang_rectification_plan_2022.txt): counts,
structure and named tricky cases, checked against the text by reading."""

from __future__ import annotations

from datetime import date

import pytest

from zhenggai.output.tables import walk_issues

from .conftest import ROOT

# Measures per issue, read from the plan by hand (list 1 issue 16 has its
# measures in its three sub-issues: 3, 2, 4).
LIST1_MEASURES = [4, 3, 5, 2, 5, 3, 2, 5, 4, 3, 3, 2, 1, 8, 8, 0, 4, 2, 4, 6, 7, 2, 2, 1, 3, 3, 3, 2, 2, 4, 5, 3, 2, 6, 5, 1, 3, 3, 3, 3, 3, 4, 3, 4, 3, 4]
LIST2_MEASURES = [7, 5, 3, 3, 2, 1, 7, 4, 4, 3, 4, 3, 4, 4, 3, 3, 5, 5, 3, 5, 3, 3, 3, 3, 2, 2, 4, 6, 4, 3]


def _issue(doc, list_no, seq):
    return next(i for l in doc.lists if l.no == list_no for i in l.issues if i.seq == seq)


def test_two_task_lists_with_46_and_30_issues(plan_txt):
    assert [(l.no, l.title, len(l.issues)) for l in plan_txt.lists] == [
        (1, "新疆维吾尔自治区第二轮中央生态环境保护督察报告整改任务清单", 46),
        (2, "新疆生产建设兵团第二轮中央生态环境保护督察报告整改任务清单", 30),
    ]
    assert [i.seq for i in plan_txt.lists[0].issues] == list(range(1, 47))
    assert [i.seq for i in plan_txt.lists[1].issues] == list(range(1, 31))


def test_document_metadata(plan_txt):
    assert plan_txt.kind.value == "rectification_plan"
    assert plan_txt.title == "新疆维吾尔自治区和新疆生产建设兵团贯彻落实第二轮中央生态环境保护督察报告整改方案"
    assert plan_txt.reference_year == 2022
    assert plan_txt.status.value == "ok"


def test_measure_counts_per_issue(plan_txt):
    counts = [[len(i.measures) for i in l.issues] for l in plan_txt.lists]
    assert counts == [LIST1_MEASURES, LIST2_MEASURES]
    total = sum(len(i.measures) for _, i in walk_issues(plan_txt))
    numbered = sum(1 for _, i in walk_issues(plan_txt) for m in i.measures if m.label)
    assert (total, numbered) == (278, 274)


def test_issue_16_has_three_sub_issues_with_their_own_fields(plan_txt):
    issue = _issue(plan_txt, 1, 16)
    assert issue.fields == {"责任单位": "乌鲁木齐市委、政府，兵团第六师", "验收单位": "自治区住建厅、生态环境厅"}
    assert issue.measures == [] and issue.deadline is None
    subs = issue.sub_issues
    assert [(s.seq, s.sub_seq, s.label) for s in subs] == [(16, 1, "（一）"), (16, 2, "（二）"), (16, 3, "（三）")]
    assert [s.responsible_raw for s in subs] == ["乌鲁木齐市委、政府", "乌鲁木齐市委、政府", "乌鲁木齐市委、政府，兵团第六师"]
    assert [s.deadline.due_date for s in subs] == [date(2023, 10, 31), date(2024, 10, 31), date(2023, 12, 31)]
    assert [len(s.measures) for s in subs] == [3, 2, 4]
    assert subs[1].problem == "规划建设的河西、城北新区污水处理厂尾水回用管线成为“半拉子”工程"
    assert subs[1].goal == "完成河西、城北新区污水处理厂尾水回用管线1320米，配套建设一体化泵站2座（单座泵水能力1000立方米/每小时）。"


def test_every_issue_has_units_goal_deadline_and_measures(plan_txt):
    for task_list in plan_txt.lists:
        for issue in task_list.issues:
            assert issue.responsible_raw and issue.acceptance_raw, (task_list.no, issue.seq)
            for leaf in issue.sub_issues or [issue]:
                assert leaf.responsible_raw and leaf.goal and leaf.deadline and leaf.measures, (task_list.no, leaf.seq, leaf.sub_seq)
                assert leaf.deadline.due_date or leaf.deadline.immediate, leaf.deadline


@pytest.mark.parametrize("list_no,seq", [(1, 13), (1, 24), (1, 36), (2, 6)])
def test_unnumbered_measures_paragraph_is_one_measure(plan_txt, list_no, seq):
    measures = _issue(plan_txt, list_no, seq).measures
    assert [(m.seq, m.label) for m in measures] == [(1, None)]


def test_number_followed_by_year_is_a_measure(plan_txt):
    measure = _issue(plan_txt, 1, 5).measures[2]
    assert measure.label == "3."
    assert measure.text.startswith("2022年9月底前将潞新集团新合公司10万吨/年的2台")
    assert [(m.due_date, m.precision) for m in measure.milestones] == [(date(2022, 9, 30), "month")] * 2


def test_number_followed_by_digits_is_a_measure(plan_txt):
    measure = _issue(plan_txt, 2, 21).measures[1]
    assert measure.seq == 2 and measure.text.startswith("223团污水处理站提质增效")


@pytest.mark.parametrize(
    "list_no,seq,field,fragment",
    [
        (1, 15, "整改目标", "浓度不超过46.8ug/m3、重污染天数比率低于7.7%"),
        (1, 41, "整改目标", "新增高效节水未完成的34.5万亩高效节水建设任务。"),
        (1, 46, "problem", "巴州轮台县从每亩7.9千克增加到13.3千克。"),
    ],
)
def test_wrapped_decimal_stays_in_its_text(plan_txt, list_no, seq, field, fragment):
    issue = _issue(plan_txt, list_no, seq)
    assert fragment in (issue.problem if field == "problem" else issue.fields[field])


def test_fake_bold_sentence_is_printed_once(plan_txt):
    issue = _issue(plan_txt, 1, 1)
    assert issue.problem.startswith("思想认识有偏差。一些地方和部门")
    assert [w.code for w in plan_txt.warnings].count("duplicated_text") == 1


def test_glyphs_are_repaired_in_values(plan_txt):
    issue = _issue(plan_txt, 1, 3)
    assert issue.measures[0].text == "组织修订《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》，从源头上杜绝开垦草原行为。"
    assert "臵" not in plan_txt.text and "•" not in plan_txt.text


def test_every_value_is_its_span_of_the_cleaned_text(plan_txt):
    text = plan_txt.text
    checked = 0
    for _, issue in walk_issues(plan_txt):
        values = {"problem": issue.problem, **issue.fields}
        for key, span in issue.spans.items():
            assert text[span.start : span.end] == values[key]
            checked += 1
        for measure in issue.measures:
            assert text[measure.span.start : measure.span.end] == measure.text
            checked += 1
            for milestone in measure.milestones:
                assert text[milestone.span.start : milestone.span.end] == milestone.text
                checked += 1
        if issue.deadline:
            assert text[issue.deadline.span.start : issue.deadline.span.end] == issue.deadline.raw
    assert checked > 900


def test_spans_point_at_the_original_lines(plan_txt):
    # Issue 二 of list 1 starts on line 305 of the file; its deadline is on line 315.
    lines = (ROOT / plan_txt.source.path).read_text(encoding="utf-8").split("\n")
    issue = _issue(plan_txt, 1, 2)
    assert lines[issue.source.line_start - 1].startswith("二、准东经济技术开发区")
    assert "立行立改" in lines[issue.deadline.span.line_start - 1]
    for measure in issue.measures:
        assert measure.text[:6] in lines[measure.span.line_start - 1].replace(" ", "")


def _dates(doc):
    return [
        (
            list_no.no,
            issue.seq,
            issue.sub_seq,
            issue.deadline.model_dump(exclude={"span"}) if issue.deadline else None,
            [[(ms.due_date, ms.precision, ms.year_inferred, ms.text) for ms in m.milestones] for m in issue.measures],
        )
        for list_no, issue in walk_issues(doc)
    ]


def test_pdf_gives_the_same_deadlines_and_milestones_as_text(plan_txt, plan_pdf):
    assert _dates(plan_pdf) == _dates(plan_txt)
    assert sum(len(m.milestones) for _, i in walk_issues(plan_txt) for m in i.measures) == 191
