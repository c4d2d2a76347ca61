"""Numbers with comparators and units (table cells), and quantified targets
in prose, against the vocabularies in normalize/data/ and the real plans."""

from __future__ import annotations

import pytest

from zhenggai.extract import CleanSettings, clean, read_source
from zhenggai.normalize.quantities import comparator_words, measure_units, read_quantity, read_unit
from zhenggai.normalize.targets import find_targets, target_words
from zhenggai.parsers import load_labels

from .conftest import PLAN_TXT


@pytest.mark.parametrize("word", comparator_words(), ids=lambda w: w.word)
def test_every_comparator_word_reads(word):
    text = f"{word.word}50%" if word.position == "before" else f"50%{word.word}"
    reading = read_quantity(text)
    assert (reading.number, reading.unit, reading.comparator, reading.change) == (50.0, "%", word.comparator, word.change)
    [target] = find_targets(f"到2030年，优良天数比率{text}。", 2020)
    assert (target.value, target.comparator, target.change, target.subject) == (50.0, word.comparator, word.change, "优良天数比率")


@pytest.mark.parametrize(
    "spelling,unit", [(s, u.name) for u in measure_units() for s in u.spellings], ids=lambda v: str(v)
)
def test_every_unit_spelling_reads_to_its_unit(spelling, unit):
    assert read_quantity(f"12.5{spelling}").unit == unit
    assert read_unit(spelling) == unit


@pytest.mark.parametrize(
    "raw,number,comparator,unit,qualifier",
    [
        ("≥93", 93.0, "≥", None, None),
        ("≤1", 1.0, "≤", None, None),
        ("49", 49.0, "=", None, None),
        ("0.25万吨", 0.25, "=", "万吨", None),
        ("12 （五年累计）", 12.0, "=", None, "五年累计"),
        ("75.5%以上", 75.5, "≥", "%", None),
        ("不减少", None, None, None, None),
        ("国家下达指标", None, None, None, None),
        ("有效保障", None, None, None, None),
        ("/", None, None, None, None),
        ("比2015年上升15.4%", None, None, None, None),
        ("较2015年累计减排1.6%", None, None, None, None),
        ("产废90%、经营97%", None, None, None, None),
    ],
)
def test_read_quantity(raw, number, comparator, unit, qualifier):
    r = read_quantity(raw)
    assert (r.number, r.comparator, r.unit, r.qualifier) == (number, comparator, unit, qualifier)


@pytest.mark.parametrize("raw,unit", [("微克/立方米", "微克/立方米"), ("小时达标率, %", "%"), ("新EI", None), ("五年累计", None)])
def test_read_unit(raw, unit):
    assert read_unit(raw) == unit


@pytest.mark.parametrize("word", target_words().measure_words)
def test_every_measure_word_makes_a_subject(word):
    [t] = find_targets(f"到2030年，某某{word}达到50%。", 2020)
    assert (t.subject, t.scope) == (f"某某{word}", None)


@pytest.mark.parametrize("ending", target_words().scope_endings)
def test_every_scope_ending_splits_the_scope(ending):
    [t] = find_targets(f"到2030年，某地{ending}优良天数比率达到50%。", 2020)
    assert (t.scope, t.subject) == (f"某地{ending}", "优良天数比率")


@pytest.mark.parametrize("opening", target_words().scope_openings)
def test_every_scope_opening_splits_the_scope(opening):
    [t] = find_targets(f"到2030年，{opening}森林覆盖率达到50%。", 2020)
    assert (t.scope, t.subject) == (opening, "森林覆盖率")


@pytest.fixture(scope="module")
def plan_goals_paragraph():
    """The rectification plan's goal paragraph 「（三）生态环境质量持续改善。到2025年，……」,
    cleaned from the real text (the issue's own example)."""
    text = clean(read_source(PLAN_TXT), CleanSettings(label_words=load_labels().labels)).text
    return next(p for p in text.split("\n") if p.startswith("（三）生态环境质量持续改善"))


# Read by hand: (subject, scope, value, unit, comparator, change)
PLAN_GOALS = [
    ("单位地区生产总值能耗强度", None, 14.5, "%", "≥", "decrease"),
    ("细颗粒物（PM2.5）平均浓度", "自治区14个地（州、市）政府（行署）所在城市", 33.0, "微克/立方米", "≤", None),
    ("空气质量优良天数比率", "自治区14个地（州、市）政府（行署）所在城市", 75.5, "%", "≥", None),
    ("重污染天数比率", "自治区14个地（州、市）政府（行署）所在城市", 1.1, "%", "≤", None),
    ("细颗粒物（PM2.5）平均浓度", "兵团石河子、五家渠两城市", 49.0, "微克/立方米", "≤", None),
    ("重污染天数比率", "兵团石河子、五家渠两城市", 9.0, "%", "≤", None),
    ("水质达到或好于Ⅲ类的河流断面比例", "自治区", 97.7, "%", "=", None),
    ("湖库比例", "自治区", 78.1, "%", "=", None),
    ("地表水质达到或好于Ⅲ类比例", "兵团", 82.6, "%", "=", None),
    ("废旧地膜回收率", None, 85.0, "%", "=", None),
]


def test_the_plan_goal_paragraph_gives_one_target_per_quantity(plan_goals_paragraph):
    targets = find_targets(plan_goals_paragraph, 2022)
    assert [(t.subject, t.scope, t.value, t.unit, t.comparator, t.change) for t in targets] == PLAN_GOALS
    assert {t.year for t in targets} == {2025}
    pm = targets[1]
    assert plan_goals_paragraph[pm.start : pm.end] == "下降到33微克/立方米以下"
    assert plan_goals_paragraph[pm.sentence_start : pm.sentence_end].startswith("自治区14个地")


@pytest.mark.parametrize(
    "text,expected",
    [
        # a deadline of an action is not a target year
        ("2025年底前，初步建立兵团环境空气VOCs监测网络。", []),
        # a number without a comparator word beside it is not a quantity
        ("到2025年，自治区14个地（州、市）空气质量持续改善。", [(None, None)]),
        ("到2025年，PM2.5浓度达到35微克/立方米。", [("PM2.5浓度", 35.0)]),
        # a past year opening a sentence reports, it does not target
        ("2020年，兵团9个城市平均优良天数比例为71.6%。", []),
    ],
)
def test_target_years_and_quantities(text, expected):
    assert [(t.subject, t.value) for t in find_targets(text, 2021)] == expected
