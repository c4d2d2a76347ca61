"""Split, expand and resolve the units of a unit field (责任单位, 验收单位,
牵头单位, 配合单位 …), and find units and enterprises named in running text.

``resolve_units("乌鲁木齐市、昌吉州党委、政府")`` gives four units:
乌鲁木齐市党委, 乌鲁木齐市人民政府, 昌吉回族自治州党委, 昌吉回族自治州人民政府.
The rules, all from real fields of the corpus plan:

- "，" (and "；") separates groups, "、" separates items; parentheses
  protect their content ("各地（州、市）" is one item).
- A suffix distributes over the regions listed before it:
  "伊犁州、阿克苏地区党委、政府（行署）" → each region's 党委 and its
  government (the 行署 of a 地区, else the 人民政府).
- A region carries forward to the items after it:
  "自治区党委办公厅、组织部" → 自治区党委组织部; "兵团发展改革委、生态环境局"
  → 兵团生态环境局. It carries into the next group too ("自治区水利厅，发改委").
- A collective phrase stays one unit with the members it stands for
  ("各地（州、市）党委、政府（行署）" → the 14 prefectures); so does a list
  ending in 等部门 ("自治区生态环境厅、兵团生态环境局等部门").
- What the gazetteer does not know is kept as printed, level "other", with
  one warning; nothing is dropped.

All names come from the gazetteer (``data/units/*.toml``); this module holds
only the grammar of unit lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import regex

from .gazetteer import (
    Collective,
    Department,
    EnterpriseRules,
    Gazetteer,
    Level,
    Region,
    fold,
    load_gazetteer,
    starts_pattern,
)

__all__ = [
    "Mention",
    "ResolvedUnit",
    "UnitResolution",
    "covers_region",
    "find_mentioned_units",
    "resolve_units",
]


@dataclass(frozen=True)
class ResolvedUnit:
    """One unit of a unit field.

    ``raw``: the unit as the document writes it once expanded ("昌吉州党委",
    "自治区党委组织部"). ``name``: its canonical full name without 中共
    ("昌吉回族自治州党委"); the raw text when unknown. ``region``: the region
    it is reported under — the prefecture for a prefecture or county unit,
    the autonomous region for its departments, the Corps for the Corps and
    its divisions; None when unknown. ``place``: the most specific region it
    belongs to (a county, a division). ``organ``: 党委, 人民政府, 行政公署 or
    the department's canonical name. ``members``: what a collective stands
    for (canonical names; a member the gazetteer does not know keeps its
    text), empty when not known; ``members_complete`` says they are all of it.
    ``city``: a division's city under 师市合一. ``known``: False for a unit
    the gazetteer does not know (level "other", one warning). ``start``/``end``: the text of the input this unit
    comes from — for a distributed unit, the item that names its region.
    """

    raw: str
    name: str
    region: str | None
    level: Level
    organ: str | None = None
    collective: bool = False
    members: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    place: str | None = None
    city: str | None = None
    members_complete: bool = False
    known: bool = True


@dataclass(frozen=True)
class UnitResolution:
    units: tuple[ResolvedUnit, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A unit or enterprise named inside running text; ``text[start:end] == raw``.

    For an enterprise (level "enterprise") ``name`` is the name as printed and
    ``region``/``place`` are those of a region named right before it
    ("昌吉州宝明矿业公司")."""

    raw: str
    name: str
    level: Level
    region: str | None
    start: int
    end: int
    place: str | None = None
    organ: str | None = None
    collective: bool = False


# --------------------------------------------------------------------------
# Splitting

_OPEN, _CLOSE = "（(", "）)"
_GROUP_SEPARATORS = "，,；;"
_ITEM_SEPARATORS = "、"
_TRIM = " \t\r\n\u3000。."


class _Piece(NamedTuple):  # tuples: built for every piece of every field
    text: str  # folded
    start: int
    end: int


def _trimmed(ch: str) -> bool:
    # Any whitespace, not only the listed kinds: a piece of "\xa0" alone
    # was read as a unit with an empty name.
    return ch in _TRIM or ch.isspace()


