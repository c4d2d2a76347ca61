"""Quantified targets in prose: "到2025年，……平均浓度下降到33微克/立方米以下，
空气质量优良天数比率达到75.5%以上" gives one target per quantity.

A target passage opens with its year ("到2025年", "至2025年", or a sentence
opening "2025年，" for a year after the document's reference year) and runs
to the end of that sentence, then on through the following sentences of the
paragraph while each holds a quantified target. A quantity is a number with
a comparator word right before it ("达到", "不低于", "下降到") or right after
its unit ("以上", "以下"). What it measures is the clause text before the
comparator; a leading scope is split off. A target sentence without any
readable quantity is kept as one target with no value.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from .quantities import after_word, before_word, unit_at

_TARGET_YEAR = regex.compile(
    r"(?:(?<=^|[。；，：])(?:到|至)(?P<year>(?:19|20)\d{2})年(?:底|末)?(?!底前|前)[，,]?)"
    r"|(?:(?<=^|[。；])(?P<bare>(?:19|20)\d{2})年[，,])"
)
_SENTENCE = regex.compile(r"[^。！？]+[。！？]?")
_CLAUSE_BREAK = "，；：,;"
_NUMBER = regex.compile(r"(?<![\d.A-Za-z])\d+(?:\.\d+)?")
# Adverbs between a subject and its comparator ("化肥、农药利用率均达到").
_SUBJECT_TAIL = regex.compile(r"(?:均|都|要|应|需|力争|将)+$")
_SUBJECT_TRIM = "，、 "


@dataclass(frozen=True)
class TargetWords:
    measure_words: tuple[str, ...]
    scope_endings: tuple[str, ...]
    scope_openings: tuple[str, ...]


@lru_cache(maxsize=1)
def target_words() -> TargetWords:
    data = tomllib.loads(resources.files(__package__).joinpath("data/targets.toml").read_text(encoding="utf-8"))
    return TargetWords(tuple(data["measure_words"]), tuple(data["scope_endings"]), tuple(data["scope_openings"]))


@dataclass(frozen=True)
class FoundTarget:
    """Offsets are into the paragraph text given to ``find_targets``."""

    year: int
    subject: str | None
    scope: str | None
    value: float | None
    value_raw: str | None
    unit: str | None
    comparator: str | None
    change: str | None
    start: int
    end: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class _Quantity:
    start: int  # the comparator word (or the number)
    number_start: int
    number_end: int
    end: int
    value: float
    unit: str | None
    comparator: str
    change: str | None


def _quantities(text: str, start: int, end: int) -> list[_Quantity]:
    out = []
    for m in _NUMBER.finditer(text, start, end):
        before = before_word(text, m.start())
        pos, unit = m.end(), None
        found = unit_at(text, pos)
        if found:
            unit, pos = found
        after = after_word(text, pos)
        if before is None and after is None:
            continue
        if after:
            pos += len(after.word)
        comparator = (after or before).comparator
        change = before.change if before and not after else None
        out.append(
            _Quantity(m.start() - (len(before.word) if before else 0), m.start(), m.end(), pos, float(m.group()), unit, comparator, change)
        )
    return out


def _split_scope(subject: str, words: TargetWords) -> tuple[str | None, str]:
    best = -1
    for ending in words.scope_endings:
        at = subject.rfind(ending)
        if at >= 0 and at + len(ending) < len(subject):
            best = max(best, at + len(ending))
    if best > 0:
        return subject[:best], subject[best:]
    for opening in words.scope_openings:
        if subject.startswith(opening) and len(subject) > len(opening):
            return opening, subject[len(opening) :]
    return None, subject


def _clause_start(text: str, pos: int, floor: int) -> int:
    k = pos
    while k > floor and text[k - 1] not in _CLAUSE_BREAK:
        k -= 1
    return k


def find_targets(text: str, reference_year: int | None) -> list[FoundTarget]:
    """Targets in one paragraph of text."""
    if "年" not in text:
        return []  # every target opens with a year: most paragraphs need no search
    words = target_words()
    out: list[FoundTarget] = []
    taken = 0
    for ym in _TARGET_YEAR.finditer(text):
        if ym.start() < taken:
            continue
        if ym.group("bare"):
            year = int(ym.group("bare"))
            if reference_year is not None and year <= reference_year:
                continue
        else:
            year = int(ym.group("year"))
        sentences = [m for m in _SENTENCE.finditer(text, ym.start())]
        if not sentences:
            continue
        passage = [sentences[0]]
        for s in sentences[1:]:
            if _TARGET_YEAR.search(s.group()) or not _quantities(text, s.start(), s.end()):
                break
            passage.append(s)
        taken = passage[-1].end()
        found_any = False
        for k, s in enumerate(passage):
            body_start = ym.end() if k == 0 else s.start()
            subject = scope = None
            previous_end = body_start
            for q in _quantities(text, body_start, s.end()):
                seg_start = max(_clause_start(text, q.start, body_start), previous_end)
                raw_subject = _SUBJECT_TAIL.sub("", text[seg_start : q.start].strip(_SUBJECT_TRIM)).strip(_SUBJECT_TRIM)
                new_scope, measured = _split_scope(raw_subject, words)
                if measured and any(w in measured for w in words.measure_words):
                    subject = measured
                    scope = new_scope if new_scope is not None else scope
                elif raw_subject:
                    scope = raw_subject
                out.append(
                    FoundTarget(
                        year, subject, scope, q.value, text[q.number_start : q.end], q.unit, q.comparator, q.change,
                        q.start, q.end, s.start(), s.end(),
                    )
                )
                previous_end = q.end
                found_any = True
        if not found_any:
            first = passage[0]
            out.append(
                FoundTarget(year, None, None, None, None, None, None, None, ym.start(), first.end(), first.start(), first.end())
            )
    return out
