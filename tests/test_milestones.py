"""Dated clauses (milestones) inside measures, on measures copied from the
corpus plan (samples/xinjiang_rectification_plan_2022.txt, cleaned)."""

from __future__ import annotations

from datetime import date

import pytest

from zhenggai.normalize.dates import DatedClause, find_dated_clauses

# (id, measure text, reference year, [(clause text, date as printed, due date, precision, year inferred)])
MEASURES = [
    (
        "two-clauses-split-at-semicolon",
        "2022年7月底前，师市下发全面清理、废除阻碍生态环境监管执法政策的通知；2022年9月底前，督促师市各单位各部门全面清理、"
        "废除阻碍生态环境监管执法的各种政策，坚决纠正违反国家生态环境保护法律法规、政策的文件。",
        2022,
        [
            ("2022年7月底前，师市下发全面清理、废除阻碍生态环境监管执法政策的通知", "2022年7月底前", date(2022, 7, 31), "month", False),
            (
                "2022年9月底前，督促师市各单位各部门全面清理、废除阻碍生态环境监管执法的各种政策，坚决纠正违反国家生态环境保护法律法规、政策的文件",
                "2022年9月底前",
                date(2022, 9, 30),
                "month",
                False,
            ),
        ],
    ),
    (
        "start-between-two-deadlines",
        "2022年底前完成河西、城北新区污水处理厂尾水回用管线工程建设方案可研，2023年初启动建设，2024年10月底前全面建成。",
        2022,
        [
            ("2022年底前完成河西、城北新区污水处理厂尾水回用管线工程建设方案可研", "2022年底前", date(2022, 12, 31), "year", False),
            ("2024年10月底前全面建成", "2024年10月底前", date(2024, 10, 31), "month", False),
        ],
    ),
    (
        "bare-year-opening-the-clause",
        "2022年通过管线切换的方式实现南郊污水处理厂中水利用约100万吨/年的工程能力。",
        2022,
        [("2022年通过管线切换的方式实现南郊污水处理厂中水利用约100万吨/年的工程能力", "2022年", date(2022, 12, 31), "year", False)],
    ),
    (
        "start-year-is-no-milestone",
        "2024年起，将南郊污水处理厂中水用于克拉玛依主城区城南绿化水量不少于800万吨/年，从2021年中水利用率5%提升至40%，"
        "减少克拉玛依主城区城市绿化地表水取用量。",
        2022,
        [],
    ),
    (
        "since-2018-is-no-milestone",
        "组织各地全面自查2018年以来以国土整治项目为名开垦天然牧草地的问题，对发现问题进行分类整理、建立台账，以国土“三调”成果为基础，"
        "按照“宜耕则耕、宜林则林、宜草则草”原则，实事求是、分类处置，于2023年底前完成整改。",
        2022,
        [("于2023年底前完成整改", "2023年底前", date(2023, 12, 31), "year", False)],
    ),
    (
        "corps-month-without-year-takes-reference-year",
        "兵团发展改革委要组织有关师市逐一对上述项目进行复核，通过绿电替代、能耗替代、合理调整、依法审查、精准压减、产业延伸等方式"
        "对企业进行“一企一策”分类处置，8月底前完成分类处置方案，依据处置方案依法依规开展整改落实工作。",
        2022,
        [("8月底前完成分类处置方案，依据处置方案依法依规开展整改落实工作", "8月底前", date(2022, 8, 31), "month", True)],
    ),
    (
        "attribute-year-inside-the-clause",
        "根据国家《固定资产投资项目节能审查办法》，完善节能监察制度，自治区发改委于2024年6月底前完成对2021年节能审查复核意见项目"
        "问题整改回头看工作，通过定期调度工作进展情况。",
        2022,
        [
            (
                "根据国家《固定资产投资项目节能审查办法》，完善节能监察制度，自治区发改委于2024年6月底前完成对2021年节能审查复核意见项目"
                "问题整改回头看工作，通过定期调度工作进展情况",
                "2024年6月底前",
                date(2024, 6, 30),
                "month",
                False,
            )
        ],
    ),
    (
        "day-precision",
        "2022年11月15日前，完成上述5家企业VOCs收集治理设施建设，并投入运行。",
        2022,
        [("2022年11月15日前，完成上述5家企业VOCs收集治理设施建设，并投入运行", "2022年11月15日前", date(2022, 11, 15), "day", False)],
    ),
    (
        "year-end-without-year-takes-the-earlier-year",
        "塔里木河流域管理局2022年底前完成博斯腾湖、开都—孔雀河、阿克苏河、叶尔羌河、和田河、塔里木河干流河流湖泊生态流量（水位）"
        "保障方案编制工作，不得以汛期下泄洪水代替全年生态水量。2023年3月前完成技术审查，年底前报自治区人民政府审批，"
        "2024年底前保障生态水量。",
        2022,
        [
            (
                "塔里木河流域管理局2022年底前完成博斯腾湖、开都—孔雀河、阿克苏河、叶尔羌河、和田河、塔里木河干流河流湖泊生态流量（水位）"
                "保障方案编制工作，不得以汛期下泄洪水代替全年生态水量",
                "2022年底前",
                date(2022, 12, 31),
                "year",
                False,
            ),
            ("2023年3月前完成技术审查", "2023年3月前", date(2023, 3, 31), "month", False),
            ("年底前报自治区人民政府审批", "年底前", date(2023, 12, 31), "year", True),
            ("2024年底前保障生态水量", "2024年底前", date(2024, 12, 31), "year", False),
        ],
    ),
    (
        "months-without-year-after-a-dated-clause",
        "2022年6月底前完成绿化水并管、二期预留地防风抑尘布管以及二期预留地防风抑尘喷灌安装；8月底前完成循环水冷却系统补水改造；"
        "9月底实现冷凝水的循环利用，不外排。",
        2021,  # the printed 2022 wins over the reference year
        [
            ("2022年6月底前完成绿化水并管、二期预留地防风抑尘布管以及二期预留地防风抑尘喷灌安装", "2022年6月底前", date(2022, 6, 30), "month", False),
            ("8月底前完成循环水冷却系统补水改造", "8月底前", date(2022, 8, 31), "month", True),
            ("9月底实现冷凝水的循环利用，不外排", "9月底", date(2022, 9, 30), "month", True),
        ],
    ),
    (
        "bare-year-after-comma",
        "督促喀什噶尔河大型灌区续建配套现代化改造，2022年开工建设，2025年底前按时完成建设任务，进一步提高渠道防渗率。"
        "分类梳理项目融资清单，形成大型灌区项目融资台账。",
        2022,
        [
            ("2022年开工建设", "2022年", date(2022, 12, 31), "year", False),
            ("2025年底前按时完成建设任务，进一步提高渠道防渗率", "2025年底前", date(2025, 12, 31), "year", False),
        ],
    ),
    (
        "range-is-no-milestone",
        # A range is a reference, not a deadline: only the 2022 clause is dated.
        "把34.5万亩补建任务与各年度高标准农田建设任务统筹规划、同步实施，2022年完成11万亩，2023—2024年完成23.5万亩高效节水建设任务。",
        2022,
        [("2022年完成11万亩", "2022年", date(2022, 12, 31), "year", False)],
    ),
    (
        "que-bao-prefix-and-base-year",
        "对全疆农业分类水价改革情况进行摸底，指导推动各地加快农业水价改革。全疆2022年底前制定本行政区农业水价综合改革方案进程时间表，"
        "确保2024年按期实现农业水价全面执行2015年（基准年）完全成本水价。",
        2022,
        [
            ("全疆2022年底前制定本行政区农业水价综合改革方案进程时间表", "2022年底前", date(2022, 12, 31), "year", False),
            ("确保2024年按期实现农业水价全面执行2015年（基准年）完全成本水价", "2024年", date(2024, 12, 31), "year", False),
        ],
    ),
    (
        "dao-prefix",
        "全面开展公共机构节水型单位建设，到2023年自治区本级行政单位和50%的区本级事业单位，按照《自治区公共机构节水型单位建设标准》建成节水型单位。",
        2022,
        [
            (
                "到2023年自治区本级行政单位和50%的区本级事业单位，按照《自治区公共机构节水型单位建设标准》建成节水型单位",
                "2023年",
                date(2023, 12, 31),
                "year",
                False,
            )
        ],
    ),
    (
        "several-deadlines-in-one-sentence",
        "指导和督促喀什地区2024年底前分批次完成“十三五”时期未完成的高效节水农田建设任务（114万亩），2023年底前完成2021年立项的"
        "高效节水面积72万亩；2024年底前完成2022年立项的高效节水面积42万亩，建设工作于2024年底前完成。",
        2022,
        [
            ("指导和督促喀什地区2024年底前分批次完成“十三五”时期未完成的高效节水农田建设任务（114万亩）", "2024年底前", date(2024, 12, 31), "year", False),
            ("2023年底前完成2021年立项的高效节水面积72万亩", "2023年底前", date(2023, 12, 31), "year", False),
            ("2024年底前完成2022年立项的高效节水面积42万亩", "2024年底前", date(2024, 12, 31), "year", False),
            ("建设工作于2024年底前完成", "2024年底前", date(2024, 12, 31), "year", False),
        ],
    ),
    (
        "day-and-month-in-two-sentences",
        "2022年6月底前按照环境影响评价报告书及批复要求完成克劳斯硫回收装置焚烧尾气管线建设，确保酸性气经克劳斯硫回收装置、焚烧炉处理，"
        "再经锅炉脱硫设施处理后达标排放。2022年9月15日前完成VOCs治理项目建设，低温甲醇洗弛放气经处理后通过新建120m排气筒达标排放。",
        2022,
        [
            (
                "2022年6月底前按照环境影响评价报告书及批复要求完成克劳斯硫回收装置焚烧尾气管线建设，确保酸性气经克劳斯硫回收装置、焚烧炉处理，"
                "再经锅炉脱硫设施处理后达标排放",
                "2022年6月底前",
                date(2022, 6, 30),
                "month",
                False,
            ),
            ("2022年9月15日前完成VOCs治理项目建设，低温甲醇洗弛放气经处理后通过新建120m排气筒达标排放", "2022年9月15日前", date(2022, 9, 15), "day", False),
        ],
    ),
    (
        "zhi-qian",
        "2022年底之前，伊犁州金川矿业、昌吉州宝明矿业等企业按照“一矿一方案”逐一制定恢复（复垦）方案。2025年底之前，上述矿产开发企业临时用地，"
        "按照临时用地的管理要求恢复植被；已闭坑的采矿区全部完成植被恢复。",
        2022,
        [
            ("2022年底之前，伊犁州金川矿业、昌吉州宝明矿业等企业按照“一矿一方案”逐一制定恢复（复垦）方案", "2022年底之前", date(2022, 12, 31), "year", False),
            ("2025年底之前，上述矿产开发企业临时用地，按照临时用地的管理要求恢复植被", "2025年底之前", date(2025, 12, 31), "year", False),
        ],
    ),
    (
        "start-kaishi-is-no-milestone",
        "按照《新疆维吾尔自治区节水行动实施方案》文件要求，2022年开始定期召开自治区节约用水工作厅际联席会议，督促各成员单位严格落实自治区节水相关要求。",
        2022,
        [],
    ),
    (
        "start-qi-after-comma-is-no-milestone",
        "加强生态流量管理工作，2023年起组织各地（州、市）各流域管理机构常态化开展生态流量检查，加强生态流量下泄监管。",
        2022,
        [],
    ),
    (
        "base-year-is-no-milestone",
        "2023年底前完成克拉玛依主城区城南绿化管线改造项目，在2022年基础上新增南郊污水处理厂中水利用约900万吨/年的工程能力。",
        2022,
        # "，在2022年…" opens a clause of its own (undated: a base year).
        [("2023年底前完成克拉玛依主城区城南绿化管线改造项目", "2023年底前", date(2023, 12, 31), "year", False)],
    ),
    (
        "year-followed-by-zhongshui-is-not-mid-year",
        "2024年底前完成中水回用项目及配套管网建设，到2025年中水回用率达到28%以上（其中：热电厂中水回用率达到15%以上）。",
        2022,
        [
            ("2024年底前完成中水回用项目及配套管网建设", "2024年底前", date(2024, 12, 31), "year", False),
            ("到2025年中水回用率达到28%以上（其中：热电厂中水回用率达到15%以上）", "2025年", date(2025, 12, 31), "year", False),
        ],
    ),
    (
        "date-inside-a-title-is-no-milestone",
        "按照《重污染天气重点行业应急减排措施制定技术指南（2020年修订版）》绩效分级B级企业标准，逐项对照开展治理，2023年底前达到B级要求。",
        2022,
        [("2023年底前达到B级要求", "2023年底前", date(2023, 12, 31), "year", False)],
    ),
    (
        "no-date",
        "对6家虚拟货币“挖矿”企业实施整改，强化监管，确保问题不反弹。",
        2022,
        [],
    ),
]