def _split(raw: str, start: int, end: int, separators: str) -> list[_Piece]:
    """Pieces of raw[start:end] between separators outside parentheses,
    trimmed; offsets into raw."""
    pieces, depth, begin = [], 0, start
    for m in _marks(separators).finditer(raw, start, end):
        ch = m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            _add_piece(raw, begin, m.start(), pieces)
            begin = m.end()
    _add_piece(raw, begin, end, pieces)
    return pieces


@lru_cache(maxsize=4)
def _marks(separators: str) -> regex.Pattern:
    """The characters _split acts on: parentheses and ``separators``."""
    return regex.compile(f"[{regex.escape(_OPEN + _CLOSE + separators)}]")


def _add_piece(raw: str, a: int, b: int, pieces: list[_Piece]) -> None:
    while a < b and _trimmed(raw[a]):
        a += 1
    while b > a and _trimmed(raw[b - 1]):
        b -= 1
    if a < b:
        pieces.append(_Piece(fold(raw[a:b]), a, b))


# --------------------------------------------------------------------------
# Items


class _Item(NamedTuple):
    """One item, read: a region (with the text naming it) and what follows
    it — an organ, a department, a collective remainder, or unknown text."""

    piece: _Piece
    region: Region | None = None
    region_text: str = ""
    organ: str | None = None  # "party" | "government"
    organ_text: str = ""
    department: Department | None = None
    department_text: str = ""
    rest: str = ""  # unknown remainder, or the whole text when nothing was read
    collective: bool = False  # an own-suffix collective ("昌吉州有关部门")

    @property
    def region_only(self) -> bool:
        return self.region is not None and not (self.organ or self.department or self.rest or self.collective)

    @property
    def suffix_only(self) -> bool:
        """An organ or a department name without a region ("政府", "组织部")."""
        return self.region is None and not self.collective


def _organ(text: str, gz: Gazetteer) -> str | None:
    if text in gz.party_aliases:
        return "party"
    if text in gz.government_aliases:
        return "government"
    return None


def _department(text: str, scope, gz: Gazetteer) -> tuple[Department | None, str]:
    """The department ``text`` names in ``scope``, also after a leading 党委 /
    人民政府 ("人民政府国资委"); with the alias it was named by."""
    dept = gz.department(scope, text)
    if dept is not None:
        return dept, text
    for organ in ("党委", "人民政府", "政府"):
        if text.startswith(organ) and len(text) > len(organ):
            dept = gz.department(scope, text[len(organ) :])
            if dept is not None:
                return dept, text
    return None, text


def _own_collective(text: str, gz: Gazetteer) -> bool:
    return any(text.endswith(s) for s in gz.own_suffixes)


def _read_item(piece: _Piece, gz: Gazetteer) -> _Item:
    text = piece.text
    candidates = list(gz.regions_at(text))
    # Longest region name first; a shorter one only when it reads the rest
    # ("塔城地委" is 塔城 + 地委, not a name 塔城地…).
    for region, end in candidates:
        rest = text[end:]
        if not rest:
            return _Item(piece, region, text)
        organ = _organ(rest, gz)
        if organ and (organ == "party" or region.government):
            return _Item(piece, region, text[:end], organ=organ, organ_text=rest)
        dept, alias = _department(rest, region.scope, gz)
        if dept is not None:
            return _Item(piece, region, text[:end], department=dept, department_text=alias)
        if _own_collective(rest, gz):
            return _Item(piece, region, text[:end], rest=rest, collective=True)
    # A department whose name begins like a region ("喀什噶尔河流域管理局"
    # is no department of 喀什) belongs to the region carried to it.
    if candidates and not any(gz.department(scope, text) for scope in ("region", "corps", "local")):
        region, end = candidates[0]
        return _Item(piece, region, text[:end], rest=text[end:])
    organ = _organ(text, gz)
    if organ:
        return _Item(piece, organ=organ, organ_text=text)
    if _own_collective(text, gz):
        return _Item(piece, rest=text, collective=True)
    return _Item(piece, rest=text)  # a department named without its region, or unknown


