"""The gazetteer: regions, Corps divisions, departments and collective
phrases that unit fields (责任单位, 验收单位 …) name.

All of it is data in ``data/units/*.toml`` (see the comments there); this
module only reads, checks and indexes it. ``load_gazetteer()`` returns the
packaged gazetteer (loaded once); ``load_gazetteer(extra_paths=[...])`` adds
a user's files, which use the same sections: a new entry is added, an entry
with the name of an existing one extends it (more aliases, counties …).

Names are compared after :func:`fold` (ASCII parentheses made full-width,
whitespace removed), so "政府(行署)" and "政府（行署）" are one name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Generic, Literal, TypeVar, get_args

import regex

from ..model import UnitLevel as Level

__all__ = [
    "LEVELS",
    "Collective",
    "Department",
    "EnterpriseRules",
    "Gazetteer",
    "Level",
    "Region",
    "Scope",
    "fold",
    "load_gazetteer",
    "starts_pattern",
]

# The model says what a unit level is; the gazetteer only uses it.
LEVELS: tuple[str, ...] = get_args(Level)

# Whose departments a region has: the autonomous region's (厅 …), the Corps'
# (局 …), or the shared list of prefectures, counties and divisions.
Scope = Literal["region", "corps", "local"]
_SCOPE_SECTIONS: dict[str, Scope] = {
    "region_department": "region",
    "corps_department": "corps",
    "local_department": "local",
}

_SPACE = regex.compile(r"\s+")


def fold(text: str) -> str:
    """The form names are compared in: full-width parentheses, no whitespace
    (PDF extraction leaves stray spaces inside names)."""
    text = text.replace("(", "（").replace(")", "）")  # cheaper than translate
    if text.split() == [text]:
        return text  # no whitespace: the common case, without the regex
    return _SPACE.sub("", text)


# --------------------------------------------------------------------------
# Entries


@dataclass(frozen=True)
class Region:
    """A region, the Corps or a Corps division.

    ``aliases`` holds the canonical name first, then the names safe to look
    for in running text; ``short`` the forms read only inside unit fields.
    ``top`` is the region a unit of this region is reported under: the
    region itself for the autonomous region, a prefecture and the Corps; the
    prefecture for a county; the Corps for a division.
    """

    name: str
    kind: str
    level: Level
    parent: str | None
    top: str
    aliases: tuple[str, ...]
    short: tuple[str, ...] = ()
    government: str | None = None  # 人民政府 / 行政公署; None: has none (the Corps)
    city: str | None = None  # a division's city under 师市合一
    certain: bool = True
    note: str = ""

    @property
    def scope(self) -> Scope:
        if self.level == "autonomous_region":
            return "region"
        if self.level == "corps":
            return "corps"
        return "local"


@dataclass(frozen=True)
class Department:
    """A department; its unit name is ``full_name`` or region name + ``name``."""

    name: str
    scope: Scope
    aliases: tuple[str, ...]  # the name first
    stems: tuple[str, ...] = ()
    party: bool = False
    full_name: str | None = None
    certain: bool = True

    def unit_name(self, region: Region) -> str:
        return self.full_name or region.name + self.name


@dataclass(frozen=True)
class Collective:
    """A phrase that names a set of units. ``members`` are canonical names;
    ``complete`` says they are all of them (empty members: not known)."""

    name: str
    phrases: tuple[str, ...]  # folded, the name first
    region: str | None
    members: tuple[str, ...] = ()
    complete: bool = False


@dataclass(frozen=True)
class EnterpriseRules:
    """How enterprise names are found in running text (data/units/mentions.toml)."""

    suffixes: tuple[str, ...]  # longest first
    before: tuple[str, ...]
    joiners: tuple[str, ...]
    not_words: tuple[str, ...]
    not_names: frozenset[str]


# eq=False: a gazetteer is compared (and hashed, for caches) by identity.
@dataclass(frozen=True, eq=False)
class Gazetteer:
    regions: tuple[Region, ...]
    departments: tuple[Department, ...]
    collectives: tuple[Collective, ...]
    party_name: str
    party_aliases: tuple[str, ...]
    government_aliases: tuple[str, ...]
    distributing_suffixes: tuple[str, ...]  # longest first
    own_suffixes: tuple[str, ...]  # longest first
    prefixes: Mapping[str, tuple[str, ...]]  # "兵地" → canonical region names
    enterprise: EnterpriseRules
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index(self))

    # -- regions -------------------------------------------------------------

    def region(self, name: str) -> Region | None:
        """The region, division or Corps a name or any alias (short forms too) names."""
        return self._index.region_of.get(fold(name))

    def regions_at(self, text: str, pos: int = 0, *, running_text: bool = False) -> Iterator[tuple[Region, int]]:
        """Regions whose alias starts ``text`` at ``pos``, longest first, with
        the end of the alias. ``running_text`` leaves out short forms."""
        return (self._index.safe_regions if running_text else self._index.regions).at(text, pos)

    def region_at(self, text: str, pos: int = 0, *, running_text: bool = False) -> tuple[Region, int] | None:
        """The first of :meth:`regions_at`, or None."""
        return (self._index.safe_regions if running_text else self._index.regions).longest_at(text, pos)

    def region_aliases(self, *, running_text: bool = False) -> Collection[str]:
        """Every (folded) region alias; ``running_text`` leaves out short forms."""
        return (self._index.safe_regions if running_text else self._index.regions).value_of.keys()

    @property
    def prefectures(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if r.level == "prefecture")

    @property
    def divisions(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if r.level == "division")

    # -- departments ---------------------------------------------------------

    def department(self, scope: Scope, alias: str) -> Department | None:
        return self._index.department_of.get((scope, fold(alias)))

    def department_by_stem(self, scope: Scope, stem: str) -> Department | None:
        return self._index.stem_of.get((scope, fold(stem)))

    def departments_at(self, scope: Scope, text: str, pos: int = 0) -> Iterator[tuple[Department, int]]:
        """Departments of ``scope`` whose alias starts ``text`` at ``pos``, longest first."""
        return self._index.departments[scope].at(text, pos)

    def department_aliases(self, scope: Scope) -> Collection[str]:
        """Every (folded) department alias of ``scope``."""
        return self._index.departments[scope].value_of.keys()

    # -- collectives ---------------------------------------------------------

    def collective(self, phrase: str) -> Collective | None:
        return self._index.collective_of.get(fold(phrase))

    def collective_at(self, text: str, pos: int = 0) -> tuple[Collective, int] | None:
        """The collective whose phrase starts ``text`` at ``pos`` (the longest
        phrase), with the end of the phrase; None when none does."""
        return self._index.collectives.longest_at(text, pos)

    def collective_phrases(self) -> Collection[str]:
        """Every (folded) collective phrase."""
        return self._index.collective_of.keys()

    def collective_initials(self) -> Collection[str]:
        """The characters a collective phrase can begin with."""
        return self._index.collectives.initials

    @property
    def collective_parts(self) -> int:
        """The most parts ("、"-separated) a collective phrase has."""
        return self._index.collective_parts


V = TypeVar("V")


class _PrefixTable(Generic[V]):
    """Names and what they name, looked up at a place of a text: only the
    lengths of the names that begin with the character there are tried."""

    def __init__(self, value_of: Mapping[str, V]):
        self.value_of = value_of
        lengths: dict[str, set[int]] = {}
        for name in value_of:
            lengths.setdefault(name[0], set()).add(len(name))
        self._lengths = {initial: tuple(sorted(ls, reverse=True)) for initial, ls in lengths.items()}
        self.initials = self._lengths.keys()

    def at(self, text: str, pos: int) -> Iterator[tuple[V, int]]:
        """The names starting ``text`` at ``pos``, longest first, with their ends."""
        if pos >= len(text):
            return
        room = len(text) - pos
        for length in self._lengths.get(text[pos], ()):
            if length <= room:
                value = self.value_of.get(text[pos : pos + length])
                if value is not None:
                    yield value, pos + length

    def longest_at(self, text: str, pos: int) -> tuple[V, int] | None:
        return next(self.at(text, pos), None)


def starts_pattern(names: Iterable[str]) -> re.Pattern:
    """A pattern matching (empty) where any of ``names`` begins: finditer
    gives every such place of a text, overlapping names too. The names are
    folded into a trie ("自治区(?:党委|…)") behind a class of their first
    characters, so that most places of a text are passed over at once; the
    standard ``re`` engine does that skip, ``regex`` does not."""
    trie: dict = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        if "" in node:
            return ""  # a name ends here: what follows does not matter
        alternatives = [re.escape(char) + branch(child) for char, child in sorted(node.items())]
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    if not trie:
        return re.compile("(?!)")
    initials = "".join(re.escape(char) for char in sorted(trie))
    return re.compile(f"(?=[{initials}])(?={branch(trie)})")


class _Index:
    """Lookup tables; building them checks that no name means two things."""

    def __init__(self, gz: Gazetteer):
        self.region_of: dict[str, Region] = {}
        self.safe_region_of: dict[str, Region] = {}
        for region in gz.regions:
            for alias in region.aliases:
                _claim(self.region_of, fold(alias), region, "region name")
                self.safe_region_of[fold(alias)] = region
            for alias in region.short:
                _claim(self.region_of, fold(alias), region, "region name")
        self.regions = _PrefixTable(self.region_of)
        self.safe_regions = _PrefixTable(self.safe_region_of)

        self.department_of: dict[tuple[str, str], Department] = {}
        self.stem_of: dict[tuple[str, str], Department] = {}
        for dept in gz.departments:
            for alias in dept.aliases:
                _claim(self.department_of, (dept.scope, fold(alias)), dept, f"{dept.scope} department name")
            for stem in dept.stems:
                _claim(self.stem_of, (dept.scope, fold(stem)), dept, f"{dept.scope} department stem")
        self.departments = {
            scope: _PrefixTable({alias: dept for (s, alias), dept in self.department_of.items() if s == scope})
            for scope in get_args(Scope)
        }

        self.collective_of: dict[str, Collective] = {}
        for collective in gz.collectives:
            for phrase in collective.phrases:
                _claim(self.collective_of, phrase, collective, "collective phrase")
        self.collectives = _PrefixTable(self.collective_of)
        self.collective_parts = max((phrase.count("、") + 1 for phrase in self.collective_of), default=0)


def _claim(index: dict, key, value, what: str) -> None:
    old = index.get(key)
    if old is not None and old != value:
        raise ValueError(f"{what} {key!r} names both {old.name!r} and {value.name!r}")
    index[key] = value


# --------------------------------------------------------------------------
# Loading


def load_gazetteer(extra_paths: Iterable[Path | str] = ()) -> Gazetteer:
    """The packaged gazetteer, extended by the TOML files in ``extra_paths``.

    Raises ValueError on an unknown section or key, a bad value, or a name
    that would mean two different things.
    """
    extra_paths = tuple(extra_paths)
    if not extra_paths:
        return _packaged()
    data = _packaged_data()
    for path in extra_paths:
        path = Path(path)
        data = _merge(data, _check_sections(tomllib.loads(path.read_text(encoding="utf-8")), str(path)))
    return _build(data, "user gazetteer")


@lru_cache(maxsize=1)
def _packaged_texts() -> tuple[tuple[str, str], ...]:
    folder = resources.files(__package__).joinpath("data/units")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return tuple((f.name, f.read_text(encoding="utf-8")) for f in files)


def _packaged_data() -> dict:
    data: dict = {}
    for name, text in _packaged_texts():
        data = _merge(data, _check_sections(tomllib.loads(text), name))
    return data


@lru_cache(maxsize=1)
def _packaged() -> Gazetteer:
    return _build(_packaged_data(), "data/units")


_SECTIONS = {
    "kinds",
    "organs",
    "region",
    "corps",
    "division",
    "region_department",
    "corps_department",
    "local_department",
    "collective",
    "suffixes",
    "prefixes",
    "enterprise",
}


def _check_sections(data: dict, where: str) -> dict:
    unknown = set(data) - _SECTIONS
    if unknown:
        raise ValueError(f"{where}: unknown section(s) {sorted(unknown)} (known: {sorted(_SECTIONS)})")
    return data


def _merge(base: dict, extra: dict) -> dict:
    """Tables merge key by key; lists of named entries merge entry by entry
    (same name: extended); other lists are joined without repeats."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            if all(isinstance(v, dict) and "name" in v for v in old + value):
                merged = {entry["name"]: entry for entry in old}
                for entry in value:
                    merged[entry["name"]] = _merge(merged[entry["name"]], entry) if entry["name"] in merged else entry
                out[key] = list(merged.values())
            else:
                out[key] = old + [v for v in value if v not in old]
        else:
            out[key] = value
    return out


