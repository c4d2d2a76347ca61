"""Unit fields: split, expand and resolve (normalize/units.py).

Every distinct responsible (责任单位) and acceptance (验收单位) field of the
corpus plan is in CORPUS_FIELDS with the units it must resolve to, written
out and checked by reading; the rules behind them have one named test each.
Mentions inside measure texts, the rules of data/units/mentions.toml, and
which list-1 issues concern 昌吉州 follow.
"""

from __future__ import annotations


import pytest
import regex

from zhenggai.normalize.gazetteer import fold, load_gazetteer

from .conftest import CORPUS_FILES, PREFECTURES
from zhenggai.normalize.units import (
    ResolvedUnit,
    covers_region,
    find_mentioned_units,
    resolve_units,
)

GZ = load_gazetteer()


def U(name: str, level: str) -> tuple:
    return (name, level, False, None)


def C(name: str, members: list[str]) -> tuple:
    return (name, "collective", True, tuple(members))


def _got(units: tuple[ResolvedUnit, ...]) -> list[tuple]:
    return [(u.name, u.level, u.collective, u.members if u.collective else None) for u in units]


DIVISIONS = [f"新疆生产建设兵团第{n}师" for n in "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四".split()]


def _issues(issues):
    for issue in issues:
        yield issue
        yield from _issues(issue.sub_issues)


# ---------------------------------------------------------------------------
# The corpus plan: every distinct 责任单位 and 验收单位 (lists 1 and 2, and the
# three sub-issues of list 1 issue 十六), in order of first appearance.

