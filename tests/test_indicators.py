"""The indicator-table reader on small tables, one per vocabulary entry."""

from __future__ import annotations

import pytest

from zhenggai.model import Span
from zhenggai.parsers.indicators import parse_indicator_tables, table_words
from zhenggai.parsers.structure import Paragraph


def _paragraphs(*texts: str) -> list[Paragraph]:
    out, offset = [], 0
    for t in texts:
        out.append(Paragraph(offset, t))
        offset += len(t) + 1
    return out


def _span(start: int, end: int) -> Span:
    return Span(start=start, end=end, page_start=1, line_start=1, page_end=1, line_end=1)


def _read(*rows: str, header: str = "指标\t序号\t指标名称\t现状值\t2025年目标\t属性"):
    warnings: list = []
    return parse_indicator_tables(_paragraphs("表 2-1 指标", header, *rows), _span, warnings), warnings


@pytest.mark.parametrize("attribute", table_words().attributes)
def test_every_attribute_word_ends_a_row(attribute):
    [row], _ = _read(f"环境质量\t1\t森林覆盖率（%）\t19.16\t19.46\t{attribute}")
    assert (row.category, row.number, row.name, row.baseline.raw, row.target.raw, row.attribute) == (
        "环境质量", 1, "森林覆盖率（%）", "19.16", "19.46", attribute,
    )


@pytest.mark.parametrize("word,done", table_words().completion.items())
def test_every_completion_word_is_read(word, done):
    [row], _ = _read(
        f"1.森林覆盖率（%）\t18.6\t20\t19.16\t约束性\t{word}",
        header="指标\t2015年值\t“十三五”目标值\t2020年完成值\t属性\t完成情况",
    )
    assert (row.table_kind, row.completion, row.completed, row.baseline.raw, row.target.raw, row.achieved.raw) == (
        "results", word, done, "18.6", "20", "19.16",
    )


@pytest.mark.parametrize("word", table_words().results_header_words)
def test_every_results_header_word_makes_a_results_table(word):
    [row], _ = _read("1.森林覆盖率（%）\t18.6\t20\t19.16\t约束性", header=f"指标\t2015年值\t目标值\t{word}\t属性")
    assert row.table_kind == "results" and row.achieved.raw == "19.16"


@pytest.mark.parametrize("empty", table_words().empty_values)
def test_every_empty_value_counts_as_a_value_cell(empty):
    """A further row holding only an empty mark and a target is a row, not a wrapped piece."""
    rows, _ = _read("环境质量\t2\t空气质量优良天数比例（%）\t石河子\t75.8\t79.4\t约束性", f"\t\t\t其他各师市平均\t{empty}\t73\t")
    assert [(r.part, r.scope, r.baseline.raw, r.attribute) for r in rows] == [
        (1, "石河子", "75.8", "约束性"),
        (2, "其他各师市平均", empty, "约束性"),
    ]


@pytest.mark.parametrize("period,last_year", table_words().periods.items())
def test_every_period_names_its_last_year(period, last_year):
    [row], _ = _read("1.森林覆盖率（%）\t18.6\t20\t约束性", header=f"指标\t2015年值\t“{period}”目标值\t属性")
    assert row.target_year == last_year and row.baseline_year == 2015