def _table(text: str, year: int | None) -> list[tuple]:
    return [
        (text[c.start : c.end], c.date_raw, c.due_date, c.precision, c.year_inferred)
        for c in find_dated_clauses(text, year)
    ]


@pytest.mark.parametrize("text,year,expected", [m[1:] for m in MEASURES], ids=[m[0] for m in MEASURES])
def test_corpus_measure(text, year, expected):
    assert _table(text, year) == expected


@pytest.mark.parametrize("text,year,expected", [m[1:] for m in MEASURES], ids=[m[0] for m in MEASURES])
def test_offsets_point_into_the_text(text, year, expected):
    for c in find_dated_clauses(text, year):
        assert isinstance(c, DatedClause)
        assert text[c.date_start : c.date_end] == c.date_raw
        assert c.start <= c.date_start < c.date_end <= c.end
        clause = text[c.start : c.end]
        assert clause == clause.strip(" ，。；：、")


def test_yearless_date_without_any_year_stays_undated():
    assert _table("督促企业8月底前完成分类处置方案。", None) == [
        ("督促企业8月底前完成分类处置方案", "8月底前", None, "month", False)
    ]


def test_nearest_earlier_year_even_from_a_reference():
    text = "截至2023年3月，已完成摸排，10月底前完成整治。"
    assert _table(text, 2022) == [("10月底前完成整治", "10月底前", date(2023, 10, 31), "month", True)]