# --------------------------------------------------------------------------
# Resolving


@dataclass
class _Context:
    """The region the last run named, carried to items without one
    ("自治区水利厅，发改委"). A bare region carries nothing: in
    "乌鲁木齐市、某某局" the second item is a unit of its own."""

    region: Region | None = None
    region_text: str = ""
    party: bool = False  # the run named the 党委 ("自治区党委办公厅、组织部")


@dataclass
class _Out:
    units: list[ResolvedUnit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def unknown(self, raw: str, start: int, end: int, region: Region | None = None, why: str = "") -> None:
        self.units.append(
            ResolvedUnit(
                raw=raw,
                name=raw,
                region=region.top if region else None,
                level="other",
                start=start,
                end=end,
                place=region.name if region else None,
                known=False,
            )
        )
        self.warnings.append(f"unknown unit {raw!r}{': ' + why if why else ''}")


def resolve_units(raw: str, gazetteer: Gazetteer | None = None) -> UnitResolution:
    """Split, expand and resolve a unit field (see the module docstring)."""
    return _resolve(raw, gazetteer or load_gazetteer())


@lru_cache(maxsize=4096)
def _resolve_cached(raw: str, gz: Gazetteer) -> UnitResolution:
    return _resolve(raw, gz)


def _resolve(raw: str, gz: Gazetteer) -> UnitResolution:
    out, context = _Out(), _Context()
    for group in _split(raw, 0, len(raw), _GROUP_SEPARATORS):
        _resolve_group(raw, group, gz, context, out)
    return UnitResolution(tuple(out.units), tuple(out.warnings))


def _resolve_group(raw: str, group: _Piece, gz: Gazetteer, context: _Context, out: _Out) -> None:
    collective = gz.collective(group.text)
    if collective is not None:
        out.units.append(_listed_collective(group, collective))
        return
    for suffix in gz.distributing_suffixes:
        if group.text.endswith(suffix) and len(group.text) > len(suffix):
            _distributing_collective(raw, group, suffix, gz, context, out)
            return
    items = _split(raw, group.start, group.end, _ITEM_SEPARATORS)
    _resolve_items(items, gz, context, out)


def _resolve_items(items: list[_Piece], gz: Gazetteer, context: _Context, out: _Out, *, stems: bool = False) -> None:
    """Items of one group, left to right. Bare regions wait in ``pending``
    for a suffix they share; an item with a region and a suffix starts a run
    that takes the pending regions of its kind and the suffix-only items
    after it."""
    pending: list[_Item] = []
    collective_spans = _collective_spans(items, gz)

    def flush() -> None:
        out.units.extend(_region_unit(item) for item in pending)
        pending.clear()

    i = 0
    while i < len(items):
        # A collective phrase may span items ("相关地、州、市人民政府").
        if i in collective_spans:
            j, collective = collective_spans[i]
            flush()
            piece = _Piece("、".join(p.text for p in items[i:j]), items[i].start, items[j - 1].end)
            out.units.append(_listed_collective(piece, collective))
            i = j
            continue
        item = _read_item(items[i], gz)
        if item.collective:
            flush()
            region = item.region
            out.units.append(
                _collective_unit(item.piece, item.piece.text, region.top if region else None, (), False, place=region)
            )
            i += 1
            continue
        if pending and (item.region is None or pending[-1].region.level != item.region.level):
            # "乌鲁木齐市、兵团第六师": no suffix is shared across kinds.
            if item.region is not None or not _reads_in(item, pending[-1].region, gz, stems):
                flush()
        if item.region_only:
            pending.append(item)
            context.region = None
            i += 1
            continue
        if item.region is not None:
            regions, suffixes = [*pending, item], [item]
            context.region, context.region_text = item.region, item.region_text
            dept = item.department
            context.party = bool(dept and dept.party and item.department_text.startswith("党委"))
        elif pending:
            regions, suffixes = list(pending), []  # "乌鲁木齐市、昌吉州、政府"
        elif context.region is not None:
            piece = _Piece(context.region_text, item.piece.start, item.piece.end)
            regions, suffixes = [_Item(piece, context.region, context.region_text)], []
        else:
            out.unknown(item.piece.text, item.piece.start, item.piece.end, why="no region names it")
            i += 1
            continue
        pending.clear()
        j = i if item.region is None else i + 1
        while j < len(items) and j not in collective_spans:
            nxt = _read_item(items[j], gz)
            if not nxt.suffix_only:
                break
            suffixes.append(nxt)
            j += 1
        _emit_run(regions, suffixes, gz, context, out, stems=stems)
        i = j
    flush()


def _reads_in(item: _Item, region: Region, gz: Gazetteer, stems: bool) -> bool:
    """Whether a suffix-only item is an organ or a department of ``region``."""
    if item.organ:
        return item.organ == "party" or region.government is not None
    if _department(item.rest, region.scope, gz)[0] is not None:
        return True
    return stems and gz.department_by_stem(region.scope, item.rest) is not None


def _collective_spans(items: list[_Piece], gz: Gazetteer) -> dict[int, tuple[int, Collective]]:
    """Items that open a collective phrase spanning items ("相关地、州、市人民政府"):
    where the longest such phrase ends, and its collective. A phrase of n
    parts joins at most n items (an item may hold a "、" in parentheses)."""
    spans = {}
    initials = gz.collective_initials()
    for i in range(len(items)):
        if items[i].text[0] not in initials:
            continue  # no phrase begins like this item
        for j in range(min(len(items), i + gz.collective_parts), i, -1):
            collective = gz.collective("、".join(p.text for p in items[i:j]))
            if collective is not None:
                spans[i] = (j, collective)
                break
    return spans


def _emit_run(
    regions: list[_Item], suffixes: list[_Item], gz: Gazetteer, context: _Context, out: _Out, *, stems: bool
) -> None:
    """Each region of a run with each suffix, in order."""
    distributed = len(regions) > 1
    for holder in regions:
        region = holder.region
        for suffix in suffixes:
            own = suffix is holder
            if suffix.organ:
                span = holder.piece  # the item that names the region
                if suffix.organ == "government" and region.government is None:
                    # The Corps and its divisions have no 人民政府.
                    out.unknown(holder.region_text + suffix.organ_text, span.start, span.end, region,
                                why=f"{region.name} has no government")
                    continue
                out.units.append(_organ_unit(holder, suffix, gz, span))
                continue
            span = holder.piece if (distributed or own) else suffix.piece
            text = suffix.department_text if suffix.department else suffix.rest
            dept, alias = _department(text, region.scope, gz)
            if dept is None and stems:
                dept = gz.department_by_stem(region.scope, text)
            party = "党委" if (dept and dept.party and context.party and not alias.startswith("党委")) else ""
            expanded = holder.region_text + party + text
            if dept is None:
                out.unknown(expanded, span.start, span.end, region, why=f"no department {text!r} of {region.name}")
                continue
            out.units.append(
                ResolvedUnit(
                    raw=expanded,
                    name=dept.unit_name(region),
                    region=region.top,
                    level="department",
                    organ=dept.name,
                    start=span.start,
                    end=span.end,
                    place=region.name,
                    city=region.city,
                )
            )


def _organ_unit(holder: _Item, suffix: _Item, gz: Gazetteer, span: _Piece) -> ResolvedUnit:
    region = holder.region
    if suffix.organ == "party":
        organ = gz.party_name
        text = suffix.organ_text
    else:
        organ = region.government
        text = _government_text(suffix.organ_text, organ)
    return ResolvedUnit(
        raw=holder.region_text + text,
        name=region.name + organ,
        region=region.top,
        level=region.level,
        organ=organ,
        start=span.start,
        end=span.end,
        place=region.name,
        city=region.city,
    )


_ALTERNATIVE = regex.compile(r"^(?P<main>[^（]+)（(?P<alt>[^）]+)）$")


def _government_text(text: str, government: str | None) -> str:
    """"政府（行署）" names the 人民政府 of a 州 or 市 and the 行署 of a 地区:
    each region gets the part that fits it."""
    m = _ALTERNATIVE.match(text)
    if not m:
        return text
    return m["alt"] if government == "行政公署" else m["main"]


def _region_unit(item: _Item) -> ResolvedUnit:
    region = item.region
    return ResolvedUnit(
        raw=item.region_text,
        name=region.name,
        region=region.top,
        level=region.level,
        start=item.piece.start,
        end=item.piece.end,
        place=region.name,
        city=region.city,
    )


def _listed_collective(piece: _Piece, collective: Collective) -> ResolvedUnit:
    return _collective_unit(piece, collective.name, collective.region, collective.members, collective.complete)


def _collective_unit(
    piece: _Piece, name: str, region: str | None, members, complete: bool, *, place: Region | None = None
) -> ResolvedUnit:
    return ResolvedUnit(
        raw=piece.text,
        name=name,
        region=region,
        level="collective",
        collective=True,
        members=tuple(members),
        members_complete=complete,
        start=piece.start,
        end=piece.end,
        place=place.name if place else region,
    )


def _distributing_collective(raw: str, group: _Piece, suffix: str, gz: Gazetteer, context: _Context, out: _Out) -> None:
    """"兵地生态环境、发改、工信等相关部门", "自治区生态环境厅、兵团生态环境局等部门":
    one collective whose (known, not all) members are the units listed."""
    head_end = _offset_of(raw, group, len(group.text) - len(suffix))
    inner = _Out()
    prefix = next((p for p in sorted(gz.prefixes, key=len, reverse=True) if group.text.startswith(p)), None)
    if prefix is not None:
        # The prefix names several regions; each item is a field of each.
        start = _offset_of(raw, group, len(prefix))
        regions = [gz.region(name) for name in gz.prefixes[prefix]]
        for piece in _split(raw, start, head_end, _ITEM_SEPARATORS):
            found = False
            for region in regions:
                dept = gz.department_by_stem(region.scope, piece.text) or _department(piece.text, region.scope, gz)[0]
                if dept is not None:
                    found = True
                    inner.units.append(
                        ResolvedUnit(
                            raw=piece.text,
                            name=dept.unit_name(region),
                            region=region.top,
                            level="department",
                            organ=dept.name,
                            start=piece.start,
                            end=piece.end,
                            place=region.name,
                        )
                    )
            if not found:
                inner.unknown(piece.text, piece.start, piece.end, why=f"no department {piece.text!r} of {prefix}")
        region = None
    else:
        _resolve_items(_split(raw, group.start, head_end, _ITEM_SEPARATORS), gz, context, inner, stems=True)
        tops = {u.region for u in inner.units}
        region = tops.pop() if len(tops) == 1 else None
    out.warnings.extend(inner.warnings)
    out.units.append(
        _collective_unit(group, group.text, region, _unique(u.name for u in inner.units), False)
    )


def _offset_of(raw: str, piece: _Piece, folded_index: int) -> int:
    """The offset in raw of the character at ``folded_index`` of piece.text
    (the folded text lacks the whitespace raw may hold)."""
    seen = 0
    for i in range(piece.start, piece.end):
        if raw[i].isspace():
            continue
        if seen == folded_index:
            return i
        seen += 1
    return piece.end


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --------------------------------------------------------------------------
# Regions covered


def covers_region(units: Iterable[ResolvedUnit], region_name: str, gazetteer: Gazetteer | None = None) -> bool:
    """Whether the units concern a region: a unit's region or place is it, or
    it is one of a collective's members (or a member's region). A county
    counts for its prefecture (its ``region`` is the prefecture)."""
    gz = gazetteer or load_gazetteer()
    target = gz.region(region_name)
    name = target.name if target else region_name
    for unit in units:
        if name in (unit.region, unit.place, unit.name):
            return True
        for member in unit.members:
            if member == name:
                return True
            resolved = _resolve_cached(member, gz).units
            if any(name in (u.region, u.place) for u in resolved):
                return True
    return False


# --------------------------------------------------------------------------
# Mentions in running text

_HAN = regex.compile(r"\p{Han}")
_TITLE = regex.compile(r"《[^《》]*》")
_PLACE_LEVELS = ("autonomous_region", "prefecture", "county", "corps", "division")
_GROUP_IN_NAME = "（集团）"  # "新疆闽新钢铁（集团）有限公司"
# What ends an enterprise name, looking back from its suffix: a character no
# name holds, but not the parentheses of "（集团）". Searched right to left.
_NAME_BREAK = regex.compile(rf"(?r){regex.escape(_GROUP_IN_NAME)}|[^\p{{Han}}A-Za-z]")
_ENTERPRISE_WINDOW = 30  # longest enterprise name looked for, in characters


def find_mentioned_units(text: str, gazetteer: Gazetteer | None = None) -> tuple[Mention, ...]:
    """Units and enterprises named in running text, in order, not overlapping.

    Units: the longest gazetteer name at each place — a collective phrase
    that names its region, or a region (never a short form: "喀什东路" is a
    road) with the organ or department after it ("自治区发展改革委组织…").
    A department without its region is taken only when it is a 厅, which
    only the autonomous region has ("组织农业农村厅、水利厅"). Enterprises:
    a name ending in 公司/有限公司/集团/厂 … (mentions.toml), back to the
    nearest punctuation, unit name or word of ``before``. Text inside 《》
    (titles of documents and standards) is skipped.
    """
    gz = gazetteer or load_gazetteer()
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)] if "《" in text else []
    units = _unit_mentions(text, gz, titles)
    enterprises = _enterprise_mentions(text, gz, titles, units)
    return tuple(sorted(units + enterprises, key=lambda m: m.start))


