"""Splitting a measures field into numbered measures."""

from __future__ import annotations

import pytest

from zhenggai.parsers.measures import split_measures


def _split(text: str) -> list[tuple[int, str | None, str]]:
    return [(m.seq, m.label, text[m.start : m.end]) for m in split_measures(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            "1.加强学习宣传。\n2.落实议事决策机制。",
            [(1, "1.", "加强学习宣传。"), (2, "2.", "落实议事决策机制。")],
            id="own-lines",
        ),
        pytest.param(
            "1.2022年通过管线切换的方式实现中水利用。2.2023年底前完成城南绿化管线改造项目。",
            [(1, "1.", "2022年通过管线切换的方式实现中水利用。"), (2, "2.", "2023年底前完成城南绿化管线改造项目。")],
            id="inline-after-label-with-years",
        ),
        pytest.param(
            "1.完成工作。\n2.223团污水处理站提质增效后，处理能力达1700立方米/日。",
            [(1, "1.", "完成工作。"), (2, "2.", "223团污水处理站提质增效后，处理能力达1700立方米/日。")],
            id="number-then-digits",
        ),
        pytest.param(
            "1.到2025年，昌吉市细颗粒物浓度不超过46.8ug/m3。\n2.加强监管。",
            [(1, "1.", "到2025年，昌吉市细颗粒物浓度不超过46.8ug/m3。"), (2, "2.", "加强监管。")],
            id="decimal-inside-measure",
        ),
        pytest.param(
            "1.控制面积。\n34.5万亩高效节水建设任务。\n2.加强监管。",
            [(1, "1.", "控制面积。\n34.5万亩高效节水建设任务。"), (2, "2.", "加强监管。")],
            id="out-of-sequence-number-is-text",
        ),
        pytest.param(
            "督促鸿基焦化有限公司完成焦炉烟气脱硫设施建设。\n确保达标排放。",
            [(1, None, "督促鸿基焦化有限公司完成焦炉烟气脱硫设施建设。\n确保达标排放。")],
            id="unnumbered-paragraphs-are-one-measure",
        ),
        pytest.param(
            "（1）排查。（2）整治。",
            [(1, "（1）", "排查。"), (2, "（2）", "整治。")],
            id="parenthesised",
        ),
        pytest.param(
            "①排查；②整治。",
            [(1, "①", "排查；"), (2, "②", "整治。")],
            id="circled",
        ),
        pytest.param(
            "1.开展排查：（1）建立台账；（2）分类整治。\n2.加强监管。",
            [(1, "1.", "开展排查：（1）建立台账；（2）分类整治。"), (2, "2.", "加强监管。")],
            id="nested-other-style-stays-inside",
        ),
        pytest.param("", [], id="empty"),
    ],
)
def test_split_measures(text, expected):
    assert _split(text) == expected
