"""Five-year plans end to end: the heading tree, the indicator tables, the
prose targets and the 专栏 projects of the Changji (003) and Corps (004)
plans in samples/."""

from __future__ import annotations

import json

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zhenggai.cli import main
from zhenggai.errors import Warnings
from zhenggai.model import DocumentKind, Span
from zhenggai.output import schema

from .conftest import CHANGJI_PLAN_TXT, XPCC_PLAN_TXT


def _spans(doc):
    for s in doc.sections:
        yield s.heading, s.heading_span
        yield s.body, s.body_span
    for i in doc.indicators:
        for cells in i.spans.values():
            for span in cells:
                yield None, span
    for t in doc.targets:
        yield t.phrase, t.span
        yield t.sentence, t.sentence_span
    for p in doc.projects:
        yield p.name, p.name_span
        for u in p.units:
            yield u.raw, u.span


@pytest.mark.parametrize("fixture", ["changji_plan", "xpcc_plan"])
def test_every_value_is_its_span_of_the_text(fixture, request):
    doc = request.getfixturevalue(fixture)
    assert doc.kind == DocumentKind.five_year_plan
    for value, span in _spans(doc):
        if span is None:
            assert not value
            continue
        assert isinstance(span, Span) and span.page_start == 1 and span.line_start <= span.line_end
        if value is not None:
            assert doc.text[span.start : span.end] == value


# --------------------------------------------------------------------- outline


def test_changji_outline(changji_plan):
    sections = changji_plan.sections
    top = [(s.label, s.heading) for s in sections if s.level == 1]
    assert top == [("一、", "背景与形势"), ("二、", "总体要求"), ("三、", "重点任务"), ("四、", "保障措施")]
    assert len(sections) == 70
    by_id = {s.id: s for s in sections}
    task = by_id["3.1.2"]
    assert (task.parent_id, task.level, task.marker, task.label, task.number, task.heading) == (
        "3.1", 3, "arabic", "2.", 2, "优化调整能源结构"
    )
    assert task.body.startswith("积极落实能源消费双控制度")
    # 3.4 runs across the bare page number "15" that the cleaner drops.
    assert [s.heading for s in sections if s.parent_id == "3.4"][2] == "完善污水设施建设"
    assert by_id["3.1"].heading == "加强结构优化调整，推进经济社会绿色转型发展"
    assert by_id["3.1"].body == ""
    # the section's span runs to the paragraph before its next sibling
    assert changji_plan.text[by_id["1"].span.end + 1 :].startswith("二、总体要求")


def test_xpcc_outline_skips_the_table_of_contents(xpcc_plan):
    sections = xpcc_plan.sections
    chapters = [s for s in sections if s.marker == "chapter"]
    assert [s.number for s in chapters] == list(range(1, 12))
    assert chapters[0].heading_span.line_start == 123  # the body, not the contents on line 15
    assert [(s.id, s.heading) for s in sections if s.parent_id == "2.3"] == [("2.3.1", "总体目标"), ("2.3.2", "指标体系")]
    assert sum(1 for s in sections if s.marker == "section") == 41
    assert {s.level for s in sections} == {1, 2, 3}


# ------------------------------------------------------------------ indicators

