"""Read a progress status ("已完成，长期坚持") with data/statuses.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import get_args

import regex

from ..model import ProgressStatus

__all__ = ["StatusVocabulary", "load_statuses", "read_status"]

_STATUSES: tuple[str, ...] = tuple(s for s in get_args(ProgressStatus) if s != "unknown")


@dataclass(frozen=True)
class StatusVocabulary:
    phrases: dict[str, ProgressStatus]  # phrase → status
    rank: dict[str, int]
    done: frozenset[str]
    ongoing_words: tuple[str, ...]
    # Longest phrase first, so that at each place the longest one wins.
    _pattern: regex.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = sorted(self.phrases, key=len, reverse=True)
        pattern = "|".join(regex.escape(p) for p in ordered) or "(?!)"
        object.__setattr__(self, "_pattern", regex.compile(pattern))

    def read(self, raw: str) -> ProgressStatus:
        """The status the first phrase printed in ``raw`` names."""
        m = self._pattern.search(raw)
        if m is None:
            return "unknown"
        status = self.phrases[m.group()]
        if status == "completed" and any(w in raw[m.end() :] for w in self.ongoing_words):
            return "completed_ongoing"
        return status


def read_status(raw: str, vocabulary: StatusVocabulary | None = None) -> ProgressStatus:
    return (vocabulary or load_statuses()).read(raw)


def load_statuses(path: Path | None = None) -> StatusVocabulary:
    """A status vocabulary file; the packaged one when path is None. Raises
    ValueError naming the bad entry."""
    if path is None:
        return _packaged()
    return _parse(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


@lru_cache(maxsize=1)
def _packaged() -> StatusVocabulary:
    text = resources.files(__package__).joinpath("data/statuses.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text), "statuses.toml")


def _parse(data: dict, where: str) -> StatusVocabulary:
    phrases: dict[str, ProgressStatus] = {}
    rank: dict[str, int] = {}
    done: set[str] = set()
    for section, spec in data.items():
        if section == "ongoing":
            continue
        if section not in _STATUSES:
            raise ValueError(f"{where}: unknown status [{section}] (known: {', '.join(_STATUSES)}, ongoing)")
        if not isinstance(spec.get("rank"), int) or not isinstance(spec.get("done"), bool):
            raise ValueError(f"{where}: [{section}] needs an integer rank and a boolean done")
        rank[section] = spec["rank"]
        if spec["done"]:
            done.add(section)
        for phrase in spec.get("phrases", []):
            if not isinstance(phrase, str) or not phrase:
                raise ValueError(f"{where}: [{section}] phrases must be non-empty strings")
            if phrase in phrases:
                raise ValueError(f"{where}: phrase {phrase!r} is listed under {phrases[phrase]} and {section}")
            phrases[phrase] = section  # type: ignore[assignment]
    ongoing = tuple(data.get("ongoing", {}).get("words", []))
    return StatusVocabulary(phrases, rank, frozenset(done), ongoing)