def _in_titles(pos: int, titles: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in titles)


def _unit_mentions(text: str, gz: Gazetteer, titles) -> list[Mention]:
    autonomous = next((r for r in gz.regions if r.level == "autonomous_region"), None)
    mentions: list[Mention] = []
    taken = 0  # the end of the last mention: mentions do not overlap
    for start in _mention_starts(gz).finditer(text):
        pos = start.start()
        if pos < taken or _in_titles(pos, titles):
            continue
        mention = _collective_at(text, pos, gz) or _region_mention_at(text, pos, gz)
        if mention is None and autonomous is not None:
            mention = _hall_at(text, pos, gz, autonomous)
        if mention is not None:
            mentions.append(mention)
            taken = mention.end
    return mentions


@lru_cache(maxsize=8)
def _mention_starts(gz: Gazetteer) -> re.Pattern:
    """Where a unit mention can begin: a region alias (no short form), a
    collective phrase, or a department of the autonomous region ending in 厅
    (the one kind of department taken without its region, see _hall_at)."""
    halls = (alias for alias in gz.department_aliases("region") if alias.endswith("厅"))
    return starts_pattern((*gz.region_aliases(running_text=True), *gz.collective_phrases(), *halls))


def _collective_at(text: str, pos: int, gz: Gazetteer) -> Mention | None:
    found = gz.collective_at(text, pos)
    if found is None:
        return None
    collective, end = found
    if collective.region is None:
        return None  # "有关部门" in running text names nobody in particular
    return Mention(text[pos:end], collective.name, "collective", collective.region, pos, end,
                   place=collective.region, collective=True)


