"""Document-level structure: title, kind, the task lists' extents."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from ..extract import markers
from ..model import DocumentKind
from .labels import LabelVocabulary

# A title line is short and is not a sentence.
_TITLE_MAX_CHARS = 40
ANNEX_HEADING = regex.compile(r"^附\s*件\s*(?P<num>\d{1,2})?\s*[：:]?$")
# A signing date on a line of its own: "2023年12月25日", "二〇二三年十二月二十五日".
_SIGNING_DATE = regex.compile(
    r"^(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日$"
)
# Signatories above the date: short organization names, not sentences.
_SIGNATORY_MAX_CHARS = 30
_SIGNATORIES_MAX = 4


@dataclass(frozen=True)
class Paragraph:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class ListExtent:
    no: int
    title_paragraphs: tuple[Paragraph, ...]
    # Index range [first, stop) of the list's body paragraphs.
    first: int
    stop: int


@dataclass(frozen=True)
class KindRule:
    name: str
    title_keywords: tuple[str, ...]
    requires: tuple[str, ...]
    opening_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    """The closing block: signatory paragraphs and the signing date.
    ``first`` is the index of its first paragraph."""

    first: int
    signatories: tuple[Paragraph, ...]
    date: Paragraph


def find_signature(paragraphs: list[Paragraph]) -> Signature | None:
    """A last paragraph that is only a date, with the short organization
    names right above it."""
    if not paragraphs or not _SIGNING_DATE.match(paragraphs[-1].text.strip()):
        return None
    first = len(paragraphs) - 1
    while (
        first > 0
        and len(paragraphs) - first <= _SIGNATORIES_MAX
        and _is_signatory(paragraphs[first - 1].text.strip())
    ):
        first -= 1
    return Signature(first, tuple(paragraphs[first:-1]), paragraphs[-1])


def _is_signatory(text: str) -> bool:
    return (
        0 < len(text) <= _SIGNATORY_MAX_CHARS
        and not regex.search(r"[。；，：:、！？]", text)
        and not markers.starts_item(text, after_paragraph_end=True)
    )


@lru_cache(maxsize=1)
def _kinds_data() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("data/kinds.toml").read_text(encoding="utf-8"))


def issuer_title_ends() -> tuple[str, ...]:
    return tuple(_kinds_data().get("issuer", {}).get("title_ends", ()))


def issuer_in_title(titles: list[Paragraph]) -> tuple[int, int] | None:
    """Offsets of the issuer at the start of the title: the text before the
    first of the title-end words (kinds.toml [issuer]), when it lies within
    the title's first line."""
    if not titles:
        return None
    joined = "".join(p.text for p in titles)
    cuts = [i for i in (joined.find(w) for w in issuer_title_ends()) if i > 0]
    if not cuts or min(cuts) > len(titles[0].text):
        return None
    return titles[0].start, titles[0].start + min(cuts)


@lru_cache(maxsize=1)
def kind_rules() -> tuple[KindRule, ...]:
    rules = []
    for entry in _kinds_data()["kind"]:
        DocumentKind(entry["name"])  # validates the name
        rules.append(
            KindRule(
                entry["name"],
                tuple(entry["title_keywords"]),
                tuple(entry.get("requires", ())),
                tuple(entry.get("opening_keywords", ())),
            )
        )
    return tuple(rules)


def detect_kind(title: str, has_task_list: bool, opening: str = "") -> DocumentKind:
    """By the title; for a document printed without one, by its opening
    paragraph ("……制定本规划。")."""
    for rule in kind_rules():
        if any(k in title for k in rule.title_keywords) and all(r in title for r in rule.requires):
            return DocumentKind(rule.name)
    if not title:
        for rule in kind_rules():
            if any(k in opening for k in rule.opening_keywords):
                return DocumentKind(rule.name)
    return DocumentKind.rectification_plan if has_task_list else DocumentKind.unknown


def is_title_line(text: str) -> bool:
    return (
        0 < len(text) <= _TITLE_MAX_CHARS
        and text[-1] not in "。；，：:"
        and not markers.starts_item(text, after_paragraph_end=True)
    )


def title_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The leading run of short title lines (a bare "附件：" line skipped)."""
    out: list[Paragraph] = []
    for para in paragraphs:
        if not out and ANNEX_HEADING.match(para.text):
            continue
        if not is_title_line(para.text):
            break
        out.append(para)
    return out


def find_lists(paragraphs: list[Paragraph], labels: LabelVocabulary) -> list[ListExtent]:
    """Task lists: each numbered annex ("附件 1") whose body holds issues
    with labelled fields. Without annex headings, the document's first run of
    issues with fields is list 1."""
    headings = [i for i, p in enumerate(paragraphs) if ANNEX_HEADING.match(p.text)]
    extents = []
    for k, i in enumerate(headings):
        stop = headings[k + 1] if k + 1 < len(headings) else len(paragraphs)
        m = ANNEX_HEADING.match(paragraphs[i].text)
        first_issue = _first_issue_with_fields(paragraphs, i + 1, stop, labels)
        if first_issue is None:
            continue
        titles = tuple(p for p in paragraphs[i + 1 : first_issue] if is_title_line(p.text))
        no = int(m.group("num")) if m.group("num") else len(extents) + 1
        extents.append(ListExtent(no, titles, first_issue, stop))
    if extents:
        return extents
    first_issue = _first_issue_with_fields(paragraphs, 0, len(paragraphs), labels)
    if first_issue is None:
        return []
    return [ListExtent(1, (), first_issue, len(paragraphs))]


def _first_issue_with_fields(
    paragraphs: list[Paragraph], first: int, stop: int, labels: LabelVocabulary
) -> int | None:
    candidate = None
    for i in range(first, stop):
        text = paragraphs[i].text
        if markers.ISSUE_MARK.match(text):
            candidate = i
        elif candidate is not None and labels.match(text):
            return candidate
    return None
