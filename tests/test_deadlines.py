"""Deadline phrases (整改时限, 完成时限) and the deadline vocabulary.

Every distinct deadline phrase of the corpus plan and its two progress
reports is in CORPUS_PHRASES with its full reading; one test per vocabulary
entry (data/deadlines.toml) checks what the entry does to a phrase built
from it, so a new entry is covered without a new test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import regex

from zhenggai.normalize.dates import (
    DeadlineReading,
    find_dated_clauses,
    load_vocabulary,
    read_deadline,
)

from .conftest import CORPUS_FILES, PLAN_TXT

VOCAB = load_vocabulary()


def R(due=None, precision=None, *, immediate=False, ongoing=False, recurring=None, inferred=False, readable=True):
    return DeadlineReading(
        due_date=due,
        precision=precision,
        immediate=immediate,
        ongoing=ongoing,
        recurring=recurring,
        year_inferred=inferred,
        readable=readable,
    )


# ---------------------------------------------------------------------------
# The corpus: every distinct value after 整改时限：/完成时限： in 000 (the plan),
# 001 and 002 (progress reports), spaces removed as the cleaner does. 002
# prints "2023 年底前" (a stray space), never a bare "2023".

CORPUS_PHRASES = [
    ("2022年6月底", R(date(2022, 6, 30), "month")),
    ("2022年8月底", R(date(2022, 8, 31), "month")),
    ("2022年9月底", R(date(2022, 9, 30), "month")),
    ("2022年9月15日", R(date(2022, 9, 15), "day")),
    ("2022年10月底", R(date(2022, 10, 31), "month")),
    ("2022年11月底", R(date(2022, 11, 30), "month")),
    ("2022年12月底", R(date(2022, 12, 31), "month")),
    ("2022年底前", R(date(2022, 12, 31), "year")),
    ("2023年3月底前", R(date(2023, 3, 31), "month")),
    ("2023年6月底", R(date(2023, 6, 30), "month")),
    ("2023年6月底前", R(date(2023, 6, 30), "month")),
    ("2023年9月底", R(date(2023, 9, 30), "month")),
    ("2023年10月底前", R(date(2023, 10, 31), "month")),
    ("2023年11月底", R(date(2023, 11, 30), "month")),
    ("2023年12月底", R(date(2023, 12, 31), "month")),
    ("2023年底前", R(date(2023, 12, 31), "year")),
    ("2024年6月底", R(date(2024, 6, 30), "month")),
    ("2024年6月底前", R(date(2024, 6, 30), "month")),
    ("2024年10月底前", R(date(2024, 10, 31), "month")),
    ("2024年12月底", R(date(2024, 12, 31), "month")),
    ("2024年底前", R(date(2024, 12, 31), "year")),
    ("2025年10月底前", R(date(2025, 10, 31), "month")),
    ("2025年12月底", R(date(2025, 12, 31), "month")),
    ("2025年底前", R(date(2025, 12, 31), "year")),
    ("立行立改，长期坚持", R(immediate=True, ongoing=True)),
    ("立行立改、长期坚持", R(immediate=True, ongoing=True)),
]


@pytest.mark.parametrize("raw,expected", CORPUS_PHRASES, ids=[p for p, _ in CORPUS_PHRASES])
def test_corpus_deadline(raw, expected):
    assert read_deadline(raw, 2022) == expected


def _corpus_phrases(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {regex.sub(r"\s", "", m) for m in regex.findall(r"(?:整改|完成)时限：(.*)", text)}


def test_every_phrase_of_the_plan_is_in_the_table():
    assert _corpus_phrases(PLAN_TXT) <= {p for p, _ in CORPUS_PHRASES}


@pytest.mark.parametrize("prefix", ["000_", "001_", "002_"])
def test_every_phrase_of_the_corpus_is_in_the_table(prefix):
    files = [CORPUS_FILES[stem] for stem in CORPUS_FILES if stem.startswith(prefix)]
    if not files:
        pytest.skip("corpus not available")
    phrases = _corpus_phrases(files[0])
    assert phrases
    assert phrases <= {p for p, _ in CORPUS_PHRASES}


@pytest.mark.parametrize("spaced,clean", [("2022年 9月 15日", "2022年9月15日"), ("2023 年底前", "2023年底前")])
def test_stray_spaces_are_ignored(spaced, clean):
    assert read_deadline(spaced) == read_deadline(clean)


# ---------------------------------------------------------------------------
# The conventions: due date = last day of the period named.

CONVENTIONS = [
    ("2023年底前", R(date(2023, 12, 31), "year")),
    ("2023年底之前", R(date(2023, 12, 31), "year")),
    ("2023年年底前", R(date(2023, 12, 31), "year")),
    ("2023年底", R(date(2023, 12, 31), "year")),
    ("2023年末", R(date(2023, 12, 31), "year")),
    ("2023年以前", R(date(2023, 12, 31), "year")),
    ("2023年内", R(date(2023, 12, 31), "year")),
    ("2025年", R(date(2025, 12, 31), "year")),
    ("2025年前", R(date(2025, 12, 31), "year")),
    ("2024年6月底", R(date(2024, 6, 30), "month")),
    ("2024年2月底", R(date(2024, 2, 29), "month")),  # leap year
    ("2023年2月底", R(date(2023, 2, 28), "month")),
    ("2023年3月前", R(date(2023, 3, 31), "month")),  # names March: its last day
    ("2023年6月", R(date(2023, 6, 30), "month")),
    ("2022年9月15日", R(date(2022, 9, 15), "day")),
    ("2022年9月15日前", R(date(2022, 9, 15), "day")),
    ("2022年9月15号", R(date(2022, 9, 15), "day")),
    ("2023年上半年", R(date(2023, 6, 30), "half")),
    ("2023年下半年", R(date(2023, 12, 31), "half")),
    ("2023年第一季度", R(date(2023, 3, 31), "quarter")),
    ("2023年第二季度", R(date(2023, 6, 30), "quarter")),
    ("2023年三季度末", R(date(2023, 9, 30), "quarter")),
    ("2023年第四季度", R(date(2023, 12, 31), "quarter")),
    ("2023年底前完成", R(date(2023, 12, 31), "year")),
    ("于2023年6月底前完成", R(date(2023, 6, 30), "month")),
    # Several dates: the latest, when all is done.
    ("2022年底前完成方案，2023年6月底前完成整改", R(date(2023, 6, 30), "month")),
    # A bare year beside a deadline is an attribute.
    ("2023年底前完成2021年立项项目", R(date(2023, 12, 31), "year")),
    # A range in a deadline field is due on its last day.
    ("2023年至2025年", R(date(2025, 12, 31), "year")),
    ("2022—2023年", R(date(2023, 12, 31), "year")),
    ("2022年3月25日至4月25日", R(date(2022, 4, 25), "day")),
    # Chinese numerals and numeric forms.
    ("二〇二三年十二月底", R(date(2023, 12, 31), "month")),
    ("二〇二三年底前", R(date(2023, 12, 31), "year")),
    ("2023年十二月底", R(date(2023, 12, 31), "month")),
    ("二〇二二年九月十五日", R(date(2022, 9, 15), "day")),
    ("2023.12", R(date(2023, 12, 31), "month")),
    ("2023-12-31", R(date(2023, 12, 31), "day")),
    ("2023/6", R(date(2023, 6, 30), "month")),
    ("2023", R(date(2023, 12, 31), "year")),
    ("２０２３年底前", R(date(2023, 12, 31), "year")),
    # Flags.
    ("立行立改", R(immediate=True)),
    ("立行立改，长期坚持", R(immediate=True, ongoing=True)),
    ("立行立改、长期坚持", R(immediate=True, ongoing=True)),
    ("长期坚持", R(ongoing=True)),
    ("2023年底前完成，长期坚持", R(date(2023, 12, 31), "year", ongoing=True)),
    ("立行立改，2022年底前完成", R(date(2022, 12, 31), "year", immediate=True)),
    # Recurring: no single due date, so no precision either.
    ("每年年底前", R(recurring="yearly")),
    ("每年底前", R(recurring="yearly")),
    ("每年6月底前", R(recurring="yearly")),
    ("每半年", R(recurring="half_yearly")),
    ("每季度末", R(recurring="quarterly")),
    ("每月底前", R(recurring="monthly")),
    ("2023年起每年年底前", R(recurring="yearly")),
    ("立行立改，每季度调度", R(immediate=True, recurring="quarterly")),
]


@pytest.mark.parametrize("raw,expected", CONVENTIONS, ids=[p for p, _ in CONVENTIONS])
def test_convention(raw, expected):
    assert read_deadline(raw) == expected


YEARLESS = [
    ("8月底前", 2022, R(date(2022, 8, 31), "month", inferred=True)),
    ("10月底", 2023, R(date(2023, 10, 31), "month", inferred=True)),
    ("6月1日", 2022, R(date(2022, 6, 1), "day", inferred=True)),
    ("年底前", 2022, R(date(2022, 12, 31), "year", inferred=True)),
    ("上半年", 2024, R(date(2024, 6, 30), "half", inferred=True)),
    ("十二月底前", 2023, R(date(2023, 12, 31), "month", inferred=True)),
    # No reference year: readable, precise to the month, but undated.
    ("8月底前", None, R(None, "month")),
]


@pytest.mark.parametrize("raw,year,expected", YEARLESS, ids=[f"{p}-{y}" for p, y, _ in YEARLESS])
def test_yearless_phrase_takes_the_reference_year(raw, year, expected):
    assert read_deadline(raw, year) == expected


def test_a_printed_year_wins_over_the_reference_year():
    assert read_deadline("2024年6月底", 2022).due_date == date(2024, 6, 30)
    assert read_deadline("2024年6月底", 2022).year_inferred is False


UNREADABLE = [
    "按国家要求",  # nothing known
    "",
    "完成",
    "2024年起",  # a start is not a deadline
    "2023年初",  # the beginning of a year: a start
    "截至2022年3月",  # a status date
    "2018年以来",
    "2023年3月上旬",  # 上旬 is not in the vocabulary: never guess
    "3个月内",  # relative to an unknown day
    "今年年底前",  # relative year
    "明年上半年",
    "2023年前三季度",
    "2023年2月29日",  # no such day
    "2022年13月底",
    "2023.13",
    "8月32日",
]


@pytest.mark.parametrize("raw", UNREADABLE)
def test_unreadable_phrase_gives_no_date(raw):
    reading = read_deadline(raw, 2022)
    assert reading.readable is False
    assert reading.due_date is None
    assert reading.precision is None


def test_unreadable_phrase_keeps_its_flags():
    reading = read_deadline("立行立改，3个月内完成", 2022)
    assert reading == R(immediate=True, readable=False)


# ---------------------------------------------------------------------------
# One test per vocabulary entry.


@pytest.mark.parametrize("word", VOCAB.immediate)
def test_immediate_word(word):
    assert read_deadline(word) == R(immediate=True)
    assert read_deadline(f"{word}，2023年底前完成") == R(date(2023, 12, 31), "year", immediate=True)


@pytest.mark.parametrize("word", VOCAB.ongoing)
def test_ongoing_word(word):
    assert read_deadline(word) == R(ongoing=True)
    assert read_deadline(f"2023年底前完成，{word}") == R(date(2023, 12, 31), "year", ongoing=True)


@pytest.mark.parametrize("word,recurrence", sorted(VOCAB.recurrence.items()))
def test_recurrence_word(word, recurrence):
    assert read_deadline(word) == R(recurring=recurrence)
    assert read_deadline(f"{word}底前") == R(recurring=recurrence)
    # A recurring date is no milestone.
    assert find_dated_clauses(f"{word}6月底前报送监测报告", 2022) == []


_PERIODS = sorted(VOCAB.periods.values(), key=lambda p: p.word)
_DEADLINE_PERIODS = [p for p in _PERIODS if not p.start]
_START_PERIODS = [p for p in _PERIODS if p.start]


@pytest.mark.parametrize("period", _DEADLINE_PERIODS, ids=lambda p: p.word)
def test_period_word_after_a_year(period):
    due = date(2023, *period.ends)
    assert read_deadline(f"2023年{period.word}") == R(due, period.precision)
    assert read_deadline(f"2023年{period.word}前") == R(due, period.precision)
    [clause] = find_dated_clauses(f"2023年{period.word}完成整改")
    assert (clause.due_date, clause.precision) == (due, period.precision)


@pytest.mark.parametrize("period", _DEADLINE_PERIODS, ids=lambda p: p.word)
def test_period_word_alone_takes_the_reference_year(period):
    due = date(2024, *period.ends)
    assert read_deadline(f"{period.word}前", 2024) == R(due, period.precision, inferred=True)
    [clause] = find_dated_clauses(f"加强监管，{period.word}前完成整改", 2024)
    assert (clause.due_date, clause.year_inferred) == (due, True)


@pytest.mark.parametrize("period", _DEADLINE_PERIODS, ids=lambda p: p.word)
def test_period_word_inside_a_clause(period):
    found = find_dated_clauses(f"督促企业对2023年{period.word}项目开展核查")
    if period.end:  # names an end: a deadline anywhere
        assert [c.due_date for c in found] == [date(2023, *period.ends)]
    else:  # an attribute
        assert found == []


@pytest.mark.parametrize("period", _START_PERIODS, ids=lambda p: p.word)
def test_start_period_is_no_deadline(period):
    assert read_deadline(f"2023年{period.word}").readable is False
    assert find_dated_clauses(f"2023年{period.word}启动建设") == []


@pytest.mark.parametrize("mark", VOCAB.end_marks)
def test_end_mark(mark):
    assert read_deadline(f"2023年{mark}前") == R(date(2023, 12, 31), "year")
    assert read_deadline(f"2024年2月{mark}") == R(date(2024, 2, 29), "month")
    [clause] = find_dated_clauses(f"督促企业2023年6月{mark}完成整改")
    assert (clause.due_date, clause.date_raw) == (date(2023, 6, 30), f"2023年6月{mark}")


@pytest.mark.parametrize("mark", VOCAB.start_marks)
def test_start_mark(mark):
    assert read_deadline(f"2023年{mark}").readable is False
    assert find_dated_clauses(f"2023年{mark}启动建设") == []
    assert find_dated_clauses(f"2023年3月{mark}开工") == []


@pytest.mark.parametrize("suffix", VOCAB.deadline_suffixes)
def test_deadline_suffix(suffix):
    assert read_deadline(f"2023年6月{suffix}") == R(date(2023, 6, 30), "month")
    [clause] = find_dated_clauses(f"督促企业2023年{suffix}完成整改")
    assert (clause.due_date, clause.date_raw) == (date(2023, 12, 31), f"2023年{suffix}")


@pytest.mark.parametrize("char", list(VOCAB.suffix_not_followed_by))
def test_qian_starting_another_word_is_no_suffix(char):
    assert find_dated_clauses(f"督促企业开展2023年前{char}工作核查") == []


@pytest.mark.parametrize("prefix", VOCAB.clause_prefixes)
def test_clause_prefix(prefix):
    text = f"加强监管，{prefix}2023年完成整改"
    [clause] = find_dated_clauses(text)
    assert text[clause.start : clause.end] == f"{prefix}2023年完成整改"
    assert (clause.due_date, clause.precision, clause.date_raw) == (date(2023, 12, 31), "year", "2023年")


@pytest.mark.parametrize("word", VOCAB.start_after)
def test_start_word_after_a_date(word):
    assert find_dated_clauses(f"2024年{word}，实施新标准") == []
    assert read_deadline(f"2024年{word}").readable is False


@pytest.mark.parametrize("word", VOCAB.start_before)
def test_start_word_before_a_date(word):
    assert find_dated_clauses(f"{word}2024年底，实施新标准") == []


@pytest.mark.parametrize("word", VOCAB.reference_before)
def test_reference_word_before_a_date(word):
    assert find_dated_clauses(f"{word}2022年3月底，完成摸排工作") == []
    assert read_deadline(f"{word}2022年3月底").readable is False


@pytest.mark.parametrize("word", VOCAB.reference_after)
def test_reference_word_after_a_date(word):
    assert find_dated_clauses(f"在2022年{word}新增中水利用量") == []


@pytest.mark.parametrize("connector", VOCAB.range_connectors)
def test_range_connector(connector):
    assert find_dated_clauses(f"2020年{connector}2021年完成补水") == []
    assert read_deadline(f"2023年{connector}2025年") == R(date(2025, 12, 31), "year")


@pytest.mark.parametrize("char", list(VOCAB.relative_not_after))
def test_relative_year(char):
    assert find_dated_clauses(f"{char}年底前完成整改", 2022) == []
    assert read_deadline(f"{char}年底前", 2022).readable is False


# ---------------------------------------------------------------------------
# Loading vocabularies.


def test_packaged_vocabulary_is_cached():
    assert load_vocabulary() is load_vocabulary()


def test_user_vocabulary_extends_the_packaged_one(tmp_path):
    path = tmp_path / "deadlines.toml"
    path.write_text('[flags]\nongoing = ["长效管理"]\n[periods]\n"年中" = { ends = "06-30", precision = "half" }\n', encoding="utf-8")
    assert read_deadline("长效管理") == R(readable=False)
    voc = load_vocabulary(path, extend=True)
    assert read_deadline("立行立改，长效管理", vocabulary=voc) == R(immediate=True, ongoing=True)
    assert read_deadline("2023年年中", vocabulary=voc) == R(date(2023, 6, 30), "half")


def test_user_vocabulary_alone(tmp_path):
    path = tmp_path / "deadlines.toml"
    path.write_text('[flags]\nimmediate = ["马上就办"]\n', encoding="utf-8")
    voc = load_vocabulary(path)
    assert read_deadline("马上就办", vocabulary=voc) == R(immediate=True)
    assert read_deadline("立行立改", vocabulary=voc).readable is False


@pytest.mark.parametrize(
    "toml,needle",
    [
        ('[budget]\nx = ["y"]\n', "budget"),
        ('[flags]\nurgent = ["马上"]\n', "urgent"),
        ('[recurrence]\n"每周" = "weekly"\n', "weekly"),
        ('[periods]\n"年中" = { ends = "06-31", precision = "half" }\n', "年中"),
        ('[periods]\n"年中" = { ends = "06-30", precision = "season" }\n', "年中"),
        ('[flags]\nongoing = "长期坚持"\n', "ongoing"),
    ],
)
def test_bad_vocabulary_is_rejected(tmp_path, toml, needle):
    path = tmp_path / "deadlines.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=needle):
        load_vocabulary(path)