def _region_mention_at(text: str, pos: int, gz: Gazetteer) -> Mention | None:
    found = gz.region_at(text, pos, running_text=True)
    if found is None:
        return None
    region, end = found
    for dept, dend in gz.departments_at(region.scope, text, end):
        return Mention(text[pos:dend], dept.unit_name(region), "department", region.top, pos, dend,
                       place=region.name, organ=dept.name)
    for alias in _organ_aliases(gz):
        if not text.startswith(alias, end):
            continue
        after = text[end + len(alias) : end + len(alias) + 1]
        # A one-character organ only where a name ends: "市委、政府" but not "市委托".
        if len(alias) == 1 and _HAN.match(after) and after not in "、和及与":
            continue
        organ = gz.party_name if alias in gz.party_aliases else region.government
        if organ is None:
            continue
        oend = end + len(alias)
        return Mention(text[pos:oend], region.name + organ, region.level, region.top, pos, oend,
                       place=region.name, organ=organ)
    return Mention(text[pos:end], region.name, region.level, region.top, pos, end, place=region.name)


def _hall_at(text: str, pos: int, gz: Gazetteer, autonomous: Region) -> Mention | None:
    for dept, end in gz.departments_at("region", text, pos):
        if text[pos:end].endswith("厅"):
            return Mention(text[pos:end], dept.unit_name(autonomous), "department", autonomous.top, pos, end,
                           place=autonomous.name, organ=dept.name)
    return None