CORPUS_FIELDS = {
    "自治区党委办公厅、组织部、宣传部、依法治疆办，自治区人民政府办公厅、发改委、工信厅、生态环境厅、审计厅、统计局，各地（州、市）党委、政府（行署）": [
        U("新疆维吾尔自治区党委办公厅", "department"),
        U("新疆维吾尔自治区党委组织部", "department"),
        U("新疆维吾尔自治区党委宣传部", "department"),
        U("新疆维吾尔自治区党委全面依法治疆委员会办公室", "department"),
        U("新疆维吾尔自治区人民政府办公厅", "department"),
        U("新疆维吾尔自治区发展和改革委员会", "department"),
        U("新疆维吾尔自治区工业和信息化厅", "department"),
        U("新疆维吾尔自治区生态环境厅", "department"),
        U("新疆维吾尔自治区审计厅", "department"),
        U("新疆维吾尔自治区统计局", "department"),
        C("各地（州、市）党委、政府（行署）", PREFECTURES),
    ],
    "自治区党委办公厅、自治区人民政府办公厅": [
        U("新疆维吾尔自治区党委办公厅", "department"),
        U("新疆维吾尔自治区人民政府办公厅", "department"),
    ],
    "昌吉州党委、政府": [
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
    ],
    "自治区发改委、工信厅": [
        U("新疆维吾尔自治区发展和改革委员会", "department"),
        U("新疆维吾尔自治区工业和信息化厅", "department"),
    ],
    "自治区自然资源厅，各地（州、市）党委、政府（行署）": [
        U("新疆维吾尔自治区自然资源厅", "department"),
        C("各地（州、市）党委、政府（行署）", PREFECTURES),
    ],
    "自治区自然资源厅": [
        U("新疆维吾尔自治区自然资源厅", "department"),
    ],
    "自治区发改委，伊犁州、哈密市、昌吉州、巴州、阿克苏地区党委、政府（行署）": [
        U("新疆维吾尔自治区发展和改革委员会", "department"),
        U("伊犁哈萨克自治州党委", "prefecture"),
        U("伊犁哈萨克自治州人民政府", "prefecture"),
        U("哈密市党委", "prefecture"),
        U("哈密市人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("巴音郭楞蒙古自治州党委", "prefecture"),
        U("巴音郭楞蒙古自治州人民政府", "prefecture"),
        U("阿克苏地区党委", "prefecture"),
        U("阿克苏地区行政公署", "prefecture"),
    ],
    "自治区发改委": [
        U("新疆维吾尔自治区发展和改革委员会", "department"),
    ],
    "哈密市委、政府": [
        U("哈密市党委", "prefecture"),
        U("哈密市人民政府", "prefecture"),
    ],
    "自治区工信厅，乌鲁木齐市、昌吉州党委、政府": [
        U("新疆维吾尔自治区工业和信息化厅", "department"),
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
    ],
    "自治区工信厅": [
        U("新疆维吾尔自治区工业和信息化厅", "department"),
    ],
    "巴州党委、政府": [
        U("巴音郭楞蒙古自治州党委", "prefecture"),
        U("巴音郭楞蒙古自治州人民政府", "prefecture"),
    ],
    "自治区工信厅、发改委": [
        U("新疆维吾尔自治区工业和信息化厅", "department"),
        U("新疆维吾尔自治区发展和改革委员会", "department"),
    ],
    "伊犁州党委、政府": [
        U("伊犁哈萨克自治州党委", "prefecture"),
        U("伊犁哈萨克自治州人民政府", "prefecture"),
    ],
    "自治区水利厅，各地（州、市）党委、政府（行署）": [
        U("新疆维吾尔自治区水利厅", "department"),
        C("各地（州、市）党委、政府（行署）", PREFECTURES),
    ],
    "自治区水利厅": [
        U("新疆维吾尔自治区水利厅", "department"),
    ],
    "自治区水利厅、农业农村厅": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("新疆维吾尔自治区农业农村厅", "department"),
    ],
    "自治区水利厅、发改委，各地（州、市）党委、政府（行署）": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("新疆维吾尔自治区发展和改革委员会", "department"),
        C("各地（州、市）党委、政府（行署）", PREFECTURES),
    ],
    "自治区水利厅、发改委": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("新疆维吾尔自治区发展和改革委员会", "department"),
    ],
    "自治区水利厅，伊犁州、博州、阿勒泰地区、塔城地区党委、政府（行署）": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("伊犁哈萨克自治州党委", "prefecture"),
        U("伊犁哈萨克自治州人民政府", "prefecture"),
        U("博尔塔拉蒙古自治州党委", "prefecture"),
        U("博尔塔拉蒙古自治州人民政府", "prefecture"),
        U("阿勒泰地区党委", "prefecture"),
        U("阿勒泰地区行政公署", "prefecture"),
        U("塔城地区党委", "prefecture"),
        U("塔城地区行政公署", "prefecture"),
    ],
    "自治区生态环境厅": [
        U("新疆维吾尔自治区生态环境厅", "department"),
    ],
    "乌鲁木齐市委、政府，兵团第六师": [
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
        U("新疆生产建设兵团第六师", "division"),
    ],
    "自治区住建厅、生态环境厅": [
        U("新疆维吾尔自治区住房和城乡建设厅", "department"),
        U("新疆维吾尔自治区生态环境厅", "department"),
    ],
    "乌鲁木齐市委、政府": [
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
    ],
    "巴州、阿克苏地区、克拉玛依市、吐鲁番市、哈密市党委、政府（行署）": [
        U("巴音郭楞蒙古自治州党委", "prefecture"),
        U("巴音郭楞蒙古自治州人民政府", "prefecture"),
        U("阿克苏地区党委", "prefecture"),
        U("阿克苏地区行政公署", "prefecture"),
        U("克拉玛依市党委", "prefecture"),
        U("克拉玛依市人民政府", "prefecture"),
        U("吐鲁番市党委", "prefecture"),
        U("吐鲁番市人民政府", "prefecture"),
        U("哈密市党委", "prefecture"),
        U("哈密市人民政府", "prefecture"),
    ],
    "各地（州、市）党委、政府（行署）": [
        C("各地（州、市）党委、政府（行署）", PREFECTURES),
    ],
    "自治区林草局、自然资源厅、生态环境厅": [
        U("新疆维吾尔自治区林业和草原局", "department"),
        U("新疆维吾尔自治区自然资源厅", "department"),
        U("新疆维吾尔自治区生态环境厅", "department"),
    ],
    "兵地生态环境、发改、工信等相关部门，乌鲁木齐市、昌吉州党委、政府，兵团第八师、第六师、第十二师": [
        C("兵地生态环境、发改、工信等相关部门", [
            "新疆维吾尔自治区生态环境厅",
            "新疆生产建设兵团生态环境局",
            "新疆维吾尔自治区发展和改革委员会",
            "新疆生产建设兵团发展和改革委员会",
            "新疆维吾尔自治区工业和信息化厅",
            "新疆生产建设兵团工业和信息化局",
        ]),
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("新疆生产建设兵团第八师", "division"),
        U("新疆生产建设兵团第六师", "division"),
        U("新疆生产建设兵团第十二师", "division"),
    ],
    "自治区生态环境厅、兵团生态环境局等部门": [
        C("自治区生态环境厅、兵团生态环境局等部门", ["新疆维吾尔自治区生态环境厅", "新疆生产建设兵团生态环境局"]),
    ],
    "兵地生态环境、发改、工信、住建、公安、交通运输等相关部门，乌鲁木齐市、昌吉州党委、政府，兵团第八师、第六师、第十二师": [
        C("兵地生态环境、发改、工信、住建、公安、交通运输等相关部门", [
            "新疆维吾尔自治区生态环境厅",
            "新疆生产建设兵团生态环境局",
            "新疆维吾尔自治区发展和改革委员会",
            "新疆生产建设兵团发展和改革委员会",
            "新疆维吾尔自治区工业和信息化厅",
            "新疆生产建设兵团工业和信息化局",
            "新疆维吾尔自治区住房和城乡建设厅",
            "新疆生产建设兵团住房和城乡建设局",
            "新疆维吾尔自治区公安厅",
            "新疆生产建设兵团公安局",
            "新疆维吾尔自治区交通运输厅",
            "新疆生产建设兵团交通运输局",
        ]),
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("新疆生产建设兵团第八师", "division"),
        U("新疆生产建设兵团第六师", "division"),
        U("新疆生产建设兵团第十二师", "division"),
    ],
    "自治区生态环境厅，兵团生态环境局": [
        U("新疆维吾尔自治区生态环境厅", "department"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "昌吉州党委、政府，兵团第六师": [
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("新疆生产建设兵团第六师", "division"),
    ],
    "乌鲁木齐市、克拉玛依市委、政府": [
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
        U("克拉玛依市党委", "prefecture"),
        U("克拉玛依市人民政府", "prefecture"),
    ],
    "乌鲁木齐市、昌吉州党委、政府": [
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
    ],
    "乌鲁木齐市、昌吉州党委、政府，兵团第八师、第六师、第十二师": [
        U("乌鲁木齐市党委", "prefecture"),
        U("乌鲁木齐市人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("新疆生产建设兵团第八师", "division"),
        U("新疆生产建设兵团第六师", "division"),
        U("新疆生产建设兵团第十二师", "division"),
    ],
    "自治区自然资源厅、林草局，伊犁州、昌吉州、阿勒泰地区党委、政府（行署）": [
        U("新疆维吾尔自治区自然资源厅", "department"),
        U("新疆维吾尔自治区林业和草原局", "department"),
        U("伊犁哈萨克自治州党委", "prefecture"),
        U("伊犁哈萨克自治州人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("阿勒泰地区党委", "prefecture"),
        U("阿勒泰地区行政公署", "prefecture"),
    ],
    "自治区林草局、自然资源厅": [
        U("新疆维吾尔自治区林业和草原局", "department"),
        U("新疆维吾尔自治区自然资源厅", "department"),
    ],
    "自治区林草局，伊犁州、昌吉州、阿勒泰地区党委、政府（行署）": [
        U("新疆维吾尔自治区林业和草原局", "department"),
        U("伊犁哈萨克自治州党委", "prefecture"),
        U("伊犁哈萨克自治州人民政府", "prefecture"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("阿勒泰地区党委", "prefecture"),
        U("阿勒泰地区行政公署", "prefecture"),
    ],
    "自治区林草局": [
        U("新疆维吾尔自治区林业和草原局", "department"),
    ],
    "塔城地委、行署": [
        U("塔城地区党委", "prefecture"),
        U("塔城地区行政公署", "prefecture"),
    ],
    "自治区林草局、水利厅": [
        U("新疆维吾尔自治区林业和草原局", "department"),
        U("新疆维吾尔自治区水利厅", "department"),
    ],
    "自治区水利厅、林草局，昌吉州党委、政府，兵团第八师": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("新疆维吾尔自治区林业和草原局", "department"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("新疆生产建设兵团第八师", "division"),
    ],
    "自治区水利厅，喀什地区、克州、巴州党委、政府（行署）": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("喀什地区党委", "prefecture"),
        U("喀什地区行政公署", "prefecture"),
        U("克孜勒苏柯尔克孜自治州党委", "prefecture"),
        U("克孜勒苏柯尔克孜自治州人民政府", "prefecture"),
        U("巴音郭楞蒙古自治州党委", "prefecture"),
        U("巴音郭楞蒙古自治州人民政府", "prefecture"),
    ],
    "自治区水利厅，克拉玛依市、塔城地区党委、政府（行署），兵团第七师": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("克拉玛依市党委", "prefecture"),
        U("克拉玛依市人民政府", "prefecture"),
        U("塔城地区党委", "prefecture"),
        U("塔城地区行政公署", "prefecture"),
        U("新疆生产建设兵团第七师", "division"),
    ],
    "伊犁州、博州、克拉玛依市、塔城地区党委、政府（行署），兵团第七师": [
        U("伊犁哈萨克自治州党委", "prefecture"),
        U("伊犁哈萨克自治州人民政府", "prefecture"),
        U("博尔塔拉蒙古自治州党委", "prefecture"),
        U("博尔塔拉蒙古自治州人民政府", "prefecture"),
        U("克拉玛依市党委", "prefecture"),
        U("克拉玛依市人民政府", "prefecture"),
        U("塔城地区党委", "prefecture"),
        U("塔城地区行政公署", "prefecture"),
        U("新疆生产建设兵团第七师", "division"),
    ],
    "自治区水利厅，兵团水利局": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("新疆生产建设兵团水利局", "department"),
    ],
    "自治区水利厅，巴州党委、政府": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("巴音郭楞蒙古自治州党委", "prefecture"),
        U("巴音郭楞蒙古自治州人民政府", "prefecture"),
    ],
    "自治区水利厅，昌吉州、吐鲁番市、塔城地区、伊犁州、阿克苏地区、和田地区党委、政府（行署）": [
        U("新疆维吾尔自治区水利厅", "department"),
        U("昌吉回族自治州党委", "prefecture"),
        U("昌吉回族自治州人民政府", "prefecture"),
        U("吐鲁番市党委", "prefecture"),
        U("吐鲁番市人民政府", "prefecture"),
        U("塔城地区党委", "prefecture"),
        U("塔城地区行政公署", "prefecture"),
        U("伊犁哈萨克自治州党委", "prefecture"),
        U("伊犁哈萨克自治州人民政府", "prefecture"),
        U("阿克苏地区党委", "prefecture"),
        U("阿克苏地区行政公署", "prefecture"),
        U("和田地区党委", "prefecture"),
        U("和田地区行政公署", "prefecture"),
    ],
    "自治区农业农村厅、水利厅，喀什地区、克州党委、政府（行署）": [
        U("新疆维吾尔自治区农业农村厅", "department"),
        U("新疆维吾尔自治区水利厅", "department"),
        U("喀什地区党委", "prefecture"),
        U("喀什地区行政公署", "prefecture"),
        U("克孜勒苏柯尔克孜自治州党委", "prefecture"),
        U("克孜勒苏柯尔克孜自治州人民政府", "prefecture"),
    ],
    "自治区农业农村厅、水利厅": [
        U("新疆维吾尔自治区农业农村厅", "department"),
        U("新疆维吾尔自治区水利厅", "department"),
    ],
    "自治区农业农村厅": [
        U("新疆维吾尔自治区农业农村厅", "department"),
    ],
    "自治区工信厅、商务厅": [
        U("新疆维吾尔自治区工业和信息化厅", "department"),
        U("新疆维吾尔自治区商务厅", "department"),
    ],
    "阿克苏地委、行署": [
        U("阿克苏地区党委", "prefecture"),
        U("阿克苏地区行政公署", "prefecture"),
    ],
    "自治区商务厅": [
        U("新疆维吾尔自治区商务厅", "department"),
    ],
    "克拉玛依市委、政府": [
        U("克拉玛依市党委", "prefecture"),
        U("克拉玛依市人民政府", "prefecture"),
    ],
    "自治区住建厅": [
        U("新疆维吾尔自治区住房和城乡建设厅", "department"),
    ],
    "自治区农业农村厅、市场监管局，各地（州、市）党委、政府（行署）": [
        U("新疆维吾尔自治区农业农村厅", "department"),
        U("新疆维吾尔自治区市场监督管理局", "department"),
        C("各地（州、市）党委、政府（行署）", PREFECTURES),
    ],
    "兵团党委、兵团，兵团环境保护委员会成员单位，各师市": [
        U("新疆生产建设兵团党委", "corps"),
        U("新疆生产建设兵团", "corps"),
        C("兵团环境保护委员会成员单位", []),
        C("各师市", DIVISIONS),
    ],
    "兵团环境保护委员会办公室": [
        U("新疆生产建设兵团环境保护委员会办公室", "department"),
    ],
    "各师市": [
        C("各师市", DIVISIONS),
    ],
    "兵团生态环境保护督察工作领导小组办公室": [
        U("新疆生产建设兵团生态环境保护督察工作领导小组办公室", "department"),
    ],
    "第七师胡杨河市": [
        U("新疆生产建设兵团第七师", "division"),
    ],
    "兵团商务局": [
        U("新疆生产建设兵团商务局", "department"),
    ],
    "兵团发展改革委、生态环境局，第一师阿拉尔市、第二师铁门关市、第六师五家渠市、第七师胡杨河市、第八师石河子市、第十三师新星市": [
        U("新疆生产建设兵团发展和改革委员会", "department"),
        U("新疆生产建设兵团生态环境局", "department"),
        U("新疆生产建设兵团第一师", "division"),
        U("新疆生产建设兵团第二师", "division"),
        U("新疆生产建设兵团第六师", "division"),
        U("新疆生产建设兵团第七师", "division"),
        U("新疆生产建设兵团第八师", "division"),
        U("新疆生产建设兵团第十三师", "division"),
    ],
    "兵团发展改革委、生态环境局": [
        U("新疆生产建设兵团发展和改革委员会", "department"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "第十三师新星市，兵团发展改革委、生态环境局": [
        U("新疆生产建设兵团第十三师", "division"),
        U("新疆生产建设兵团发展和改革委员会", "department"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "第十三师新星市": [
        U("新疆生产建设兵团第十三师", "division"),
    ],
    "兵团发展改革委、工业和信息化局": [
        U("新疆生产建设兵团发展和改革委员会", "department"),
        U("新疆生产建设兵团工业和信息化局", "department"),
    ],
    "第六师五家渠市、第八师石河子市，兵团生态环境局、发展改革委、工业和信息化局、公安局、住房和城乡建设局、交通运输局、商务局": [
        U("新疆生产建设兵团第六师", "division"),
        U("新疆生产建设兵团第八师", "division"),
        U("新疆生产建设兵团生态环境局", "department"),
        U("新疆生产建设兵团发展和改革委员会", "department"),
        U("新疆生产建设兵团工业和信息化局", "department"),
        U("新疆生产建设兵团公安局", "department"),
        U("新疆生产建设兵团住房和城乡建设局", "department"),
        U("新疆生产建设兵团交通运输局", "department"),
        U("新疆生产建设兵团商务局", "department"),
    ],
    "第八师石河子市，兵团住房和城乡建设局、工业和信息化局、生态环境局": [
        U("新疆生产建设兵团第八师", "division"),
        U("新疆生产建设兵团住房和城乡建设局", "department"),
        U("新疆生产建设兵团工业和信息化局", "department"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "兵团住房和城乡建设局、工业和信息化局、生态环境局": [
        U("新疆生产建设兵团住房和城乡建设局", "department"),
        U("新疆生产建设兵团工业和信息化局", "department"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "第六师五家渠市，兵团生态环境局、商务局、工业和信息化局": [
        U("新疆生产建设兵团第六师", "division"),
        U("新疆生产建设兵团生态环境局", "department"),
        U("新疆生产建设兵团商务局", "department"),
        U("新疆生产建设兵团工业和信息化局", "department"),
    ],
    "兵团生态环境局、商务局、工业和信息化局": [
        U("新疆生产建设兵团生态环境局", "department"),
        U("新疆生产建设兵团商务局", "department"),
        U("新疆生产建设兵团工业和信息化局", "department"),
    ],
    "第六师五家渠市，兵团生态环境局": [
        U("新疆生产建设兵团第六师", "division"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "兵团生态环境局": [
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "第六师五家渠市": [
        U("新疆生产建设兵团第六师", "division"),
    ],
    "兵团生态环境局、工业和信息化局": [
        U("新疆生产建设兵团生态环境局", "department"),
        U("新疆生产建设兵团工业和信息化局", "department"),
    ],
    "第八师石河子市": [
        U("新疆生产建设兵团第八师", "division"),
    ],
    "第十三师新星市，兵团生态环境局": [
        U("新疆生产建设兵团第十三师", "division"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
    "第二师铁门关市，兵团生态环境局、商务局": [
        U("新疆生产建设兵团第二师", "division"),
        U("新疆生产建设兵团生态环境局", "department"),
        U("新疆生产建设兵团商务局", "department"),
    ],
    "兵团生态环境局、商务局": [
        U("新疆生产建设兵团生态环境局", "department"),
        U("新疆生产建设兵团商务局", "department"),
    ],
    "第二师铁门关市，兵团住房和城乡建设局": [
        U("新疆生产建设兵团第二师", "division"),
        U("新疆生产建设兵团住房和城乡建设局", "department"),
    ],
    "兵团住房和城乡建设局": [
        U("新疆生产建设兵团住房和城乡建设局", "department"),
    ],
    "第七师胡杨河市，兵团商务局": [
        U("新疆生产建设兵团第七师", "division"),
        U("新疆生产建设兵团商务局", "department"),
    ],
    "第一师阿拉尔市": [
        U("新疆生产建设兵团第一师", "division"),
    ],
    "第四师可克达拉市": [
        U("新疆生产建设兵团第四师", "division"),
    ],
    "兵团水利局、林业和草原局、生态环境局": [
        U("新疆生产建设兵团水利局", "department"),
        U("新疆生产建设兵团林业和草原局", "department"),
        U("新疆生产建设兵团生态环境局", "department"),
    ],
}


@pytest.mark.parametrize("raw", list(CORPUS_FIELDS))
def test_corpus_field(raw):
    resolution = resolve_units(raw)
    assert _got(resolution.units) == CORPUS_FIELDS[raw]
    assert resolution.warnings == ()


def test_every_field_of_the_plan_is_in_the_table(plan_txt):
    fields = {
        value
        for task_list in plan_txt.lists
        for issue in _issues(task_list.issues)
        for value in (issue.responsible_raw, issue.acceptance_raw)
        if value
    }
    assert fields == set(CORPUS_FIELDS)


def test_plan_has_76_issues_and_3_sub_issues(plan_txt):
    # What the table was built from: a parser change that loses issues must show here.
    assert [len(t.issues) for t in plan_txt.lists] == [46, 30]
    assert [len(i.sub_issues) for i in plan_txt.lists[0].issues if i.sub_issues] == [3]


@pytest.mark.parametrize("raw", list(CORPUS_FIELDS))
def test_corpus_field_offsets(raw):
    """Every unit points at a non-empty part of the input that names its
    region or department: the raw expansion begins with that text's region
    (a distributed unit) or ends with it (a carried department)."""
    for unit in resolve_units(raw).units:
        assert 0 <= unit.start < unit.end <= len(raw)
        span = fold(raw[unit.start : unit.end])
        assert span[0] not in "，、" and span[-1] not in "，、"
        if unit.collective:
            assert span == unit.raw
        else:
            assert unit.raw.endswith(span) or _common_prefix(unit.raw, span) >= 2, (unit, span)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


# ---------------------------------------------------------------------------
# The rules, one real case each.


def _units(raw: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(u.raw, u.name, u.level, u.organ) for u in resolve_units(raw).units]


def _spans(raw: str) -> list[str]:
    return [raw[u.start : u.end] for u in resolve_units(raw).units]


def test_suffix_distributes_over_regions():
    raw = "乌鲁木齐市、昌吉州党委、政府"
    assert _units(raw) == [
        ("乌鲁木齐市党委", "乌鲁木齐市党委", "prefecture", "党委"),
        ("乌鲁木齐市政府", "乌鲁木齐市人民政府", "prefecture", "人民政府"),
        ("昌吉州党委", "昌吉回族自治州党委", "prefecture", "党委"),
        ("昌吉州政府", "昌吉回族自治州人民政府", "prefecture", "人民政府"),
    ]
    # A distributed unit points at the item that names its region.
    assert _spans(raw) == ["乌鲁木齐市", "乌鲁木齐市", "昌吉州党委", "昌吉州党委"]


def test_government_of_a_prefecture_is_its_xingshu():
    raw = "伊犁州、哈密市、昌吉州、巴州、阿克苏地区党委、政府（行署）"
    units = resolve_units(raw).units
    assert [u.name for u in units if u.organ != "党委"] == [
        "伊犁哈萨克自治州人民政府",
        "哈密市人民政府",
        "昌吉回族自治州人民政府",
        "巴音郭楞蒙古自治州人民政府",
        "阿克苏地区行政公署",
    ]
    assert [u.name for u in units if u.organ == "党委"] == [
        "伊犁哈萨克自治州党委",
        "哈密市党委",
        "昌吉回族自治州党委",
        "巴音郭楞蒙古自治州党委",
        "阿克苏地区党委",
    ]
    # Each region takes the part of "政府（行署）" that fits it.
    assert [u.raw for u in units if u.organ != "党委"] == ["伊犁州政府", "哈密市政府", "昌吉州政府", "巴州政府", "阿克苏地区行署"]
    assert _spans(raw)[-2:] == ["阿克苏地区党委", "阿克苏地区党委"]


def test_diwei_is_the_party_committee_of_a_diqu():
    assert _units("塔城地委、行署") == [
        ("塔城地委", "塔城地区党委", "prefecture", "党委"),
        ("塔城行署", "塔城地区行政公署", "prefecture", "行政公署"),
    ]


def test_shiwei_is_the_party_committee_of_a_city():
    assert _units("乌鲁木齐市、克拉玛依市委、政府") == [
        ("乌鲁木齐市委", "乌鲁木齐市党委", "prefecture", "党委"),
        ("乌鲁木齐市政府", "乌鲁木齐市人民政府", "prefecture", "人民政府"),
        ("克拉玛依市委", "克拉玛依市党委", "prefecture", "党委"),
        ("克拉玛依市政府", "克拉玛依市人民政府", "prefecture", "人民政府"),
    ]
    assert [u.name for u in resolve_units("哈密市委、政府").units] == ["哈密市党委", "哈密市人民政府"]


def test_five_regions_share_party_and_government():
    raw = "巴州、阿克苏地区、克拉玛依市、吐鲁番市、哈密市党委、政府（行署）"
    units = resolve_units(raw).units
    assert len(units) == 10
    assert [u.region for u in units[::2]] == ["巴音郭楞蒙古自治州", "阿克苏地区", "克拉玛依市", "吐鲁番市", "哈密市"]
    assert [u.organ for u in units] == ["党委", "人民政府", "党委", "行政公署"] + ["党委", "人民政府"] * 3


def test_party_prefix_carries_forward():
    raw = "自治区党委办公厅、组织部、宣传部、依法治疆办"
    assert [u.raw for u in resolve_units(raw).units] == [
        "自治区党委办公厅",
        "自治区党委组织部",
        "自治区党委宣传部",
        "自治区党委依法治疆办",
    ]
    assert [u.name for u in resolve_units(raw).units] == [
        "新疆维吾尔自治区党委办公厅",
        "新疆维吾尔自治区党委组织部",
        "新疆维吾尔自治区党委宣传部",
        "新疆维吾尔自治区党委全面依法治疆委员会办公室",
    ]
    # A carried department points at its own item.
    assert _spans(raw) == ["自治区党委办公厅", "组织部", "宣传部", "依法治疆办"]


def test_departments_after_the_government_office_are_the_regions():
    units = resolve_units("自治区人民政府办公厅、发改委、工信厅").units
    assert [(u.raw, u.name, u.organ) for u in units] == [
        ("自治区人民政府办公厅", "新疆维吾尔自治区人民政府办公厅", "人民政府办公厅"),
        ("自治区发改委", "新疆维吾尔自治区发展和改革委员会", "发展和改革委员会"),
        ("自治区工信厅", "新疆维吾尔自治区工业和信息化厅", "工业和信息化厅"),
    ]
    assert {u.region for u in units} == {"新疆维吾尔自治区"}
    assert {u.level for u in units} == {"department"}


@pytest.mark.parametrize(
    "raw,names",
    [
        ("自治区发改委、工信厅", ["新疆维吾尔自治区发展和改革委员会", "新疆维吾尔自治区工业和信息化厅"]),
        (
            "自治区林草局、自然资源厅、生态环境厅",
            ["新疆维吾尔自治区林业和草原局", "新疆维吾尔自治区自然资源厅", "新疆维吾尔自治区生态环境厅"],
        ),
        ("兵团发展改革委、生态环境局", ["新疆生产建设兵团发展和改革委员会", "新疆生产建设兵团生态环境局"]),
        # Across a comma too: "，" separates groups, not regions.
        ("自治区水利厅，发改委", ["新疆维吾尔自治区水利厅", "新疆维吾尔自治区发展和改革委员会"]),
    ],
)
def test_region_carries_to_departments(raw, names):
    assert [u.name for u in resolve_units(raw).units] == names


def test_collective_of_all_prefectures_is_one_unit():
    (unit,) = resolve_units("各地（州、市）党委、政府（行署）").units
    assert unit.collective and unit.level == "collective"
    assert unit.members == tuple(PREFECTURES) and unit.members_complete
    assert unit.region == "新疆维吾尔自治区"
    # ASCII parentheses are the same phrase.
    assert resolve_units("各地(州、市)党委、政府(行署)").units[0].members == tuple(PREFECTURES)


def test_parentheses_protect_their_content():
    units = resolve_units("自治区水利厅、各地（州、市）").units
    assert [u.name for u in units] == ["新疆维吾尔自治区水利厅", "各地（州、市）"]
    assert units[1].members == tuple(PREFECTURES)


def test_every_division():
    (unit,) = resolve_units("各师市").units
    assert unit.collective and unit.members == tuple(DIVISIONS) and unit.region == "新疆生产建设兵团"


def test_committee_members_are_not_known():
    (unit,) = resolve_units("兵团环境保护委员会成员单位").units
    assert unit.collective and unit.members == () and not unit.members_complete
    assert unit.region == "新疆生产建设兵团"


def test_bingdi_departments_are_both_governments():
    (unit,) = resolve_units("兵地生态环境、发改、工信等相关部门").units
    assert unit.collective and unit.level == "collective"
    assert unit.members == (
        "新疆维吾尔自治区生态环境厅",
        "新疆生产建设兵团生态环境局",
        "新疆维吾尔自治区发展和改革委员会",
        "新疆生产建设兵团发展和改革委员会",
        "新疆维吾尔自治区工业和信息化厅",
        "新疆生产建设兵团工业和信息化局",
    )
    assert not unit.members_complete  # "等": these and others


def test_listed_departments_and_others():
    (unit,) = resolve_units("自治区生态环境厅、兵团生态环境局等部门").units
    assert unit.collective
    assert unit.members == ("新疆维吾尔自治区生态环境厅", "新疆生产建设兵团生态环境局")


def test_corps_division():
    (unit,) = resolve_units("兵团第六师").units
    assert (unit.name, unit.region, unit.level, unit.city, unit.place) == (
        "新疆生产建设兵团第六师",
        "新疆生产建设兵团",
        "division",
        "五家渠市",
        "新疆生产建设兵团第六师",
    )


def test_division_with_its_city():
    (unit,) = resolve_units("第七师胡杨河市").units
    assert (unit.name, unit.level, unit.city, unit.raw) == ("新疆生产建设兵团第七师", "division", "胡杨河市", "第七师胡杨河市")


def test_divisions_listed_after_the_corps():
    assert [u.name for u in resolve_units("兵团第八师、第六师、第十二师").units] == [
        "新疆生产建设兵团第八师",
        "新疆生产建设兵团第六师",
        "新疆生产建设兵团第十二师",
    ]


def test_corps_party_committee_and_corps():
    assert _units("兵团党委、兵团") == [
        ("兵团党委", "新疆生产建设兵团党委", "corps", "党委"),
        ("兵团", "新疆生产建设兵团", "corps", None),
    ]


def test_corps_department():
    (unit,) = resolve_units("兵团生态环境局").units
    assert (unit.name, unit.region, unit.level, unit.organ) == (
        "新疆生产建设兵团生态环境局",
        "新疆生产建设兵团",
        "department",
        "生态环境局",
    )


def test_no_suffix_is_shared_across_kinds():
    # A prefecture and a division: neither takes the other's suffix.
    assert [u.name for u in resolve_units("乌鲁木齐市、兵团第六师").units] == ["乌鲁木齐市", "新疆生产建设兵团第六师"]


def test_unknown_units_are_kept_with_a_warning():
    raw = "河西省水利厅、某某县政府"
    resolution = resolve_units(raw)
    assert [(u.raw, u.name, u.level, u.region, u.known) for u in resolution.units] == [
        ("河西省水利厅", "河西省水利厅", "other", None, False),
        ("某某县政府", "某某县政府", "other", None, False),
    ]
    assert len(resolution.warnings) == 2
    assert "河西省水利厅" in resolution.warnings[0] and "某某县政府" in resolution.warnings[1]
    assert _spans(raw) == ["河西省水利厅", "某某县政府"]


def test_unknown_department_of_a_known_region_keeps_the_region():
    resolution = resolve_units("昌吉州某某办")
    (unit,) = resolution.units
    assert (unit.name, unit.level, unit.region, unit.known) == ("昌吉州某某办", "other", "昌吉回族自治州", False)
    assert len(resolution.warnings) == 1


def test_county_rolls_up_to_its_prefecture():
    (party, government) = resolve_units("木垒县委、政府").units
    assert (party.name, party.level, party.region, party.place) == (
        "木垒哈萨克自治县党委",
        "county",
        "昌吉回族自治州",
        "木垒哈萨克自治县",
    )
    assert government.name == "木垒哈萨克自治县人民政府"


def test_local_department():
    assert [u.name for u in resolve_units("昌吉州水利局、林草局").units] == [
        "昌吉回族自治州水利局",
        "昌吉回族自治州林业和草原局",
    ]
    assert [u.name for u in resolve_units("兵团第八师石河子市水利局").units] == ["新疆生产建设兵团第八师水利局"]


def test_stray_spaces_and_offsets():
    raw = " 自治区 发改委、 工信厅 "
    units = resolve_units(raw).units
    assert [u.name for u in units] == ["新疆维吾尔自治区发展和改革委员会", "新疆维吾尔自治区工业和信息化厅"]
    assert [raw[u.start : u.end] for u in units] == ["自治区 发改委", "工信厅"]


def test_empty_field():
    assert resolve_units("") == resolve_units("  ，、 ")
    assert resolve_units("").units == ()


# ---------------------------------------------------------------------------
# Regions covered: which list-1 issues concern 昌吉州, directly or through
# 各地（州、市）.

CHANGJI_ISSUES = [1, 2, 3, 4, 6, 9, 12, 15, 18, 20, 21, 24, 25, 27, 29, 31, 32, 34, 39, 46]
THROUGH_ALL_PREFECTURES = [1, 3, 9, 12, 18, 46]


def _covering(task_list, region: str) -> list[int]:
    return [
        issue.seq
        for issue in task_list.issues
        if covers_region(
            [u for sub in _issues([issue]) for raw in (sub.responsible_raw, sub.acceptance_raw) if raw
             for u in resolve_units(raw).units],
            region,
        )
    ]


def test_list_1_issues_covering_changji(plan_txt):
    assert _covering(plan_txt.lists[0], "昌吉州") == CHANGJI_ISSUES
    assert _covering(plan_txt.lists[0], "昌吉回族自治州") == CHANGJI_ISSUES


def test_changji_through_all_prefectures(plan_txt):
    collective_only = [
        issue.seq
        for issue in plan_txt.lists[0].issues
        if "各地（州、市）" in (issue.responsible_raw or "") and "昌吉州" not in (issue.responsible_raw or "")
    ]
    assert collective_only == THROUGH_ALL_PREFECTURES
    assert set(THROUGH_ALL_PREFECTURES) < set(CHANGJI_ISSUES)


def test_turpan_report_answers_issues_that_cover_turpan(plan_txt):
    """The 吐鲁番市 progress report cites the plan's list-1 issues it answers
    ("（自治区序号X）"); each must concern 吐鲁番市."""
    files = [CORPUS_FILES[stem] for stem in CORPUS_FILES if stem.startswith('002_')]
    if not files:
        pytest.skip("corpus not available")
    cited = regex.findall(r"自治区序号([一二三四五六七八九十]+)", files[0].read_text(encoding="utf-8"))
    numbers = {_chinese_number(c) for c in cited}
    assert numbers and numbers <= set(_covering(plan_txt.lists[0], "吐鲁番市"))


def _chinese_number(text: str) -> int:
    digits = dict(zip("一二三四五六七八九", range(1, 10)))
    if "十" not in text:
        return digits[text]
    tens, _, ones = text.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(ones, 0)


def test_county_covers_its_prefecture():
    units = resolve_units("阜康市人民政府").units
    assert covers_region(units, "昌吉州") and covers_region(units, "阜康市")
    assert not covers_region(units, "乌鲁木齐市")


def test_collective_members_cover_their_regions():
    assert covers_region(resolve_units("各师市").units, "第六师")
    assert covers_region(resolve_units("兵地生态环境等相关部门").units, "兵团")
    assert not covers_region(resolve_units("兵团环境保护委员会成员单位").units, "第六师")


# ---------------------------------------------------------------------------
# Mentions in running text.

MENTIONS = [
    (
        "自治区发展改革委组织相关地、州、市人民政府对……",
        [
            ("自治区发展改革委", "新疆维吾尔自治区发展和改革委员会", "department"),
            ("相关地、州、市人民政府", "相关地、州、市人民政府", "collective"),
        ],
    ),
    ("2.新疆宣东能源公司2022年底前完成", [("新疆宣东能源公司", "新疆宣东能源公司", "enterprise")]),
    (
        "4.乌鲁木齐市、兵团第六师进一步落实河长巡河责任",
        [("乌鲁木齐市", "乌鲁木齐市", "prefecture"), ("兵团第六师", "新疆生产建设兵团第六师", "division")],
    ),
    (
        "督促新疆闽新钢铁（集团）有限公司和哈密屹利煤化工有限公司整改",
        [
            ("新疆闽新钢铁（集团）有限公司", "新疆闽新钢铁（集团）有限公司", "enterprise"),
            ("哈密屹利煤化工有限公司", "哈密屹利煤化工有限公司", "enterprise"),
        ],
    ),
    (
        "十三师新星市政通人和环保科技有限公司",
        [
            ("十三师新星市", "新疆生产建设兵团第十三师", "division"),
            ("政通人和环保科技有限公司", "政通人和环保科技有限公司", "enterprise"),
        ],
    ),
    (
        "兵团第八师石河子市水利局、昌吉州水利局",
        [
            ("兵团第八师石河子市水利局", "新疆生产建设兵团第八师水利局", "department"),
            ("昌吉州水利局", "昌吉回族自治州水利局", "department"),
        ],
    ),
    (
        "组织农业农村厅、水利厅",
        [
            ("农业农村厅", "新疆维吾尔自治区农业农村厅", "department"),
            ("水利厅", "新疆维吾尔自治区水利厅", "department"),
        ],
    ),
    ("克拉玛依市委、政府", [("克拉玛依市委", "克拉玛依市党委", "prefecture")]),
    # Short forms are no mentions in running text: 喀什东路 is a road.
    ("2022年底前完成建设喀什东路调水工程", []),
    # 委 alone after a region only where a name ends.
    ("克拉玛依市委托第三方", [("克拉玛依市", "克拉玛依市", "prefecture")]),
    # Titles of standards are skipped.
    ("出水水质达到《城镇污水处理厂污染物排放标准》一级A标准", []),
    ("确保该公司按期完成，做到一厂一策", []),
]


@pytest.mark.parametrize("text,expected", MENTIONS, ids=[t for t, _ in MENTIONS])
def test_mentions(text, expected):
    mentions = find_mentioned_units(text)
    assert [(m.raw, m.name, m.level) for m in mentions] == expected
    for m in mentions:
        assert text[m.start : m.end] == m.raw


def test_enterprise_after_a_region_is_located_there():
    region, enterprise = find_mentioned_units("昌吉州宝明矿业公司")
    assert (region.name, enterprise.name, enterprise.region) == ("昌吉回族自治州", "宝明矿业公司", "昌吉回族自治州")


@pytest.mark.parametrize("suffix", GZ.enterprise.suffixes)
def test_every_enterprise_suffix(suffix):
    (m,) = find_mentioned_units(f"督促宏远能源{suffix}整改")
    assert (m.name, m.level) == (f"宏远能源{suffix}", "enterprise")


@pytest.mark.parametrize("word", GZ.enterprise.before)
def test_every_word_before_an_enterprise(word):
    (m,) = [m for m in find_mentioned_units(f"，{word}宏远能源有限公司") if m.level == "enterprise"]
    assert m.name == "宏远能源有限公司"


@pytest.mark.parametrize("joiner", GZ.enterprise.joiners)
def test_every_joiner(joiner):
    names = [m.name for m in find_mentioned_units(f"督促宏远能源有限公司{joiner}天成化工有限公司")]
    assert names == ["宏远能源有限公司", "天成化工有限公司"]


def test_joiner_that_begins_a_region_name_is_kept():
    (m,) = find_mentioned_units("，和田玉石有限公司")
    assert m.name == "和田玉石有限公司"


@pytest.mark.parametrize("word", GZ.enterprise.not_words)
def test_every_not_word(word):
    assert [m for m in find_mentioned_units(f"，加强{word}管理") if m.level == "enterprise"] == []


@pytest.mark.parametrize("name", sorted(GZ.enterprise.not_names))
def test_every_not_name(name):
    assert [m for m in find_mentioned_units(f"，督促{name}整改") if m.level == "enterprise"] == []


def test_mentions_in_the_plan_measures(plan_txt):
    """Every mention in every measure of the plan points at its text, and
    the measures name the units the fields name."""
    names = set()
    for task_list in plan_txt.lists:
        for issue in _issues(task_list.issues):
            for measure in issue.measures:
                for m in find_mentioned_units(measure.text):
                    assert measure.text[m.start : m.end] == m.raw
                    names.add(m.name)
    assert {
        "新疆维吾尔自治区发展和改革委员会",
        "新疆维吾尔自治区水利厅",
        "新疆生产建设兵团第八师水利局",
        "新疆宣东能源公司",
        "昌吉回族自治州林业和草原局",
    } <= names


def test_a_repeated_unit_field_gives_each_issue_its_own_spans(plan_txt):
    """normalize resolves each distinct unit field once per document; the
    units of every issue that repeats a field still point into that issue's
    own field."""
    issues_of_field: dict[str, int] = {}
    for task_list in plan_txt.lists:
        for issue in _issues(task_list.issues):
            for key, role in issue.field_roles.items():
                if role != "responsible":
                    continue
                issues_of_field[issue.fields[key]] = issues_of_field.get(issue.fields[key], 0) + 1
                field = issue.spans[key]
                units = issue.units["responsible_units"]
                assert units
                for unit in units:
                    assert field.start <= unit.span.start < unit.span.end <= field.end
    assert max(issues_of_field.values()) >= 5  # the plan does repeat its fields


def test_a_bare_region_carries_nothing():
    # After a bare region an unknown item is a unit of its own, not 乌鲁木齐市某某局.
    resolution = resolve_units("乌鲁木齐市、某某局")
    assert [(u.name, u.level) for u in resolution.units] == [("乌鲁木齐市", "prefecture"), ("某某局", "other")]
    assert len(resolution.warnings) == 1


def test_department_suffixes_distribute_too():
    assert [u.name for u in resolve_units("乌鲁木齐市、昌吉州水利局、林草局").units] == [
        "乌鲁木齐市水利局",
        "乌鲁木齐市林业和草原局",
        "昌吉回族自治州水利局",
        "昌吉回族自治州林业和草原局",
    ]


def test_corps_has_no_government():
    resolution = resolve_units("兵团第六师党委、政府")
    assert [(u.name, u.level) for u in resolution.units] == [
        ("新疆生产建设兵团第六师党委", "division"),
        ("兵团第六师政府", "other"),
    ]
    assert len(resolution.warnings) == 1


def test_department_name_that_begins_like_a_region():
    # "喀什噶尔河流域管理局" begins with 喀什 but is a department of the autonomous region.
    assert [u.name for u in resolve_units("自治区水利厅、喀什噶尔河流域管理局").units] == [
        "新疆维吾尔自治区水利厅",
        "新疆喀什噶尔河流域管理局",
    ]
