"""Read deadline phrases and find dated clauses (milestones) in measures.

Two entry points, both pure functions of their text:

``read_deadline("2023年底前")`` reads the value of a deadline field
(整改时限, 完成时限) into a :class:`DeadlineReading`.

``find_dated_clauses(measure_text)`` finds the clauses of one measure that
carry a deadline ("2022年7月底前，师市下发……；2022年9月底前，督促……" → two
:class:`DatedClause`).

Convention: a due date is the LAST day of the period the phrase names
("2023年底前" → 2023-12-31, "2024年6月底" → 2024-06-30, "2023年上半年" →
2023-06-30, "2025年" → 2025-12-31). "2023年3月前" names March, so it is read
as 2023-03-31 like "2023年3月底前". A date is never guessed: a phrase with a
date-like part that cannot be read gives no date and ``readable=False``.

Numbers and units (2023年, 6月, 15日, 二〇二三年, 十二月) are syntax and live
here; every word that gives them a meaning (底, 前, 起, 截至, 上半年, 立行立改,
每年 …) lives in ``data/deadlines.toml``, which users extend.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, NamedTuple, get_args

import regex

from ..model import DateRole, Precision, Recurrence

__all__ = [
    "DateMention",
    "DatedClause",
    "DeadlineReading",
    "DeadlineVocabulary",
    "Period",
    "find_dated_clauses",
    "find_dates",
    "load_vocabulary",
    "read_deadline",
]

_PRECISIONS: tuple[str, ...] = get_args(Precision)
_RECURRENCES: tuple[str, ...] = get_args(Recurrence)


# --------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class DeadlineReading:
    """What a deadline phrase means.

    ``due_date`` is the last day of the period named; ``precision`` what it is
    precise to. A phrase without a year ("8月底前") takes ``reference_year``
    and sets ``year_inferred``; with no reference year it keeps its precision
    but no due date. A recurring phrase ("每年年底前") has ``recurring`` set and
    neither due date nor precision (precision describes the due date).
    ``readable`` is False when the phrase holds nothing known, or something
    date-like that could not be read ("2023年3月上旬", "3个月内", "2024年起" —
    a start is not a deadline); a date is then never given.
    """

    due_date: date | None = None
    precision: Precision | None = None
    immediate: bool = False
    ongoing: bool = False
    recurring: Recurrence | None = None
    year_inferred: bool = False
    readable: bool = False


@dataclass(frozen=True)
class DatedClause:
    """A clause of a measure that holds one deadline date.

    ``start``/``end``: the clause in the text given (end exclusive), without
    surrounding whitespace and punctuation. ``date_start``/``date_end``: the
    date phrase as printed, with its 底/前 but not its 于/在/到
    (``date_raw == text[date_start:date_end]``).
    """

    start: int
    end: int
    date_start: int
    date_end: int
    date_raw: str
    due_date: date | None
    precision: Precision | None
    year_inferred: bool


@dataclass(frozen=True)
class DateMention:
    """A date printed in running text (a progress entry), with the sentence
    around it. ``role``: as_of ("截至10月底"), deadline ("2023年底前"), start
    ("2024年起"), reference ("2018年以来", "已于2022年10月") or date."""

    start: int
    end: int
    date_raw: str
    date: date | None
    precision: Precision | None
    year_inferred: bool
    role: DateRole
    sentence_start: int
    sentence_end: int


# --------------------------------------------------------------------------
# Vocabulary


@dataclass(frozen=True)
class Period:
    """A period of a year ("上半年", "第二季度", "年底", "年初")."""

    word: str
    ends: tuple[int, int] | None  # (month, day); None for a start
    precision: Precision | None
    end: bool = False  # names the end of a period: a deadline wherever it stands
    start: bool = False  # names the beginning of a period: never a deadline


@dataclass(frozen=True)
class DeadlineVocabulary:
    """The contents of ``data/deadlines.toml`` (see the comments there)."""

    immediate: tuple[str, ...]
    ongoing: tuple[str, ...]
    recurrence: dict[str, Recurrence]
    periods: dict[str, Period]
    end_marks: tuple[str, ...]
    start_marks: tuple[str, ...]
    deadline_suffixes: tuple[str, ...]
    suffix_not_followed_by: str
    clause_prefixes: tuple[str, ...]
    start_after: tuple[str, ...]
    start_before: tuple[str, ...]
    reference_before: tuple[str, ...]
    reference_after: tuple[str, ...]
    as_of: tuple[str, ...]
    range_connectors: tuple[str, ...]
    relative_not_after: str
    _patterns: _Patterns = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_patterns", _Patterns(self))


_SECTIONS: dict[str, set[str]] = {
    "flags": {"immediate", "ongoing"},
    "recurrence": set(),  # word = recurrence
    "periods": set(),  # word = {…}
    "marks": {"end", "start"},
    "deadline": {"suffixes", "not_followed_by", "clause_prefixes"},
    "start": {"after", "before"},
    "reference": {"before", "after", "as_of"},
    "range": {"connectors"},
    "relative": {"not_after"},
}
_PERIOD_KEYS = {"ends", "precision", "end", "start"}


def load_vocabulary(path: Path | str | None = None, *, extend: bool = False) -> DeadlineVocabulary:
    """Load a deadline vocabulary file; the packaged one when path is None.

    With ``extend=True`` the file's entries are added to the packaged ones
    (a user file then needs to hold only its new words). Raises ValueError on
    an unknown section, key or value.
    """
    if path is None:
        return _packaged()
    path = Path(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if extend:
        data = _merge(_packaged_data(), data)
    return _parse(data, str(path))


@lru_cache(maxsize=1)
def _packaged_text() -> str:
    return resources.files(__package__).joinpath("data/deadlines.toml").read_text(encoding="utf-8")


def _packaged_data() -> dict:
    return tomllib.loads(_packaged_text())


@lru_cache(maxsize=1)
def _packaged() -> DeadlineVocabulary:
    return _parse(_packaged_data(), "deadlines.toml")


def _merge(base: dict, extra: dict) -> dict:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for section, values in extra.items():
        if not isinstance(values, dict) or not isinstance(out.get(section), dict):
            out[section] = values
            continue
        merged = out[section]
        for key, value in values.items():
            old = merged.get(key)
            if isinstance(old, list) and isinstance(value, list):
                merged[key] = old + [v for v in value if v not in old]
            elif isinstance(old, str) and isinstance(value, str) and section == "relative":
                merged[key] = old + value
            else:
                merged[key] = value
    return out


def _parse(data: dict, where: str) -> DeadlineVocabulary:
    for section, values in data.items():
        if section not in _SECTIONS:
            raise ValueError(f"{where}: unknown section [{section}] (known: {', '.join(_SECTIONS)})")
        if not isinstance(values, dict):
            raise ValueError(f"{where}: [{section}] must be a table")
        known = _SECTIONS[section]
        if known:
            for key in values:
                if key not in known:
                    raise ValueError(f"{where}: unknown key {key!r} in [{section}] (known: {', '.join(sorted(known))})")

    def words(section: str, key: str) -> tuple[str, ...]:
        value = data.get(section, {}).get(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise ValueError(f"{where}: [{section}] {key} must be a list of non-empty strings")
        return tuple(value)

    def chars(section: str, key: str) -> str:
        value = data.get(section, {}).get(key, "")
        if not isinstance(value, str):
            raise ValueError(f"{where}: [{section}] {key} must be a string of characters")
        return value

    recurrence: dict[str, Recurrence] = {}
    for word, value in data.get("recurrence", {}).items():
        if value not in _RECURRENCES:
            raise ValueError(f"{where}: recurrence {word!r} = {value!r} (known: {', '.join(_RECURRENCES)})")
        recurrence[word] = value

    periods: dict[str, Period] = {}
    for word, spec in data.get("periods", {}).items():
        if not isinstance(spec, dict) or set(spec) - _PERIOD_KEYS:
            raise ValueError(f"{where}: period {word!r} must be a table with keys {sorted(_PERIOD_KEYS)}")
        if spec.get("start"):
            periods[word] = Period(word, None, None, start=True)
            continue
        ends, precision = spec.get("ends"), spec.get("precision")
        m = regex.fullmatch(r"(\d{2})-(\d{2})", ends or "")
        if not m or precision not in _PRECISIONS:
            raise ValueError(f"{where}: period {word!r} needs ends = \"MM-DD\" and precision in {_PRECISIONS}")
        month, day = int(m.group(1)), int(m.group(2))
        try:
            date(2001, month, day)  # a non-leap year: "02-29" would be wrong in most years
        except ValueError:
            raise ValueError(f"{where}: period {word!r} ends on an impossible day {ends!r}") from None
        periods[word] = Period(word, (month, day), precision, end=bool(spec.get("end", False)))

    return DeadlineVocabulary(
        immediate=words("flags", "immediate"),
        ongoing=words("flags", "ongoing"),
        recurrence=recurrence,
        periods=periods,
        end_marks=words("marks", "end"),
        start_marks=words("marks", "start"),
        deadline_suffixes=words("deadline", "suffixes"),
        suffix_not_followed_by=chars("deadline", "not_followed_by"),
        clause_prefixes=words("deadline", "clause_prefixes"),
        start_after=words("start", "after"),
        start_before=words("start", "before"),
        reference_before=words("reference", "before"),
        reference_after=words("reference", "after"),
        as_of=words("reference", "as_of"),
        range_connectors=words("range", "connectors"),
        relative_not_after=chars("relative", "not_after"),
    )


# --------------------------------------------------------------------------
# Date syntax

_CN_DIGITS = "〇零○一二三四五六七八九"
_CN_DIGIT_VALUE = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR = rf"(?<![\d{_CN_DIGITS}])(?P<year>(?:19|20)\d{{2}}|[{_CN_DIGITS}]{{4}})(?!\d)年(?:度)?"
_MONTH_AR = r"(?P<month>1[0-2]|0?[1-9])(?!\d)月(?:份)?"
_MONTH_CN = r"(?P<month>十[一二]?|[一二三四五六七八九])月(?:份)?"
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])(?!\d)[日号]"


_TITLE = regex.compile(r"《[^《》]*》")
_DATE_UNIT = regex.compile(r"[年月日号]")
# A year printed in digits, also one that opens a range ("2022—2023年").
_PRINTED_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)(?=年|\s*[—－\-–~～至到])")


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


class _Patterns:
    """Regular expressions built from one vocabulary."""

    def __init__(self, voc: DeadlineVocabulary) -> None:
        periods = _alternation(voc.periods)
        marks = _alternation(voc.end_marks + voc.start_marks)
        after_month = rf"(?:{_DAY}|(?P<mark>{marks}))?"
        after_period = rf"(?P<mark>{marks})?"
        # A date begins with a digit that opens a number (the patterns that
        # begin with a digit look behind for none), a Chinese numeral or a
        # period word: the only places the date pattern is tried (see
        # _dates_in). One class then a look behind: re skips to the class.
        initials = _CN_DIGITS + "十" + "".join({word[0] for word in voc.periods})
        inner_digits = "".join(d for d in "0123456789" if d not in initials)
        self.date_start = re.compile(
            f"[0-9{re.escape(initials)}]" + (f"(?<![0-9][{inner_digits}])" if inner_digits else "")
        )
        self.date = regex.compile(
            rf"""
            {_YEAR}
              (?: (?:{_MONTH_AR}|{_MONTH_CN}) {after_month}
                | (?P<period>{periods}) {after_period}
                | (?P<mark>{marks})
              )?
            | (?<!\d) {_MONTH_AR} {after_month}
            | (?<![\p{{Han}}]) {_MONTH_CN} {after_month}
            | (?P<period>{periods}) {after_period}
            """,
            regex.VERBOSE,
        )
        connectors = _alternation(voc.range_connectors)
        atom = r"\d{1,4}(?:年(?:度)?(?:\d{1,2}月(?:份)?)?(?:\d{1,2}[日号])?|月(?:份)?(?:\d{1,2}[日号])?|[日号])?"
        self.range = regex.compile(rf"(?<!\d){atom}\s*(?:{connectors})\s*{atom}(?!\d)")
        self.suffix = regex.compile(
            rf"(?:{_alternation(voc.deadline_suffixes)})"
            + (rf"(?![{regex.escape(voc.suffix_not_followed_by)}])" if voc.suffix_not_followed_by else "")
        )
        self.recurrence = regex.compile(_alternation(voc.recurrence))
        self.recurrence_tail = regex.compile(
            rf"(?:{_alternation(voc.end_marks)})?(?:{_alternation(voc.deadline_suffixes)})?"
        )
        self.immediate = regex.compile(_alternation(voc.immediate))
        self.ongoing = regex.compile(_alternation(voc.ongoing))
        self.clause_prefix = regex.compile(rf"(?:{_alternation(voc.clause_prefixes)})?")
        self.clause_prefixes = tuple(sorted(voc.clause_prefixes, key=len, reverse=True))
        # "每年6月底前"; "每年底前" shares its 年 with the date "年底".
        self.recurrence_before = tuple(voc.recurrence)
        self.recurrence_sharing = tuple(word for word in voc.recurrence if len(word) > 1)
        self.start_after = tuple(sorted(voc.start_after, key=len, reverse=True))
        self.reference_after = tuple(sorted(voc.reference_after, key=len, reverse=True))
        self.start_before = tuple(sorted(voc.start_before, key=len, reverse=True))
        self.reference_before = tuple(sorted(voc.reference_before, key=len, reverse=True))
        self.as_of = tuple(sorted(voc.as_of, key=len, reverse=True))


def _cn_number(s: str) -> int:
    """Arabic digits, a digit-by-digit Chinese year (二〇二三) or a Chinese
    numeral below 100 (十二, 二十五)."""
    if s.isdigit() and s.isascii():
        return int(s)
    if len(s) == 4 and all(ch in _CN_DIGIT_VALUE for ch in s):
        return int("".join(str(_CN_DIGIT_VALUE[ch]) for ch in s))
    total, current = 0, 0
    for ch in s:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGIT_VALUE[ch]
    return total + current


# Kinds of date occurrences.
_Kind = Literal["deadline", "bare", "start", "reference", "range", "recurring", "relative", "title", "invalid"]


class _Hit(NamedTuple):  # a tuple: built for every date of every text
    start: int
    end: int  # after the date itself (with 底/末/初)
    raw_end: int  # after its deadline suffix (前/之前/以前/内), if any
    year: int | None
    month: int | None
    day: int | None
    period: Period | None
    mark: str | None
    suffixed: bool
    kind: _Kind  # before clause context is known: "bare" may become a deadline
    range_span: tuple[int, int] | None = None  # the range it is part of

    @property
    def precision(self) -> Precision | None:
        if self.kind == "invalid":
            return None
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.period is not None:
            return self.period.precision
        return "year"

    def due(self, year: int) -> date | None:
        """The last day of the period named, in the given year."""
        try:
            if self.day is not None:
                return date(year, self.month, self.day)
            if self.month is not None:
                return date(year, self.month, calendar.monthrange(year, self.month)[1])
            if self.period is not None:
                if self.period.ends is None:
                    return None
                return date(year, *self.period.ends)
            return date(year, 12, 31)
        except ValueError:
            return None


def _scan(text: str, voc: DeadlineVocabulary) -> list[_Hit]:
    """Every date in the text, classified by its own context (words right
    before and after it), not yet by its place in a clause."""
    pats = voc._patterns
    # Most texts hold no title and no range connector: looking for the
    # characters costs far less than the searches.
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)] if "《" in text else []
    ranges = []
    if any(connector in text for connector in voc.range_connectors):
        ranges = [(m.start(), m.end()) for m in pats.range.finditer(text) if _DATE_UNIT.search(m.group())]
    hits: list[_Hit] = []
    for m in _dates_in(text, pats):
        start, end = m.start(), m.end()
        year, month, day, period, mark = m.group("year", "month", "day", "period", "mark")
        year = _cn_number(year) if year else None
        month = _cn_number(month) if month else None
        day = _cn_number(day) if day else None
        period = voc.periods[period] if period else None
        sm = pats.suffix.match(text, end)
        suffixed = bool(sm) and not (mark in voc.start_marks or (period is not None and period.start))
        raw_end = sm.end() if suffixed else end

        relative = False
        if year is None:
            # "今年年底", "今年8月底", "上年底", "三年内", "前三季度": a year
            # that is not printed and not inferred.
            prev = text[start - 1] if start else ""
            if prev == "年" and start >= 2:
                relative = text[start - 2] in voc.relative_not_after
            elif period is not None:
                relative = prev.isdigit() or (prev != "" and prev in voc.relative_not_after)
        range_span = next(((a, b) for a, b in ranges if a <= start < b or a < end <= b), None) if ranges else None

        kind: _Kind
        if titles and any(a <= start < b for a, b in titles):
            kind = "title"
        elif (
            (year is not None and not 1900 <= year <= 2099)
            or (month is not None and not 1 <= month <= 12)
            or (day is not None and not _valid_day(year, month, day))
        ):
            kind = "invalid"
        elif range_span is not None:
            kind = "range"
        elif text.endswith(pats.recurrence_before, 0, start) or text.endswith(pats.recurrence_sharing, 0, start + 1):
            kind = "recurring"
        elif relative:
            kind = "relative"
        elif text.endswith(pats.reference_before, 0, start):
            kind = "reference"
        elif text.endswith(pats.start_before, 0, start):
            kind = "start"
        elif suffixed:
            kind = "deadline"
        elif text.startswith(pats.start_after, raw_end):
            kind = "start"
        elif text.startswith(pats.reference_after, raw_end):
            kind = "reference"
        elif mark in voc.start_marks or (period is not None and period.start):
            kind = "start"
        elif mark in voc.end_marks or day is not None or (period is not None and period.end):
            kind = "deadline"
        else:
            kind = "bare"
        hits.append(_Hit(start, end, raw_end, year, month, day, period, mark, suffixed, kind, range_span))
    return hits


def _dates_in(text: str, pats: _Patterns) -> Iterator[regex.Match]:
    """What ``pats.date.finditer(text)`` gives, trying the pattern only
    where a date can begin."""
    taken = 0
    for start in pats.date_start.finditer(text):
        if start.start() >= taken:
            m = pats.date.match(text, start.start())
            if m is not None:
                taken = m.end()
                yield m


def _valid_day(year: int | None, month: int | None, day: int) -> bool:
    if month is None or not (1 <= month <= 12):
        return False
    last = calendar.monthrange(year if year is not None else 2000, month)[1]  # 2000: leap, allows 2月29日
    return 1 <= day <= last


def _years_before(hits: list[_Hit], text: str, pos: int) -> int | None:
    """The year mentioned nearest before pos: any printed year, even in a
    reference, a title or a range ("2022—2023年")."""
    best: tuple[int, int] | None = None
    for h in hits:
        if h.year is not None and h.start < pos and (best is None or h.start > best[0]):
            best = (h.start, h.year)
    for m in _PRINTED_YEAR.finditer(text, 0, pos):
        if best is None or m.start() > best[0]:
            best = (m.start(), int(m.group(1)))
    return best[1] if best else None


# Full-width digits and full stop as ASCII.
_HALF_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "．": "."})


def _normalize(raw: str) -> str:
    """Half-width digits, no whitespace."""
    return "".join(raw.translate(_HALF_WIDTH).split())


# --------------------------------------------------------------------------
# Deadline phrases

# Characters that mean a date is still unread when left over.
_DATE_LIKE = regex.compile(r"[\d〇○年月日号季旬]")
# "2023.12", "2023-12-31", "2023/6", "2023": only a whole phrase, to be unambiguous.
_NUMERIC_DATE = regex.compile(
    r"(?P<year>(?:19|20)\d{2})(?:(?P<sep>[./\-])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?)?"
    r"(?P<suffix>底前|底|前|之前|以前)?"
)


def read_deadline(
    raw: str, reference_year: int | None = None, vocabulary: DeadlineVocabulary | None = None
) -> DeadlineReading:
    """Read a deadline field's value ("2023年底前", "立行立改，长期坚持").

    Several deadline dates ("2022年底前完成方案，2023年底前完成整改"): the
    latest is the due date, when everything is done. A range
    ("2023年至2025年") is due on its last day. See :class:`DeadlineReading`.
    """
    voc = vocabulary or load_vocabulary()
    pats = voc._patterns
    text = _normalize(raw)
    if not text:
        return DeadlineReading()

    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric:
        return _read_numeric(numeric)

    covered = bytearray(len(text))

    def cover(a: int, b: int) -> None:
        covered[a:b] = b"\x01" * (b - a)

    immediate = ongoing = False
    for m in pats.immediate.finditer(text):
        immediate = True
        cover(m.start(), m.end())
    for m in pats.ongoing.finditer(text):
        ongoing = True
        cover(m.start(), m.end())
    recurring: Recurrence | None = None
    for m in pats.recurrence.finditer(text):
        recurring = recurring or voc.recurrence[m.group()]
        cover(m.start(), m.end())
        # "每年底前", "每月末": an end mark and suffix after the word.
        t = pats.recurrence_tail.match(text, m.end())
        cover(t.start(), t.end())

    hits = _scan(text, voc)
    # With a deadline-shaped date present, a bare year elsewhere is an
    # attribute ("2023年底前完成2021年立项的项目").
    attributes = any(h.kind in ("deadline", "range") for h in hits)
    deadlines: list[tuple[date | None, Precision | None, bool]] = []
    unreadable = False
    for h in hits:
        if h.kind == "recurring" or (h.kind == "bare" and attributes):
            cover(h.start, h.raw_end)
            continue
        if h.kind in ("invalid", "relative", "title"):
            unreadable = True
            continue
        # What stands right before the date is part of it: 于/在/到, 截至, 自.
        cover(h.start, h.raw_end)
        if h.kind in ("start", "reference"):
            _cover_before(text, h.start, cover, pats)
            continue
        if h.kind == "range":
            # A range is due on its last day: only its last date counts.
            cover(*h.range_span)
            if any(o.range_span == h.range_span and o.start > h.start for o in hits):
                continue
        _cover_before(text, h.start, cover, pats)
        year, inferred = h.year, False
        if year is None and h.range_span is not None:
            # "2022年3月25日至4月25日": the range's own year, not an inference.
            year = next((o.year for o in reversed(hits) if o.range_span == h.range_span and o.start < h.start and o.year), None)
        if year is None:
            year = _years_before(hits, text, h.start) or reference_year
            inferred = year is not None
        deadlines.append((h.due(year) if year is not None else None, h.precision, inferred))
        if year is not None and h.due(year) is None:
            unreadable = True

    leftover = "".join(ch for ch, c in zip(text, covered) if not c)
    if _DATE_LIKE.search(leftover):
        unreadable = True

    if unreadable:
        return DeadlineReading(immediate=immediate, ongoing=ongoing, recurring=recurring, readable=False)
    if recurring is not None:
        return DeadlineReading(immediate=immediate, ongoing=ongoing, recurring=recurring, readable=True)
    if not deadlines:
        return DeadlineReading(immediate=immediate, ongoing=ongoing, readable=immediate or ongoing)
    dated = [d for d in deadlines if d[0] is not None]
    if dated:
        due, precision, inferred = max(dated, key=lambda d: d[0])
    else:  # year-less and no reference year: known precision, no date
        due, precision, inferred = None, deadlines[-1][1], False
    return DeadlineReading(
        due_date=due,
        precision=precision,
        immediate=immediate,
        ongoing=ongoing,
        year_inferred=inferred,
        readable=True,
    )


def _cover_before(text: str, start: int, cover, pats: _Patterns) -> None:
    for words in (pats.reference_before, pats.start_before, pats.clause_prefixes):
        for w in words:  # longest first
            if text.endswith(w, 0, start):
                cover(start - len(w), start)
                return


def _read_numeric(m: regex.Match) -> DeadlineReading:
    year = int(m.group("year"))
    try:
        if m.group("day"):
            return DeadlineReading(date(year, int(m.group("month")), int(m.group("day"))), "day", readable=True)
        if m.group("month"):
            month = int(m.group("month"))
            return DeadlineReading(date(year, month, calendar.monthrange(year, month)[1]), "month", readable=True)
    except (ValueError, calendar.IllegalMonthError):
        return DeadlineReading(readable=False)
    return DeadlineReading(date(year, 12, 31), "year", readable=True)


# --------------------------------------------------------------------------
# Dated clauses

_HARD_BREAK = "；;。！？!?\n"
_SOFT_BREAK = "，,"
_BREAK = regex.compile(f"[{regex.escape(_HARD_BREAK + _SOFT_BREAK)}]")
_STRIP = " \t\r\n\u3000，,。；;：:、！？!?"
# A measure number left at the start of the text ("1.2022年底前……").
_LEADING_NUMBER = regex.compile(r"\s*(?:\d{1,3}[.．、]|（\d{1,3}）|[\u2460-\u2473])")


def find_dated_clauses(
    text: str, reference_year: int | None = None, vocabulary: DeadlineVocabulary | None = None
) -> list[DatedClause]:
    """The clauses of one measure that hold a deadline date, in text order.

    Clauses end at "；" "。" and at "，" before a date (after an optional
    于/在/并于/力争/确保/到 …). A date is a deadline when it is followed by
    前/之前/以前/内, names an end (底/末/年底), is a day, or — a bare year,
    month or period — opens its clause. Starts (2024年起, 2023年初), references
    (2018年以来, 截至2022年3月, 在2022年基础上), ranges (2020年至2021年),
    recurring dates (每年年底前), dates in titles (《…2022年…》), a bare year
    inside a clause (对2021年…项目) and a year-less date inside a clause
    without 前 (预测年底空气质量) are not. A date without a year takes the
    nearest year printed before it in the text, else ``reference_year``
    (``year_inferred``), else stays undated. Several deadlines in one clause
    are split at the last "，" (else "、") before each.
    """
    voc = vocabulary or load_vocabulary()
    pats = voc._patterns
    hits = _scan(text, voc)
    if not hits:
        return []
    hit_at = {h.start: h for h in hits}
    # Where a date expression begins: a date, or a range ("，2023—2024年完成…").
    opens = set(hit_at) | {h.range_span[0] for h in hits if h.range_span is not None}

    first = 0
    lead = _LEADING_NUMBER.match(text)
    if lead:
        h = hit_at.get(lead.end())
        if h is not None and h.year is not None:
            first = lead.end()

    # Clause bounds.
    bounds: list[tuple[int, int]] = []
    seg_start = first
    for i in (*(m.start() for m in _BREAK.finditer(text, first)), len(text)):
        if i == len(text) or text[i] not in _SOFT_BREAK:
            bounds.append((seg_start, i))
            seg_start = i + 1
        else:
            j = i + 1
            while j < len(text) and text[j].isspace():
                j += 1
            p = pats.clause_prefix.match(text, j)
            if p.end() in opens or j in opens:
                bounds.append((seg_start, i))
                seg_start = i + 1

    out: list[DatedClause] = []
    for c_start, c_end in bounds:
        # Where the clause's words begin: after whitespace and punctuation.
        s = c_start
        while s < c_end and text[s] in _STRIP:
            s += 1
        opening = pats.clause_prefix.match(text, s).end()
        found: list[_Hit] = []
        for h in hits:
            if not (c_start <= h.start < c_end):
                continue
            at_open = h.start in (s, opening)
            if h.kind == "bare" and at_open:
                found.append(h)
            elif h.kind == "deadline" and (h.year is not None or h.suffixed or at_open):
                # Without a printed year, 底/末 alone is not enough inside a
                # clause ("预测年底空气质量变化趋势").
                found.append(h)
        if not found:
            continue
        # One clause per deadline: cut at the last "，" (else "、") between
        # two of them; deadlines with no such cut share their clause.
        groups: list[list[_Hit]] = [[found[0]]]
        cuts: list[int] = [c_start - 1]
        for prev, nxt in zip(found, found[1:]):
            gap = text[prev.raw_end : nxt.start]
            cut = max(gap.rfind("，"), gap.rfind(","))
            if cut < 0:
                cut = gap.rfind("、")
            if cut < 0:
                groups[-1].append(nxt)
            else:
                groups.append([nxt])
                cuts.append(prev.raw_end + cut)
        cuts.append(c_end)
        for k, group in enumerate(groups):
            a, b = cuts[k] + 1, cuts[k + 1]
            while a < b and text[a] in _STRIP:
                a += 1
            while b > a and text[b - 1] in _STRIP:
                b -= 1
            for h in group:
                out.append(_clause(text, hits, h, a, b, reference_year))
    return out


def _clause(text: str, hits: list[_Hit], h: _Hit, a: int, b: int, reference_year: int | None) -> DatedClause:
    year, inferred = h.year, False
    if year is None:
        year = _years_before(hits, text, h.start) or reference_year
        inferred = year is not None
    return DatedClause(
        start=a,
        end=b,
        date_start=h.start,
        date_end=h.raw_end,
        date_raw=text[h.start : h.raw_end],
        due_date=h.due(year) if year is not None else None,
        precision=h.precision,
        year_inferred=inferred,
    )


# --------------------------------------------------------------------------
# Dates in running text

_SENTENCE_BREAK = regex.compile(r"[。；;！？!?\n]")
_FACT_ROLE: dict[str, DateRole] = {"deadline": "deadline", "start": "start", "reference": "reference", "bare": "date"}


def find_dates(
    text: str,
    reference_year: int | None = None,
    vocabulary: DeadlineVocabulary | None = None,
    *,
    as_of_year: int | None = None,
) -> list[DateMention]:
    """Every date of a progress entry that names a point or period in time,
    in text order. Titles, ranges, recurring and relative dates ("前三季度")
    are left out. A date without a year takes the nearest year printed
    before it in the text, else ``reference_year`` (``year_inferred``); a
    year-less as-of date ("截至10月底") takes ``as_of_year`` when given, since
    a report states its facts as of its own year whatever years it recounts."""
    voc = vocabulary or load_vocabulary()
    pats = voc._patterns
    hits = _scan(text, voc)
    out = []
    for h in hits:
        role = _FACT_ROLE.get(h.kind)
        if role is None:
            continue
        if role == "deadline" and not h.suffixed:
            # A day or a month's end without 前 dates an event ("2022年8月5日修订").
            role = "date"
        if role == "reference" and text.endswith(pats.as_of, 0, h.start):
            role = "as_of"
        year, inferred = h.year, False
        if year is None:
            if role == "as_of" and as_of_year is not None:
                year = as_of_year
            else:
                year = _years_before(hits, text, h.start) or reference_year
            inferred = year is not None
        breaks_before = [m.end() for m in _SENTENCE_BREAK.finditer(text, 0, h.start)]
        after = _SENTENCE_BREAK.search(text, h.raw_end)
        s_start = breaks_before[-1] if breaks_before else 0
        s_end = after.end() if after and text[after.start()] != "\n" else (after.start() if after else len(text))
        while s_start < s_end and text[s_start].isspace():
            s_start += 1
        out.append(
            DateMention(
                start=h.start,
                end=h.raw_end,
                date_raw=text[h.start : h.raw_end],
                date=h.due(year) if year is not None else None,
                precision=h.precision,
                year_inferred=inferred,
                role=role,
                sentence_start=s_start,
                sentence_end=s_end,
            )
        )
    return out