def _keys(entry: dict, allowed: set[str], required: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)} (known: {sorted(allowed)})")
    missing = required - set(entry)
    if missing:
        raise ValueError(f"{where}: missing key(s) {sorted(missing)}")


def _strings(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(value)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _build(data: dict, where: str) -> Gazetteer:
    kinds = _kinds(data.get("kinds", {}), where)
    regions = _regions(data, kinds, where)
    if not regions:
        raise ValueError(f"{where}: no regions")
    by_alias = {fold(a): r for r in regions for a in r.aliases + r.short}
    organs = data.get("organs", {})
    _keys(organs, {"party", "government"}, {"party", "government"}, f"{where} [organs]")
    _keys(organs["party"], {"name", "aliases"}, {"name", "aliases"}, f"{where} [organs.party]")
    _keys(organs["government"], {"aliases"}, {"aliases"}, f"{where} [organs.government]")
    suffixes = data.get("suffixes", {})
    _keys(suffixes, {"distributing", "own"}, set(), f"{where} [suffixes]")
    prefixes = {}
    for prefix, names in data.get("prefixes", {}).items():
        resolved = []
        for name in _strings(names, f"{where} [prefixes] {prefix}"):
            if fold(name) not in by_alias:
                raise ValueError(f"{where} [prefixes] {prefix}: unknown region {name!r}")
            resolved.append(by_alias[fold(name)].name)
        prefixes[fold(prefix)] = tuple(resolved)
    enterprise = data.get("enterprise", {})
    enterprise_keys = {"suffixes", "before", "joiners", "not_words", "not_names"}
    _keys(enterprise, enterprise_keys, {"suffixes"}, f"{where} [enterprise]")
    return Gazetteer(
        regions=regions,
        departments=_departments(data, where),
        collectives=_collectives(data.get("collective", []), regions, by_alias, where),
        party_name=organs["party"]["name"],
        party_aliases=tuple(fold(a) for a in _strings(organs["party"]["aliases"], f"{where} party")),
        government_aliases=tuple(fold(a) for a in _strings(organs["government"]["aliases"], f"{where} government")),
        distributing_suffixes=_longest_first(suffixes.get("distributing", [])),
        own_suffixes=_longest_first(suffixes.get("own", [])),
        prefixes=prefixes,
        enterprise=EnterpriseRules(
            suffixes=_longest_first(enterprise.get("suffixes", [])),
            before=_longest_first(enterprise.get("before", [])),
            joiners=_longest_first(enterprise.get("joiners", [])),
            not_words=_longest_first(enterprise.get("not_words", [])),
            not_names=frozenset(fold(n) for n in enterprise.get("not_names", [])),
        ),
    )


def _longest_first(values) -> tuple[str, ...]:
    if not values:
        return ()
    return tuple(sorted(_unique(fold(v) for v in _strings(values, "list")), key=len, reverse=True))


def _kinds(data: dict, where: str) -> dict[str, tuple[str, str | None]]:
    kinds = {}
    for kind, spec in data.items():
        _keys(spec, {"level", "government"}, {"level"}, f"{where} [kinds] {kind}")
        if spec["level"] not in LEVELS:
            raise ValueError(f"{where} [kinds] {kind}: unknown level {spec['level']!r} (known: {', '.join(LEVELS)})")
        kinds[kind] = (spec["level"], spec.get("government"))
    return kinds


# The ending of a county-level name gives its kind ("木垒哈萨克自治县" → 自治县).
_COUNTY_ENDINGS = (("自治县", "自治县"), ("县", "县"), ("区", "区"), ("市", "县级市"))


def _regions(data: dict, kinds: dict, where: str) -> tuple[Region, ...]:
    regions: list[Region] = []

    def add(name, kind, parent, top, aliases=(), short=(), city=None, certain=True, note="", *, at):
        if kind not in kinds:
            raise ValueError(f"{at}: unknown kind {kind!r} (known: {', '.join(kinds)})")
        level, government = kinds[kind]
        regions.append(
            Region(
                name=name,
                kind=kind,
                level=level,
                parent=parent,
                top=top or name,
                aliases=_unique((name, *aliases)),
                short=tuple(s for s in _unique(short) if s not in aliases and s != name),
                government=government,
                city=city,
                certain=certain,
                note=note,
            )
        )
        return regions[-1]

    region_keys = {"name", "kind", "parent", "aliases", "short", "counties", "certain", "note"}
    county_keys = {"name", "kind", "aliases", "short", "certain", "note"}
    for entry in data.get("region", []):
        at = f"{where} region {entry.get('name')!r}"
        _keys(entry, region_keys, {"name", "kind"}, at)
        region = add(
            entry["name"],
            entry["kind"],
            entry.get("parent"),
            None,
            _strings(entry.get("aliases", []), at) if entry.get("aliases") else (),
            _strings(entry.get("short", []), at) if entry.get("short") else (),
            certain=entry.get("certain", True),
            note=entry.get("note", ""),
            at=at,
        )
        if region.level == "county":
            raise ValueError(f"{at}: a county belongs in the `counties` of its prefecture")
        counties: dict[str, dict] = {}
        for county in entry.get("counties", []):
            county = {"name": county} if isinstance(county, str) else county
            cat = f"{at} county {county.get('name')!r}"
            _keys(county, county_keys, {"name"}, cat)
            counties[county["name"]] = _merge(counties.get(county["name"], {}), county)
        for county in counties.values():
            cat = f"{at} county {county['name']!r}"
            kind = county.get("kind") or next((k for end, k in _COUNTY_ENDINGS if county["name"].endswith(end)), None)
            add(
                county["name"],
                kind,
                region.name,
                region.name,
                _strings(county.get("aliases", []), cat) if county.get("aliases") else (),
                _strings(county.get("short", []), cat) if county.get("short") else (),
                certain=county.get("certain", True),
                note=county.get("note", ""),
                at=cat,
            )

    corps = data.get("corps")
    if corps:
        at = f"{where} [corps]"
        _keys(corps, {"name", "aliases", "short"}, {"name"}, at)
        corps_aliases = _strings(corps.get("aliases", []), at) if corps.get("aliases") else ()
        corps_region = add(corps["name"], "兵团", None, None, corps_aliases,
                           _strings(corps.get("short", []), at) if corps.get("short") else (), at=at)
        for entry in data.get("division", []):
            at = f"{where} division {entry.get('name')!r}"
            _keys(entry, {"name", "city", "aliases", "short", "certain", "note"}, {"name"}, at)
            add(
                corps_region.name + entry["name"],
                "师",
                corps_region.name,
                corps_region.name,
                (*_division_forms(entry["name"], entry.get("city"), corps_region),
                 *(_strings(entry["aliases"], at) if entry.get("aliases") else ())),
                _strings(entry.get("short", []), at) if entry.get("short") else (),
                city=entry.get("city"),
                certain=entry.get("certain", True),
                note=entry.get("note", ""),
                at=at,
            )
    elif data.get("division"):
        raise ValueError(f"{where}: divisions without a [corps]")

    names = [r.name for r in regions]
    if len(set(names)) != len(names):
        raise ValueError(f"{where}: a region is listed twice")
    known = set(names)
    for region in regions:
        if region.parent is not None and region.parent not in known:
            raise ValueError(f"{where} region {region.name!r}: unknown parent {region.parent!r}")
    return tuple(regions)


def _division_forms(name: str, city: str | None, corps: Region) -> tuple[str, ...]:
    """The forms 师市合一 names a division by: {兵团, 新疆生产建设兵团, -} ×
    {第六师, 六师} × {五家渠市, -}, and the city alone."""
    bases = [name, name[1:]] if name.startswith("第") else [name]
    heads = ["", *corps.aliases]
    forms = [head + base + tail for head in heads for base in bases for tail in ("", city or "")]
    if city:
        forms.append(city)
    return _unique(forms)


def _departments(data: dict, where: str) -> tuple[Department, ...]:
    departments = []
    allowed = {"name", "aliases", "stems", "party", "full_name", "certain"}
    for section, scope in _SCOPE_SECTIONS.items():
        for entry in data.get(section, []):
            at = f"{where} {section} {entry.get('name')!r}"
            _keys(entry, allowed, {"name"}, at)
            departments.append(
                Department(
                    name=entry["name"],
                    scope=scope,
                    aliases=_unique((entry["name"], *(_strings(entry["aliases"], at) if entry.get("aliases") else ()))),
                    stems=_strings(entry["stems"], at) if entry.get("stems") else (),
                    party=bool(entry.get("party", False)),
                    full_name=entry.get("full_name"),
                    certain=entry.get("certain", True),
                )
            )
    return tuple(departments)


def _collectives(entries: list, regions, by_alias: dict[str, Region], where: str) -> tuple[Collective, ...]:
    groups = {
        "prefectures": tuple(r.name for r in regions if r.level == "prefecture"),
        "divisions": tuple(r.name for r in regions if r.level == "division"),
    }
    out = []
    for entry in entries:
        at = f"{where} collective {entry.get('name')!r}"
        _keys(entry, {"name", "phrases", "region", "members", "complete"}, {"name"}, at)
        region = entry.get("region")
        if region is not None:
            if fold(region) not in by_alias:
                raise ValueError(f"{at}: unknown region {region!r}")
            region = by_alias[fold(region)].name
        members = entry.get("members", ())
        if isinstance(members, str):
            if members not in groups:
                raise ValueError(f"{at}: members must be a list or one of {sorted(groups)}")
            members, complete = groups[members], True
        else:
            members = tuple(
                by_alias[fold(m)].name if fold(m) in by_alias else m for m in _strings(members, at)
            ) if members else ()
            complete = bool(entry.get("complete", bool(members)))
        listed = _strings(entry["phrases"], at) if entry.get("phrases") else ()
        phrases = _unique(fold(p) for p in (entry["name"], *listed))
        out.append(Collective(name=entry["name"], phrases=phrases, region=region, members=members, complete=complete))
    return tuple(out)