def _enterprise_mentions(text: str, gz: Gazetteer, titles, units: list[Mention]) -> list[Mention]:
    rules = gz.enterprise
    if not any(suffix in text for suffix in rules.suffixes):
        return []  # most texts: no need to search
    pattern = _enterprise_end(rules)
    unit_at_end = {m.end: m for m in units}
    mentions: list[Mention] = []
    floor = 0
    for m in pattern.finditer(text):
        if (
            _in_titles(m.start(), titles)
            or any(u.start <= m.start() < u.end for u in units)
            or _in_not_word(text, m.start(), m.end(), rules.not_words)
        ):
            continue
        start = _name_start(text, m.start(), max(floor, m.start() - _ENTERPRISE_WINDOW), gz, units)
        name = text[start : m.end()]
        if start == m.start() or name in rules.not_names:
            continue
        # A region named right before it locates it ("昌吉州宝明矿业公司").
        before = unit_at_end.get(start)
        located = before is not None and before.level in _PLACE_LEVELS and before.organ is None
        mentions.append(
            Mention(name, name, "enterprise", before.region if located else None, start, m.end(),
                    place=before.place if located else None)
        )
        floor = m.end()
    return mentions


@lru_cache(maxsize=8)
def _enterprise_end(rules: EnterpriseRules) -> regex.Pattern:
    """Where an enterprise name ends: a suffix; "集团有限公司" and
    "（集团）有限公司" end one name."""
    suffix = "|".join(map(regex.escape, rules.suffixes))
    return regex.compile(rf"(?:{regex.escape(_GROUP_IN_NAME)}|集团)?(?:{suffix})")


