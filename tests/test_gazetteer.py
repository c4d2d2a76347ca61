"""The gazetteer (normalize/data/units/*.toml, normalize/gazetteer.py).

Every entry is resolved by a test generated from the loaded gazetteer: each
name and short form of each region, each division form, each department
alias and stem, each collective phrase and rule. A new entry is covered
without a new test. The counts and the uncertain entries are pinned so that
an accidental deletion shows.
"""

from __future__ import annotations


import pytest
import regex

from zhenggai.normalize.gazetteer import fold, load_gazetteer, starts_pattern
from zhenggai.normalize.units import resolve_units

from .conftest import CORPUS_FILES, PREFECTURES

GZ = load_gazetteer()
REGION = next(r for r in GZ.regions if r.level == "autonomous_region")
CORPS = next(r for r in GZ.regions if r.level == "corps")
# A region whose departments are the shared local list, to name them by.
LOCAL = GZ.region("昌吉州")


def _only(raw: str):
    resolution = resolve_units(raw)
    assert resolution.warnings == (), resolution.warnings
    assert len(resolution.units) == 1, resolution.units
    return resolution.units[0]


# ---------------------------------------------------------------------------
# Regions


@pytest.mark.parametrize(
    "alias,region",
    [(alias, r) for r in GZ.regions for alias in r.aliases + r.short],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_region_name_resolves(alias, region):
    unit = _only(alias)
    assert (unit.name, unit.level, unit.place) == (region.name, region.level, region.name)
    assert unit.region == region.top


@pytest.mark.parametrize("region", GZ.regions, ids=lambda r: r.name)
def test_every_region_has_its_party_committee_and_government(region):
    units = resolve_units(f"{region.name}党委、政府")
    party = units.units[0]
    assert (party.name, party.level, party.organ) == (region.name + "党委", region.level, "党委")
    government = units.units[1]
    if region.government is None:  # the Corps and its divisions have no 人民政府
        assert government.level == "other" and len(units.warnings) == 1
    else:
        assert (government.name, government.organ) == (region.name + region.government, region.government)


def test_fourteen_prefectures():
    assert [r.name for r in GZ.prefectures] == PREFECTURES
    # A 地区's government is its 行署; the others' their 人民政府.
    assert {r.name for r in GZ.prefectures if r.government == "行政公署"} == {
        "阿克苏地区",
        "喀什地区",
        "和田地区",
        "塔城地区",
        "阿勒泰地区",
    }
    # 塔城 and 阿勒泰 are prefectures here, not parts of 伊犁州.
    assert {r.parent for r in GZ.prefectures} == {"新疆维吾尔自治区"}


# County-level divisions per prefecture, as of 2022; 和田地区's two counties
# of 2024 are listed apart, as not certain.
COUNTY_COUNTS = {
    "乌鲁木齐市": 8,
    "克拉玛依市": 4,
    "吐鲁番市": 3,
    "哈密市": 3,
    "昌吉回族自治州": 7,
    "博尔塔拉蒙古自治州": 4,
    "巴音郭楞蒙古自治州": 9,
    "阿克苏地区": 9,
    "克孜勒苏柯尔克孜自治州": 4,
    "喀什地区": 12,
    "和田地区": 8,
    "伊犁哈萨克自治州": 11,
    "塔城地区": 7,
    "阿勒泰地区": 7,
}
UNCERTAIN = {"和安县", "和康县", "新疆维吾尔自治区能源局", "新疆生产建设兵团文化体育广电和旅游局"}


def test_county_counts():
    counties = [r for r in GZ.regions if r.level == "county" and r.certain]
    assert {p: sum(c.parent == p for c in counties) for p in COUNTY_COUNTS} == COUNTY_COUNTS
    assert len(counties) == sum(COUNTY_COUNTS.values())


def test_uncertain_entries_are_the_ones_we_know():
    uncertain = {r.name for r in GZ.regions if not r.certain}
    uncertain |= {d.unit_name(REGION if d.scope == "region" else CORPS) for d in GZ.departments if not d.certain}
    assert uncertain == UNCERTAIN


@pytest.mark.parametrize(
    "county,prefecture",
    [
        ("米东区", "乌鲁木齐市"),
        ("阜康市", "昌吉回族自治州"),
        ("昌吉市", "昌吉回族自治州"),
        ("木垒县", "昌吉回族自治州"),
        ("奎屯市", "伊犁哈萨克自治州"),
        ("伊宁县", "伊犁哈萨克自治州"),
        ("拜城县", "阿克苏地区"),
        ("库车市", "阿克苏地区"),
        ("轮台县", "巴音郭楞蒙古自治州"),
        ("和静县", "巴音郭楞蒙古自治州"),
        ("哈巴河县", "阿勒泰地区"),
        ("沙湾市", "塔城地区"),
        ("托克逊县", "吐鲁番市"),
        ("鄯善县", "吐鲁番市"),
        ("独山子区", "克拉玛依市"),
    ],
)
def test_county_named_in_the_corpus(county, prefecture):
    unit = _only(county)
    assert (unit.level, unit.region) == ("county", prefecture)


def test_county_kinds_follow_their_names():
    kinds = {r.name: r.kind for r in GZ.regions if r.level == "county"}
    assert kinds["木垒哈萨克自治县"] == "自治县"
    assert kinds["阜康市"] == "县级市"
    assert kinds["米东区"] == "区"
    assert kinds["伊宁县"] == "县"


# ---------------------------------------------------------------------------
# The Corps

DIVISION_CITIES = {
    "第一师": "阿拉尔市",
    "第二师": "铁门关市",
    "第三师": "图木舒克市",
    "第四师": "可克达拉市",
    "第五师": "双河市",
    "第六师": "五家渠市",
    "第七师": "胡杨河市",
    "第八师": "石河子市",
    "第九师": "白杨市",
    "第十师": "北屯市",
    "第十一师": None,
    "第十二师": None,
    "第十三师": "新星市",
    "第十四师": "昆玉市",
}


def test_fourteen_divisions_and_their_cities():
    assert {d.name.removeprefix(CORPS.name): d.city for d in GZ.divisions} == DIVISION_CITIES
    assert {d.top for d in GZ.divisions} == {"新疆生产建设兵团"}


@pytest.mark.parametrize("form", ["六师", "第六师", "兵团第六师", "六师五家渠市", "第六师五家渠市", "兵团第六师五家渠市", "五家渠市", "农六师"])
def test_division_forms(form):
    unit = _only(form)
    assert (unit.name, unit.level, unit.city) == ("新疆生产建设兵团第六师", "division", "五家渠市")


def test_construction_division():
    assert _only("建工师").name == "新疆生产建设兵团第十一师"


# ---------------------------------------------------------------------------
# Departments


def _holder(scope: str):
    return {"region": ("自治区", REGION), "corps": ("兵团", CORPS), "local": ("昌吉州", LOCAL)}[scope]


@pytest.mark.parametrize(
    "alias,dept",
    [(alias, d) for d in GZ.departments for alias in d.aliases],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_department_alias_resolves(alias, dept):
    prefix, region = _holder(dept.scope)
    unit = _only(prefix + alias)
    assert (unit.name, unit.level, unit.organ, unit.region) == (dept.unit_name(region), "department", dept.name, region.top)
    # Carried from the item before it, too.
    first, second = resolve_units(f"{prefix}统计局、{alias}").units
    assert second.name == dept.unit_name(region)


@pytest.mark.parametrize(
    "stem,dept",
    [(stem, d) for d in GZ.departments for stem in d.stems],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_department_stem_names_it_in_a_collective(stem, dept):
    prefix, region = _holder(dept.scope)
    unit = _only(f"{prefix}{stem}等部门")
    assert unit.collective and unit.members == (dept.unit_name(region),)


# Every department the corpus plan and the two progress reports name, as
# printed (progress reports: 001 昌吉州, 002 吐鲁番市).
CORPUS_DEPARTMENTS = [
    "自治区党委办公厅",
    "自治区人民政府办公厅",
    "自治区发改委",
    "自治区发展改革委",
    "自治区工信厅",
    "自治区生态环境厅",
    "自治区审计厅",
    "自治区统计局",
    "自治区自然资源厅",
    "自治区水利厅",
    "自治区农业农村厅",
    "自治区住建厅",
    "自治区林草局",
    "自治区林业和草原局",
    "自治区商务厅",
    "自治区市场监管局",
    "自治区公安厅",
    "自治区交通运输厅",
    "自治区河湖长制办公室",
    "新疆塔里木河流域管理局",
    "新疆玛纳斯河流域管理局",
    "新疆喀什噶尔河流域管理局",
    "兵团生态环境局",
    "兵团发展改革委",
    "兵团商务局",
    "兵团水利局",
    "兵团住房和城乡建设局",
    "兵团工业和信息化局",
    "兵团公安局",
    "兵团交通运输局",
    "兵团林业和草原局",
    "兵团环境保护委员会",
    "兵团环境保护委员会办公室",
    "兵团生态环境保护督察工作领导小组办公室",
    "兵团第八师石河子市水利局",
    "第八师石河子市河长办",
    "石河子市水利工程管理服务中心",
    "第六师五家渠市污染源监控中心",
    "昌吉州水利局",
    "昌吉州林草局",
    "昌吉州水资源管理委员会",
    "昌吉州重污染天气应急指挥部办公室",
    "昌吉州环境保护委员会",
    "阜康市大气污染防治指挥中心",
    "吐鲁番市生态环境保护委员会",
]


@pytest.mark.parametrize("raw", CORPUS_DEPARTMENTS)
def test_corpus_department(raw):
    unit = _only(raw)
    assert unit.level == "department" and unit.known


def test_corpus_departments_are_in_the_list():
    """Scan the plan and both progress reports for "自治区…厅/局/委" and
    "兵团…局/委" and check each one found is resolved."""
    files = [CORPUS_FILES[stem] for stem in CORPUS_FILES if stem[:4] in ("000_", "001_", "002_")]
    if len(files) < 3:
        pytest.skip("corpus not available")
    found = set()
    for f in files:
        text = regex.sub(r"\s", "", f.read_text(encoding="utf-8"))
        found |= set(regex.findall(r"(?:自治区|兵团)[\p{Han}]{1,12}?(?:厅|局|委|办公室)(?![\p{Han}]*?(?:厅|局))", text))
    for raw in sorted(found):
        resolution = resolve_units(raw)
        # Phrases the pattern catches that are no department ("自治区实行最严格水资源管理制度考核办")
        # are left; what ends in a department name must resolve.
        if any(raw.endswith(a) for d in GZ.departments for a in d.aliases):
            assert any(u.level == "department" for u in resolution.units), raw


# ---------------------------------------------------------------------------
# Collectives


@pytest.mark.parametrize(
    "phrase,collective",
    [(p, c) for c in GZ.collectives for p in c.phrases],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_collective_phrase(phrase, collective):
    unit = _only(phrase)
    assert unit.collective and unit.level == "collective"
    assert (unit.name, unit.members, unit.region) == (collective.name, collective.members, collective.region)


@pytest.mark.parametrize("suffix", GZ.distributing_suffixes)
def test_every_distributing_suffix(suffix):
    unit = _only(f"自治区水利厅、发改委{suffix}")
    assert unit.collective and not unit.members_complete
    assert unit.members == ("新疆维吾尔自治区水利厅", "新疆维吾尔自治区发展和改革委员会")
    assert unit.region == "新疆维吾尔自治区"


@pytest.mark.parametrize("suffix", GZ.own_suffixes)
def test_every_own_suffix(suffix):
    unit = _only(f"昌吉州{suffix}")
    assert unit.collective and unit.members == () and unit.region == "昌吉回族自治州"
    # It binds only its own item.
    first, second = resolve_units(f"自治区水利厅，昌吉州{suffix}").units
    assert first.name == "新疆维吾尔自治区水利厅" and second.collective


@pytest.mark.parametrize("prefix", list(GZ.prefixes))
def test_every_collective_prefix(prefix):
    unit = _only(f"{prefix}水利等相关部门")
    expected = tuple(
        GZ.department_by_stem(GZ.region(r).scope, "水利").unit_name(GZ.region(r)) for r in GZ.prefixes[prefix]
    )
    assert unit.collective and unit.members == expected


# ---------------------------------------------------------------------------
# Loading: a user's file, and the checks


def test_a_user_file_extends_the_gazetteer(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text(
        """
[[region]]
name = "昌吉回族自治州"
kind = "自治州"
short = ["昌吉"]
counties = [{ name = "玛纳斯县", aliases = ["玛县"] }]

[[local_department]]
name = "水务局"

[[region_department]]
name = "发展和改革委员会"
aliases = ["发展和改革委"]

[[collective]]
name = "各县市"
phrases = ["各县（市）"]
""",
        encoding="utf-8",
    )
    gz = load_gazetteer(extra_paths=[user])
    assert resolve_units("昌吉水务局", gz).units[0].name == "昌吉回族自治州水务局"
    assert resolve_units("玛县", gz).units[0].name == "玛纳斯县"
    assert resolve_units("各县（市）", gz).units[0].collective
    # The packaged entries stay, and the packaged gazetteer is unchanged.
    assert resolve_units("昌吉州", gz).units[0].name == "昌吉回族自治州"
    assert resolve_units("自治区发改委", gz).units[0].name == "新疆维吾尔自治区发展和改革委员会"
    assert resolve_units("昌吉水务局").warnings
    assert len(gz.regions) == len(GZ.regions)


@pytest.mark.parametrize(
    "text,message",
    [
        ('[[region]]\nname = "假州"\nkind = "自治州"\naliases = ["昌吉州"]\n', "names both"),
        ('[[local_department]]\nname = "水务局"\naliases = ["水利局"]\n', "names both"),
        ('[[region]]\nname = "假州"\nkind = "省"\n', "unknown kind"),
        ('[[region]]\nname = "假州"\nkind = "自治州"\ncolour = "red"\n', "unknown key"),
        ("[towns]\n", "unknown section"),
        ('[[collective]]\nname = "各乡"\nmembers = "townships"\n', "members must be"),
        ('[prefixes]\n"省地" = ["河西省"]\n', "unknown region"),
    ],
)
def test_bad_user_files_are_refused(tmp_path, text, message):
    user = tmp_path / "bad.toml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_gazetteer(extra_paths=[user])


def test_packaged_gazetteer_is_loaded_once():
    assert load_gazetteer() is load_gazetteer()


def test_names_are_folded():
    assert fold(" 政府(行署) ") == "政府（行署）"
    assert GZ.collective("各地(州、市)党委、政府(行署)") is GZ.collective("各地（州、市）党委、政府（行署）")


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\u3000", "\xa0", "\u2003"])
def test_fold_removes_every_kind_of_whitespace(space):
    assert fold(f"昌吉州{space}党委") == "昌吉州党委"


def test_fold_keeps_the_separators_that_are_no_whitespace():
    # str.isspace() counts U+001C–U+001F, regex's \s does not: fold's fast
    # path (names without whitespace) must keep the regex's meaning.
    assert fold("昌吉\x1c州") == "昌吉\x1c州"


def test_names_at_a_place_are_found_longest_first():
    found = [(region.name, end) for region, end in GZ.regions_at("兵团第六师五家渠市")]
    assert found == [("新疆生产建设兵团第六师", 9), ("新疆生产建设兵团第六师", 5), ("新疆生产建设兵团", 2)]
    assert GZ.region_at("兵团第六师五家渠市") == (GZ.region("兵团第六师"), 9)
    assert GZ.region_at("昌吉州", 3) is None  # past the end: nothing, no error


def test_starts_pattern_finds_every_place_a_name_begins():
    # Overlapping names each give their place; a name inside a longer one too.
    pattern = starts_pattern(["昌吉", "昌吉州", "州党委", "吉木萨尔县"])
    assert [m.start() for m in pattern.finditer("昌吉州党委和吉木萨尔县")] == [0, 2, 6]
    assert list(starts_pattern([]).finditer("昌吉州")) == []