# 表 2-1 read by hand: (category, number, part, name, unit, scope, baseline,
# baseline number, target, target number, comparator, attribute)
TABLE_2_1 = [
    ("环境质量改善", 1, 1, "细颗粒物（PM2.5）浓度", "微克/立方米", "石河子、五家渠", "59.5", 59.5, "49", 49.0, "=", "约束性"),
    ("环境质量改善", 2, 1, "空气质量优良天数比例", "%", "石河子、五家渠", "75.8", 75.8, "79.4", 79.4, "=", "约束性"),
    ("环境质量改善", 2, 2, "空气质量优良天数比例", "%", "其他各师市平均", "/", None, "73", 73.0, "=", "预期性"),
    ("环境质量改善", 3, 1, "地表水质量好于Ⅲ类水体比例", "%", None, "/", None, "82.6", 82.6, "=", "约束性"),
    ("环境质量改善", 4, 1, "地表水质量劣Ⅴ类水体比例", "%", None, "13", 13.0, "4.3", 4.3, "=", "约束性"),
    ("环境质量改善", 5, 1, "地下水质量Ⅴ类水比例", "%", None, "/", None, "42.9", 42.9, "=", "预期性"),
    ("环境质量改善", 6, 1, "连队生活污水治理率", "%", None, "/", None, "50", 50.0, "=", "预期性"),
    ("应对气候变化", 7, 1, "单位地区生产总值二氧化碳排放降低", "%", None, "12 （五年累计）", 12.0, "国家下达指标", None, None, "约束性"),
    ("应对气候变化", 8, 1, "单位地区生产总值能源消耗降低", "%", None, "10 （五年累计）", 10.0, "国家下达指标", None, None, "约束性"),
    ("应对气候变化", 9, 1, "非化石能源占一次能源消费比例", "%", None, "/", None, "国家下达指标", None, None, "预期性"),
    ("总量控制", 10, 1, "氮氧化物重点工程减排量", "万吨", None, "/", None, "0.25万吨", 0.25, "=", "约束性"),
    ("总量控制", 10, 2, "挥发性有机物重点工程减排量", "万吨", None, "/", None, "0.06万吨", 0.06, "=", "约束性"),
    ("总量控制", 10, 3, "化学需氧量重点工程减排量", "万吨", None, "/", None, "0.44万吨", 0.44, "=", "约束性"),
    ("总量控制", 10, 4, "氨氮重点工程减排量", "万吨", None, "/", None, "0.03万吨", 0.03, "=", "约束性"),
    ("生态保护", 11, 1, "生态质量指数（新EI）", None, None, "/", None, "国家下达指标", None, None, "预期性"),
    ("生态保护", 12, 1, "生态保护红线占国土面积比例", "%", None, "21.87", 21.87, "不减少", None, None, "约束性"),
    ("生态保护", 13, 1, "森林覆盖率", "%", None, "19.16", 19.16, "19.46", 19.46, "=", "约束性"),
    ("环境风险防控", 14, 1, "受污染耕地安全利用率", "%", None, "/", None, "≥93", 93.0, "≥", "预期性"),
    ("环境风险防控", 15, 1, "重点建设用地安全利用", None, None, "/", None, "有效保障", None, None, "预期性"),
    ("环境风险防控", 16, 1, "放射源辐射事故年发生率", "起/每万枚", None, "/", None, "≤1", 1.0, "≤", "预期性"),
]

# 表 1-1 (十三五 results): (category, number, part, name, scope, baseline,
# target, achieved, achieved number, attribute, completion, completed)
TABLE_1_1 = [
    ("环境质量", 1, 1, "城市空气质量优良天数比例", "石河子、五家渠", "76", "80", "75.8", 75.8, "约束性", "未完成", False),
    ("环境质量", 1, 2, "城市空气质量优良天数比例", "北屯", "85", "85", "99", 99.0, "约束性", "完成", True),
    ("环境质量", 2, 1, "城市空气PM2.5浓度下降率", "石河子、五家渠", "-", "15", "比2015年上升15.4%", None, "约束性", "未完成", False),
    ("环境质量", 3, 1, "城市集中式饮用水源地单个水质达标率", None, "95", "95", "95", 95.0, "约束性", "完成", True),
    ("总量控制", 4, 1, "化学需氧量排放总量", None, None, "较2015年累计减排1.6%", "较2015年累计减排2.9%", None, "约束性", "完成", True),
    ("总量控制", 5, 1, "氨氮排放总量", None, None, "较2015年累计减排2.8%", "较2015年累计减排5.7%", None, "约束性", "完成", True),
    ("总量控制", 6, 1, "二氧化硫排放总量", None, "控制在国家下达指标范围内", "较2015年累计减排13%", "较2015年累计减排18%", None, "约束性", "完成", True),
    ("总量控制", 7, 1, "氮氧化物排放总量", None, None, "较2015年累计减排13%", "较2015年累计减排15.10%", None, "约束性", "完成", True),
    ("污染防治和监管", 8, 1, "污染源在线监控数据传输有效率", None, "80", "90", "99.11", 99.11, "预期性", "完成", True),
    ("污染防治和监管", 9, 1, "工业固体废物综合利用率", None, "-", "73", "73", 73.0, "预期性", "完成", True),
    ("污染防治和监管", 10, 1, "危险废物规范化管理考核合格率", None, "-", "95", "产废90%、经营97%", None, "约束性", "完成", True),
    ("污染防治和监管", 11, 1, "规模养殖场粪污处理设施装备配套率", None, "-", "95", "98.41", 98.41, "约束性", "完成", True),
    ("污染防治和监管", 12, 1, "国家重点监控工业企业污染源达标率", None, "80", "90", "—", None, "预期性", "完成", True),
    ("生态保护", 13, 1, "森林覆盖率", None, "18.6", "20", "19.16", 19.16, "约束性", "未完成", False),
]


