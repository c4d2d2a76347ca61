"""Field-label vocabulary (data/labels.toml): printed label → role."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..extract import markers

ROLES = (
    "seq",
    "problem",
    "responsible",
    "lead",
    "cooperating",
    "leader",
    "supervising",
    "acceptance",
    "goal",
    "deadline",
    "measures",
    "requirements",
    "status",
)


@dataclass(frozen=True)
class LabelVocabulary:
    # Read-only once made: the label order and pattern below are derived from it.
    role_of: dict[str, str]
    cross_reference_prefixes: tuple[str, ...] = ()
    # Longest first, so "整改责任单位" wins over a shorter label it contains.
    labels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _label_start: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", tuple(sorted(self.role_of, key=len, reverse=True)))
        object.__setattr__(self, "_label_start", markers.label_start(self.labels))

    def header_role(self, header: str) -> tuple[str, str] | None:
        """(label, role) of a table's header cell ("整改 时限", "序号：" → 整改时限, 序号)."""
        label = "".join(header.split()).rstrip("：:")
        role = self.role_of.get(label)
        return (label, role) if role else None

    def match(self, paragraph: str) -> tuple[str, int] | None:
        """(label, offset after its colon) if the paragraph starts with a label."""
        m = self._label_start.match(paragraph)
        return (m.group("label"), m.end()) if m else None


def load_labels(path: Path | None = None) -> LabelVocabulary:
    """Load a label file; the packaged one when path is None."""
    if path is None:
        return _packaged()
    return _parse(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


@lru_cache(maxsize=1)
def _packaged() -> LabelVocabulary:
    text = resources.files(__package__).joinpath("data/labels.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text), "labels.toml")


def _parse(data: dict, where: str) -> LabelVocabulary:
    role_of: dict[str, str] = {}
    for role, labels in data.get("roles", {}).items():
        if role not in ROLES:
            raise ValueError(f"{where}: unknown role {role!r} (known: {', '.join(ROLES)})")
        for label in labels:
            if label in role_of:
                raise ValueError(f"{where}: label {label!r} is listed under {role_of[label]!r} and {role!r}")
            role_of[label] = role
    prefixes = data.get("cross_reference", {}).get("prefixes", [])
    if not all(isinstance(p, str) and p.endswith("序号") for p in prefixes):
        raise ValueError(f"{where}: every cross_reference prefix must be a string ending in 序号")
    return LabelVocabulary(role_of, tuple(sorted(prefixes, key=len, reverse=True)))
