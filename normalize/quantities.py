"""Numbers with their comparator and unit: table cells ("≥93", "0.25万吨",
"12（五年累计）") and quantities inside target sentences ("达到75.5%以上").
The words live in data/comparators.toml and data/measure_units.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
_QUALIFIER = regex.compile(r"^\s*（(?P<q>[^（）]*)）\s*$")


@dataclass(frozen=True)
class ComparatorWord:
    word: str
    comparator: str
    position: str  # before | after
    change: str | None = None


@dataclass(frozen=True)
class MeasureUnit:
    name: str
    spellings: tuple[str, ...]


def _data(name: str) -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def comparator_words() -> tuple[ComparatorWord, ...]:
    data = _data("comparators.toml")
    words = [
        ComparatorWord(word, entry["comparator"], position, entry.get("change"))
        for position in ("before", "after")
        for entry in data[position]
        for word in entry["words"]
    ]
    return tuple(sorted(words, key=lambda w: -len(w.word)))


@lru_cache(maxsize=1)
def measure_units() -> tuple[MeasureUnit, ...]:
    return tuple(MeasureUnit(u["name"], tuple(u["spellings"])) for u in _data("measure_units.toml")["unit"])


@lru_cache(maxsize=1)
def _spellings() -> tuple[tuple[str, str], ...]:
    pairs = [(s, u.name) for u in measure_units() for s in u.spellings]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def unit_at(text: str, pos: int) -> tuple[str, int] | None:
    """(canonical unit, end) of the longest unit spelling starting at ``pos``."""
    for spelling, name in _spellings():
        if text.startswith(spelling, pos):
            return name, pos + len(spelling)
    return None


def read_unit(text: str) -> str | None:
    """A whole text that names a unit ("微克/立方米"); in "小时达标率, %" the
    last comma-separated part."""
    for part in reversed([p.strip() for p in regex.split(r"[,，]", text)]):
        found = unit_at(part, 0)
        if found and found[1] == len(part):
            return found[0]
    return None


def before_word(text: str, end: int, position: str = "before") -> ComparatorWord | None:
    """The longest comparator word ending at ``end``."""
    for w in comparator_words():
        if w.position == position and end >= len(w.word) and text.startswith(w.word, end - len(w.word)):
            return w
    return None


def after_word(text: str, pos: int) -> ComparatorWord | None:
    for w in comparator_words():
        if w.position == "after" and text.startswith(w.word, pos):
            return w
    return None


@dataclass(frozen=True)
class Reading:
    number: float | None
    comparator: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    change: str | None = None


def read_quantity(raw: str) -> Reading:
    """A table cell that is one number, with what may stand around it:
    "≥93", "不低于50%", "0.25万吨", "12（五年累计）". Anything else ("不减少",
    "国家下达指标", "/", "比2015年上升15.4%") has no number."""
    text = raw.strip()
    m = _NUMBER.search(text)
    if not m:
        return Reading(None)
    lead = text[: m.start()].strip()
    before = None
    if lead:
        before = next((w for w in comparator_words() if w.position == "before" and w.word == lead), None)
        if before is None:
            return Reading(None)
    pos, unit = m.end(), None
    while pos < len(text) and text[pos] == " ":
        pos += 1
    found = unit_at(text, pos)
    if found:
        unit, pos = found
    after = after_word(text, pos)
    if after:
        pos += len(after.word)
    rest = text[pos:]
    qualifier = None
    if rest.strip():
        q = _QUALIFIER.match(rest)
        if not q:
            return Reading(None)
        qualifier = q.group("q")
    comparator = (after or before).comparator if (after or before) else "="
    return Reading(float(m.group()), comparator, unit, qualifier, before.change if before and not after else None)