def _raw(q):
    return q.raw if q else None


def test_table_2_1_every_field(xpcc_plan):
    rows = [i for i in xpcc_plan.indicators if i.table == "2-1"]
    got = [
        (
            i.category, i.number, i.part, i.name, i.unit, i.scope,
            _raw(i.baseline), i.baseline.number if i.baseline else None,
            _raw(i.target), i.target.number, i.target.comparator, i.attribute,
        )
        for i in rows
    ]
    assert got == TABLE_2_1
    assert {i.number for i in rows} == set(range(1, 17))
    assert all(
        (i.table_kind, i.table_title, i.target_year, i.baseline_year, i.achieved, i.completion)
        == ("targets", "兵团“十四五”生态环境保护规划指标", 2025, None, None, None)
        for i in rows
    )


def test_table_1_1_results_with_completion(xpcc_plan):
    rows = [i for i in xpcc_plan.indicators if i.table == "1-1"]
    got = [
        (
            i.category, i.number, i.part, i.name, i.scope, _raw(i.baseline), _raw(i.target),
            _raw(i.achieved), i.achieved.number, i.attribute, i.completion, i.completed,
        )
        for i in rows
    ]
    assert got == TABLE_1_1
    assert {(i.table_kind, i.baseline_year, i.target_year, i.achieved_year) for i in rows} == {("results", 2015, 2020, 2020)}
    forest = rows[-1]
    assert forest.footnote and forest.unit == "%"
    assert (rows[12].number, rows[12].unit_raw, rows[12].unit) == (12, "小时达标率, %", "%")


def test_wrapped_row_joins_cell_by_cell(xpcc_plan):
    """Indicator 9 is printed over two lines: "非化石能源占一次能 … 国家下达"
    and "源消费比例 (%) … 指标"."""
    row = next(i for i in xpcc_plan.indicators if i.table == "2-1" and i.number == 9)
    text = xpcc_plan.text
    assert ["".join(text[s.start : s.end] for s in row.spans[k]) for k in ("name", "target")] == [
        "非化石能源占一次能源消费比例（%）",
        "国家下达指标",
    ]
    assert [s.line_start for s in row.spans["target"]] == [235, 237]
    assert (row.span.line_start, row.span.line_end) == (235, 237)


def test_category_wrapped_in_its_merged_cell(xpcc_plan):
    """"总量" and "控制" are printed on the rows of indicator 10 and its first sub-row."""
    row = next(i for i in xpcc_plan.indicators if i.table == "2-1" and i.number == 10 and i.part == 4)
    assert row.category == "总量控制"
    assert [s.line_start for s in row.spans["category"]] == [238, 239]
    # the attribute printed once for the four rows is carried down
    assert row.spans["attribute"][0].line_start == 238


def test_stray_vertical_text_is_dropped_with_a_warning(xpcc_plan):
    """Indicators 7 and 8 carry "二" and "能" in their scope column: pieces of vertical text."""
    dropped = [w for w in xpcc_plan.warnings if w.code == Warnings.table_cell_dropped.code]
    assert [(w.span.line_start, xpcc_plan.text[w.span.start : w.span.end]) for w in dropped] == [(233, "二"), (234, "能")]


def test_baseline_mark_glued_to_the_name(xpcc_plan):
    """Row 11 prints "生态质量指数 (新 EI)/": the "/" is the empty baseline."""
    row = next(i for i in xpcc_plan.indicators if i.table == "2-1" and i.number == 11)
    assert (row.name, row.baseline.raw, row.baseline.number) == ("生态质量指数（新EI）", "/", None)


# --------------------------------------------------------------------- targets