@lru_cache(maxsize=8)
def _organ_aliases(gz: Gazetteer) -> tuple[str, ...]:
    """The party's and the government's aliases, longest first."""
    return tuple(sorted(gz.party_aliases + gz.government_aliases, key=len, reverse=True))


def _in_not_word(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    for word in words:
        at = text.find(word, max(0, start - len(word) + 1), end + len(word) - 1)
        if at != -1 and at < end and at + len(word) > start:
            return True
    return False


def _name_start(text: str, suffix_start: int, floor: int, gz: Gazetteer, units: list[Mention]) -> int:
    """Where an enterprise name ending at suffix_start begins: after the
    nearest character that is no part of a name, unit mention or word of
    ``before``; a joiner ("和") in front is dropped."""
    start = floor
    # Right to left; a "（集团）" that ends at or after floor is passed over whole.
    for m in _NAME_BREAK.finditer(text, max(0, floor - len(_GROUP_IN_NAME) + 1), suffix_start):
        if m.end() <= floor:
            break
        if m.group() != _GROUP_IN_NAME:
            start = m.end()
            break
    for unit in units:
        if start <= unit.end <= suffix_start:
            start = unit.end
    window = set(text[start:suffix_start])
    for word in gz.enterprise.before:
        if word[0] not in window:
            continue  # not in the window: no need to search
        at = text.rfind(word, start, suffix_start)
        if at != -1:
            start = at + len(word)
    for joiner in gz.enterprise.joiners:
        if text.startswith(joiner, start) and gz.region_at(text, start) is None:
            start += len(joiner)
            break
    return start
