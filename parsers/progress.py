"""Parts of a progress-report item: the plan issue it cites and its status
field (the status phrase, then the progress entries).

Offsets are into the text given; the caller turns them into spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..extract import markers
from .measures import MeasureSlice, split_measures

# Where the status phrase ends when it shares its paragraph with an entry.
_STATUS_END = regex.compile(r"[。；;]")


@dataclass(frozen=True)
class PlanRef:
    """"（自治区序号九）": ``number`` 9, ``scope`` "自治区"; [start, end) covers
    the parentheses."""

    start: int
    end: int
    number: int
    scope: str | None


def find_plan_ref(text: str, prefixes: tuple[str, ...]) -> PlanRef | None:
    """The last cross-reference in ``text`` (an item's problem), if any."""
    if not prefixes:
        return None
    found = None
    for m in _plan_ref_pattern(prefixes).finditer(text):
        num = m.group("num")
        number = int(num) if num.isdigit() else markers.cn_to_int(num)
        scope = m.group("prefix").removesuffix("序号") or None
        found = PlanRef(m.start(), m.end(), number, scope)
    return found


@lru_cache(maxsize=8)
def _plan_ref_pattern(prefixes: tuple[str, ...]) -> regex.Pattern:
    alternatives = "|".join(regex.escape(p) for p in prefixes)
    return regex.compile(
        rf"[（(]\s*(?P<prefix>{alternatives})\s*(?P<num>{markers.CN_NUMERAL}|\d{{1,3}})\s*[）)]"
    )


@dataclass(frozen=True)
class StatusField:
    """The status phrase [status_start, status_end) and the entries after it
    (offsets into the field value given to ``split_status``)."""

    status_start: int
    status_end: int
    entries: list[MeasureSlice]


def split_status(value: str) -> StatusField:
    """"已完成，长期坚持\\n1.……\\n2.……": the status is the first paragraph, cut
    at its first sentence end when an entry follows on the same paragraph;
    the rest are entries, numbered like measures (an unnumbered rest is one
    entry)."""
    start = len(value) - len(value.lstrip())
    newline = value.find("\n", start)
    end = len(value) if newline < 0 else newline
    sentence_end = _STATUS_END.search(value, start, end)
    if sentence_end is not None and value[sentence_end.end() : end].strip():
        end = sentence_end.start()
    status_end = end
    while status_end > start and value[status_end - 1] in " \t，,。；;":
        status_end -= 1
    rest_start = end + 1 if end < len(value) else end
    entries = [
        MeasureSlice(s.seq, s.label, s.start + rest_start, s.end + rest_start)
        for s in split_measures(value[rest_start:])
    ]
    return StatusField(start, status_end, entries)