# Read by hand from the Corps plan: (line, subject, scope, value, unit, comparator)
XPCC_TARGETS = [
    (375, "清洁能源汽车占当年配备更新车辆总量的比例", None, 50.0, "%", "≥"),
    (375, "公共交通分担率", "涉及“乌—昌—石”和“奎—独—乌”区域的师市", 50.0, "%", "≥"),
    (375, "公共交通分担率", "其他城市", 40.0, "%", "≥"),
    (377, "道路机械化清扫率", "兵团现有城市建成区", 80.0, "%", "≥"),
    (377, "道路机械化清扫率", "涉及“乌—昌—石”和“奎—独—乌”区域的师市", 90.0, "%", "≥"),
    (465, "受污染耕地安全利用率", None, 93.0, "%", "≥"),
    (469, "重点建设用地安全利用率", None, 93.0, "%", "≥"),
    (483, "化肥、农药利用率", None, 40.0, "%", "≥"),
    (483, "测土配方施肥技术推广覆盖率", None, 92.0, "%", "≥"),
    (485, "畜禽粪污综合利用率", None, 80.0, "%", "≥"),
]


def test_xpcc_targets_read_by_hand(xpcc_plan):
    got = [
        (t.span.line_start, t.subject, t.scope, t.value, t.unit, t.comparator)
        for t in xpcc_plan.targets
        if t.value is not None
    ]
    assert got == XPCC_TARGETS
    assert {t.year for t in xpcc_plan.targets} == {2025}


def test_targets_without_a_quantity_are_kept_with_a_warning(xpcc_plan, changji_plan):
    """The Changji plan states its two 2025 targets without numbers; they are
    kept as text, each with a warning. So are the Corps plan's qualitative ones."""
    assert [(t.sentence, t.value, t.subject) for t in changji_plan.targets] == [
        ("到2025年“乌-昌-石”区域在保证企业生产刚性需求的情况下，煤炭消费占一次能源消费比重有所下降。", None, None),
        ("至2025年，全州钢铁、铸造等行业全面实现超低排放运行。", None, None),
    ]
    for doc in (changji_plan, xpcc_plan):
        unread = [t for t in doc.targets if t.value is None]
        warned = [w for w in doc.warnings if w.code == Warnings.target_unreadable.code]
        assert [w.span for w in warned] == [t.sentence_span for t in unread]
    assert changji_plan.status.value == "ok"
    sand = [t for t in xpcc_plan.targets if "防沙治沙" in t.sentence]
    assert len(sand) == 1 and sand[0].value is None  # "完成…20万公顷": no comparator word next to the number


def test_historical_years_are_not_targets(xpcc_plan):
    """"2020年，兵团9个城市平均优良天数比例为71.6%" reports the past."""
    assert all("71.6" not in t.sentence for t in xpcc_plan.targets)


# -------------------------------------------------------------------- projects

XPCC_BOXES = {
    1: ("生态经济重点工程", ["重点企业清洁生产审核工程", "绿色制造体系创建工程", "园区循环化改造工程", "新能源开发利用工程", "清洁能源车辆推广工程"]),
    2: ("应对气候变化重点工程", ["低碳试点示范工程", "工业领域碳排放控制工程", "交通领域碳排放控制工程", "建筑领域碳排放控制工程", "碳捕集、利用与封存示范工程", "适应气候变化的能力建设工程"]),
    3: ("大气污染防治重点工程", ["燃煤燃气锅炉和工业炉窑综合整治工程", "脱硫脱硝除尘提标改造工程", "重点行业挥发性有机物治理工程", "清洁取暖、供热工程项目", "南疆沙尘颗粒物防控工程", "大气环境质量能力建设重点工程"]),
    4: ("水污染防治重点工程", ["水生态治理工程", "污水处理设施及提标改造工程", "工业园区污水处理工程", "饮用水水源地保护工程", "团场水资源再生利用项目", "农业面源水污染防治工程"]),
    5: ("土壤污染防治和农村环境治理重点工程", ["土壤环境监测能力建设工程", "地下水污染风险管控建设工程", "农业农村环境治理建设工程"]),
    6: ("生态保护修复重点工程", ["重点流域山水林田湖草沙生态保护修复工程", "自然保护地建设工程", "林业草原生态保护恢复工程", "生物多样性保护工程", "生态保护红线与自然保护地监管平台建设工程"]),
    7: ("环境风险防控重点工程", ["危险废物处置能力建设工程", "生活垃圾处理处置系统建设工程", "辐射环境自动监测站建设工程", "应急管理能力建设工程", "兵团生态环境预警调度指挥平台建设工程"]),
    8: ("现代环境治理体系重点工程", ["企业生态环境治理能力建设工程", "环境治理监管能力建设工程", "天地一体的生态环境监测能力建设工程", "生态环境治理市场体系建设工程"]),
}


