"""Title, kind and task-list detection."""

from __future__ import annotations

import pytest

from zhenggai.model import DocumentKind
from zhenggai.parsers import load_labels
from zhenggai.parsers.structure import Paragraph, detect_kind, find_lists, kind_rules, title_paragraphs


def _paragraphs(*texts: str) -> list[Paragraph]:
    out, offset = [], 0
    for t in texts:
        out.append(Paragraph(offset, t))
        offset += len(t) + 1
    return out


@pytest.mark.parametrize(
    "rule,keyword", [(rule, kw) for rule in kind_rules() for kw in rule.title_keywords], ids=str
)
def test_every_kind_keyword_detects_its_kind(rule, keyword):
    title = f"某某{keyword}{''.join(rule.requires)}"
    assert detect_kind(title, has_task_list=False) == DocumentKind(rule.name)


@pytest.mark.parametrize(
    "title,has_list,expected",
    [
        ("新疆维吾尔自治区和新疆生产建设兵团贯彻落实第二轮中央生态环境保护督察报告整改方案", True, "rectification_plan"),
        ("昌吉回族自治州第二轮中央生态环境保护督察整改落实情况报告", False, "progress_report"),
        ("昌吉州“十四五”生态环境保护规划", False, "five_year_plan"),
        ("关于“十四五”工作的通知", False, "unknown"),  # 十四五 without 规划
        ("通知", True, "rectification_plan"),
        ("通知", False, "unknown"),
    ],
)
def test_detect_kind(title, has_list, expected):
    assert detect_kind(title, has_task_list=has_list).value == expected


def test_title_is_the_leading_run_of_short_lines():
    paras = _paragraphs("附件：", "昌吉回族自治州第二轮中央生态环境保护督察", "整改落实情况报告", "2022年3月25日至4月25日，督察组进驻。")
    assert [p.text for p in title_paragraphs(paras)] == ["昌吉回族自治州第二轮中央生态环境保护督察", "整改落实情况报告"]


def test_annex_listing_is_not_a_task_list():
    paras = _paragraphs(
        "附件：1.新疆维吾尔自治区第二轮中央生态环境保护督察报告整改任务清单",
        "附件1",
        "任务清单",
        "一、问题。",
        "责任单位：某单位",
    )
    lists = find_lists(paras, load_labels())
    assert [(l.no, [p.text for p in l.title_paragraphs], l.first) for l in lists] == [(1, ["任务清单"], 3)]


def test_numbered_headings_without_fields_are_not_a_task_list():
    paras = _paragraphs("一、指导思想", "以习近平新时代中国特色社会主义思想为指导。", "二、工作目标", "坚持党政同责。")
    assert find_lists(paras, load_labels()) == []


def test_without_annex_the_first_issue_with_fields_starts_list_one():
    paras = _paragraphs("一、总体要求", "坚持问题导向。", "二、任务清单", "一、问题。", "责任单位：某单位")
    lists = find_lists(paras, load_labels())
    assert [(l.no, l.first) for l in lists] == [(1, 3)]


@pytest.mark.parametrize(
    "rule,keyword", [(rule, kw) for rule in kind_rules() for kw in rule.opening_keywords], ids=str
)
def test_every_opening_keyword_detects_an_untitled_document(rule, keyword):
    opening = f"为推进“十四五”时期生态环境保护工作，根据有关规划，{keyword}。"
    assert detect_kind("", has_task_list=False, opening=opening) == DocumentKind(rule.name)
    # a titled document is judged by its title
    assert detect_kind("通知", has_task_list=False, opening=opening) == DocumentKind.unknown
