"""Numbering conventions of Chinese official documents, shared by the
cleaner (a numbered item starts a new line) and the parsers (segmentation).

These are syntax, not vocabulary: field labels, deadline words and the like
live in data files.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

_CN_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[零〇一二三四五六七八九十百两]+"

# Marks made of literal characters only use the standard library's engine:
# it matches them exactly as ``regex`` does at a fraction of the cost per
# call. Marks with \d, \s or \p{…} stay with ``regex``, whose Unicode
# tables differ from re's.

# 一、 … 四十六、
ISSUE_MARK = re.compile(rf"^(?P<num>{CN_NUMERAL})[、．.]")
# （一） … ; ASCII parentheses are converted to full width by the cleaner.
SUB_MARK = re.compile(rf"^（(?P<num>{CN_NUMERAL})）")
# 1. 1、 1．  A number followed by a digit ("3.2022年", "46.8ug") is ambiguous:
# MEASURE_MARK_DIGIT matches it and callers decide.
MEASURE_MARK = regex.compile(r"^(?P<num>\d{1,3})[.．、](?!\d)")
MEASURE_MARK_DIGIT = regex.compile(r"^(?P<num>\d{1,3})[.．](?=\d)")
# （1）, ①
PAREN_NUM_MARK = regex.compile(r"^（(?P<num>\d{1,3})）")
CIRCLED_MARK = re.compile(r"^(?P<num>[\u2460-\u2473])")
# 附件 1 / 附件1： / 附件：
ANNEX_MARK = regex.compile(r"^附\s*件\s*(?P<num>\d{1,2})?\s*[：:]?")
CHAPTER_MARK = regex.compile(rf"^第(?P<num>{CN_NUMERAL}|\d+)[章节部分篇]")
# 专栏 3 (a plan's key-project box) and 表 2-1 (a table caption)
BOX_MARK = regex.compile(r"^专栏\s*(?P<num>\d{1,2})")
TABLE_CAPTION_MARK = regex.compile(r"^表\s*\d{1,2}(?:[-－—.．]\d{1,2})?\s*\p{Han}")

TERMINAL_PUNCT = "。；：！？…”』」）"

# starts_item's marks as one pattern each way (every mark is anchored with ^,
# so an alternation matches where any one of them does).
_ITEM_MARKS = (
    ISSUE_MARK,
    SUB_MARK,
    MEASURE_MARK,
    PAREN_NUM_MARK,
    CIRCLED_MARK,
    ANNEX_MARK,
    CHAPTER_MARK,
    BOX_MARK,
    TABLE_CAPTION_MARK,
)
_ITEM_START = regex.compile("|".join(f"(?:{mark.pattern})" for mark in _ITEM_MARKS))
_ITEM_START_AFTER_END = regex.compile(
    "|".join(f"(?:{mark.pattern})" for mark in (*_ITEM_MARKS, MEASURE_MARK_DIGIT))
)


def cn_to_int(numeral: str) -> int:
    """Chinese numeral (一 … 九十九, 一百 …) to int. Raises ValueError."""
    if not numeral:
        raise ValueError("empty numeral")
    total, current = 0, 0
    for ch in numeral:
        if ch in _CN_DIGIT_VALUES:
            current = _CN_DIGIT_VALUES[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + current


def circled_to_int(ch: str) -> int:
    return ord(ch) - 0x2460 + 1


# What any mark starts with, in the standard library's engine: it rules out
# most lines several times faster than the alternations. regex knows digits
# of newer Unicode versions than re's \d, all outside the BMP, so those
# characters all pass.
_ITEM_FIRST = re.compile(r"[零〇一二三四五六七八九十百两（\u2460-\u2473附第专表\d\U00010000-\U0010ffff]")


def starts_item(text: str, *, after_paragraph_end: bool) -> bool:
    """Does this line start a numbered item (issue, sub-issue, measure,
    annex, chapter, box, table caption)?

    A number directly followed by a digit counts only after a paragraph end:
    "3.2022年9月底前…" after "…。" is a measure; "46.8ug/m3" wrapped from
    the line before is not.
    """
    if _ITEM_FIRST.match(text) is None:
        return False
    pattern = _ITEM_START_AFTER_END if after_paragraph_end else _ITEM_START
    return pattern.match(text) is not None


@lru_cache(maxsize=8)
def label_start(labels: tuple[str, ...]) -> re.Pattern:
    """A field label at the start of a text, followed by its colon ("责任单位：").
    Alternatives are tried in the order given: with the longest labels first,
    group "label" is the longest label that fits. No labels: never matches."""
    alternatives = "|".join(re.escape(label) for label in labels) or "(?!)"
    return re.compile(rf"(?P<label>{alternatives})[：:]")