def test_every_box_with_its_projects(xpcc_plan):
    got: dict[int, tuple[str, list[str]]] = {}
    for p in xpcc_plan.projects:
        got.setdefault(p.box, (p.box_title, []))[1].append(p.name)
        assert p.seq == len(got[p.box][1])
    assert got == XPCC_BOXES


def test_project_wrapped_over_a_page_break(xpcc_plan):
    """"碳捕集…建设涉及捕集、驱油(气)、驱煤和" continues on the next line: "封存的示范项目。"."""
    p = next(p for p in xpcc_plan.projects if p.name == "碳捕集、利用与封存示范工程")
    assert p.description.endswith("驱煤和封存的示范项目。")
    assert (p.span.line_start, p.span.line_end) == (341, 343)
    assert xpcc_plan.text[p.span.start : p.span.end].replace("\n", "") == p.name + "。" + p.description


@pytest.mark.parametrize(
    "name,units",
    [
        ("新能源开发利用工程", ["新疆生产建设兵团第一师", "新疆生产建设兵团第二师", "新疆生产建设兵团第三师", "新疆生产建设兵团第五师", "新疆生产建设兵团第六师", "新疆生产建设兵团第七师", "新疆生产建设兵团第八师", "新疆生产建设兵团第九师", "新疆生产建设兵团第十三师", "新疆生产建设兵团第十四师"]),
        ("辐射环境自动监测站建设工程", ["新疆生产建设兵团第八师"]),
        ("应急管理能力建设工程", ["新疆生产建设兵团第一师", "新疆生产建设兵团第十三师", "新疆生产建设兵团", "新疆生产建设兵团"]),
        ("生活垃圾处理处置系统建设工程", ["各师市"]),
        ("绿色制造体系创建工程", []),  # "绿色工厂" is a kind of works, not an enterprise
        ("低碳试点示范工程", []),
    ],
)
def test_project_units_resolved_with_the_gazetteer(xpcc_plan, name, units):
    p = next(p for p in xpcc_plan.projects if p.name == name)
    assert [u.name for u in p.units] == units


# ---------------------------------------------------------------------- output


@pytest.fixture(scope="module")
def plans_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("plans_out")
    assert main(["extract", str(CHANGJI_PLAN_TXT), str(XPCC_PLAN_TXT), "-o", str(out), "-q"]) == 0
    return out


def test_plan_tables_are_typed_and_agree_with_the_json(plans_out, xpcc_plan):
    indicators = pq.read_table(plans_out / "indicators.parquet")
    assert indicators.schema.field("target_number").type == pa.float64()
    assert indicators.schema.field("completed").type == pa.bool_()
    frame = indicators.to_pandas()
    row = frame[(frame.table_no == "2-1") & (frame.number == 14)].iloc[0]
    assert (row.target_raw, row.target_number, row.target_comparator, row.target_year, row.line_start) == ("≥93", 93.0, "≥", 2025, 245)
    assert len(frame) == 20 + 14
    sections = pq.read_table(plans_out / "sections.parquet").to_pandas()
    assert len(sections) == 70 + 54 and sections.level.dtype.name == "int32"
    targets = pq.read_table(plans_out / "targets.parquet").to_pandas()
    assert targets.value.notna().sum() == 10 and targets.year.dtype.name == "int32"
    projects = pq.read_table(plans_out / "projects.parquet")
    assert projects.schema.field("unit_names").type == pa.list_(pa.string())
    assert projects.num_rows == sum(len(v[1]) for v in XPCC_BOXES.values())
    doc = json.loads((plans_out / "json" / "xpcc_eco_plan_14th.txt.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema.packaged())
    assert len(doc["indicators"]) == len(xpcc_plan.indicators)