def test_a_later_year_is_not_used_for_an_earlier_date():
    text = "8月底前完成方案，2024年底前完成整改。"
    assert _table(text, 2022)[0] == ("8月底前完成方案", "8月底前", date(2022, 8, 31), "month", True)


CLAUSE_RULES = [
    # Several deadlines joined by "，" in one clause are split.
    ("督促企业2022年底前完成方案，企业2023年底前完成整改。", ["督促企业2022年底前完成方案", "企业2023年底前完成整改"]),
    # ... else at "、".
    ("甲单位于2022年底前、乙单位于2023年底前完成整改。", ["甲单位于2022年底前", "乙单位于2023年底前完成整改"]),
    # A "，" before a date with a prefix splits the clause.
    ("加强监管，并于2023年6月底前完成验收。", ["并于2023年6月底前完成验收"]),
    ("加强监管，力争2023年完成验收。", ["力争2023年完成验收"]),
    # A bare year or month inside a clause is no deadline.
    ("督促企业对2021年项目开展核查。", []),
    ("督促企业对2021年6月项目开展核查。", []),
    # A bare month opening a clause is.
    ("2023年6月完成验收。", ["2023年6月完成验收"]),
    # A year-less date inside a clause needs 前; opening a clause it needs nothing.
    ("召开研判会，提前会商预测年底空气质量变化趋势。", []),
    ("督促企业8月底前完成整改。", ["督促企业8月底前完成整改"]),
    ("2022年6月底前完成方案；9月底实现循环利用。", ["2022年6月底前完成方案", "9月底实现循环利用"]),
    # References and starts.
    ("截至2022年3月，已完成摸排。", []),
    ("2018年以来，累计完成整治。", []),
    ("2020年至2021年将草原化整为零批准开垦。", []),
    ("自2022年起从车排子水库年下泄水量不少于1亿立方米。", []),
    ("已于2022年10月底前完成整改。", []),
    # Recurring dates and relative years.
    ("每年年底前报送监测报告。", []),
    ("今年年底前完成整改。", []),
    # A measure number left at the start of the text.
    ("1.2022年底前建立环境监管数据共享机制。", ["2022年底前建立环境监管数据共享机制"]),
]


@pytest.mark.parametrize("text,clauses", CLAUSE_RULES, ids=[t[:16] for t, _ in CLAUSE_RULES])
def test_clause_rule(text, clauses):
    assert [text[c.start : c.end] for c in find_dated_clauses(text, 2022)] == clauses
