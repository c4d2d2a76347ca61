"""The cleaner: page furniture, character repairs, paragraph joining and the
map back to the original."""

from __future__ import annotations

import random

import pytest
import regex

from zhenggai.extract import CleanSettings, clean, markers
from zhenggai.extract.clean import _PAGE_NUMBER_START, _join_words, _normalize_text, glyph_rules, markup_rules
from zhenggai.extract.source import PhysicalLine, SourceText
from zhenggai.extract.text import split_lines

from .conftest import PLAN_TXT, clean_text

FULL = "以习近平新时代中国特色社会主义思想为指导全面贯彻党的二"


def _paras(text: str) -> list[str]:
    return clean_text(text).text.split("\n")


@pytest.mark.parametrize("rule", glyph_rules(), ids=lambda r: f"{r.wrong}->{r.right}")
def test_every_glyph_rule_repairs_its_glyph(rule):
    if rule.rule == "always":
        raw, expected = f"处{rule.wrong}到位", f"处{rule.right}到位"
    elif rule.rule == "between_letters":
        raw, expected = f"吉尔拉{rule.wrong}衣沙木丁", f"吉尔拉{rule.right}衣沙木丁"
    elif rule.rule.startswith("opens:"):
        closer = rule.rule.split(":", 1)[1]
        closer_right = next(r.right for r in glyph_rules() if r.wrong == closer)
        raw, expected = f"根据{rule.wrong}办法{closer}制定", f"根据{rule.right}办法{closer_right}制定"
    else:
        opener = rule.rule.split(":", 1)[1]
        opener_right = next(r.right for r in glyph_rules() if r.wrong == opener)
        raw, expected = f"根据{opener}办法{rule.wrong}制定", f"根据{opener_right}办法{rule.right}制定"
    assert clean_text(raw).text == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("• 要点一", "•要点一"),  # a bullet with no closing ‣ is not a book-title mark
        ("〃", "〃"),  # a ditto mark alone in a cell stays
        ("（新环办发„2017‟359号）", "（新环办发〔2017〕359号）"),
        ("•关于印发†克拉玛依市要求‡的通知‣", "《关于印发〈克拉玛依市要求〉的通知》"),
    ],
)
def test_glyph_rules_respect_context(raw, expected):
    assert clean_text(raw).text == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2022 年 9 月底前", "2022年9月底前"),
        ("2022年 9月 15日", "2022年9月15日"),
        ("10 万吨/年的 2 台", "10万吨/年的2台"),
        ("加强重点行业 VOCs治理", "加强重点行业VOCs治理"),
        ("PM 2.5", "PM 2.5"),
        ("２０２３年底前", "2023年底前"),
        ("达到７５．５％以上", "达到75.5%以上"),
        ("各地(州、市)党委", "各地（州、市）党委"),
        ("责任单位:自治区水利厅", "责任单位：自治区水利厅"),
        ("1．加强学习", "1.加强学习"),
        ("\u3000\u3000一、指导思想", "一、指导思想"),
    ],
)
def test_line_repairs(raw, expected):
    assert clean_text(raw).text == expected


@pytest.mark.parametrize("footer", ["— 66 —", " — 44 — ", "- 3 -", "第 12 页", "第3页 共20页", "3/20"])
def test_page_number_footers_are_removed(footer):
    assert _paras(f"{FULL}\n{footer}\n{FULL}") == [FULL + FULL]


# The prefilters below let every character outside the BMP through, so
# checking the BMP covers every character.
_BMP = [chr(c) for c in range(0x10000)]


def test_page_number_prefilter_takes_every_start_of_a_page_number():
    # _furniture asks _PAGE_NUMBER only of lines _PAGE_NUMBER_START takes:
    # every character regex takes as whitespace or a digit must pass it.
    space, digit = regex.compile(r"\s"), regex.compile(r"\d")
    missed = [
        ch
        for ch in _BMP
        if (space.match(ch) and not _PAGE_NUMBER_START.match(ch + "1"))
        or (digit.match(ch) and not _PAGE_NUMBER_START.match(ch))
    ]
    assert missed == []
    for line in ("— 66 —", "\u3000第 3 页", "３/20", "\U0001e4f1"):
        assert _PAGE_NUMBER_START.match(line)
    assert _PAGE_NUMBER_START.match("全面贯彻党的二十大精神") is None


def test_item_prefilter_takes_every_start_of_a_mark():
    # starts_item tries its marks only on text _ITEM_FIRST takes: every
    # character a mark can start with (a partial match) must pass it.
    marks = markers._ITEM_START_AFTER_END
    assert [ch for ch in _BMP if marks.match(ch, partial=True) and not markers._ITEM_FIRST.match(ch)] == []


@pytest.mark.parametrize(
    "text",
    ["一、思想认识", "（三）生态", "3.2022年9月底前", "46.8ug/m3", "（12）加强", "①严格", "附件 2", "第二章 总体要求",
     "专栏 1 生态", "表 2-1 主要指标", "全面贯彻", "PM2.5", "", " 1.加强", "\U0001e4f1.加强"],
)
@pytest.mark.parametrize("after_end", [False, True])
def test_starts_item_is_its_alternation(text, after_end):
    pattern = markers._ITEM_START_AFTER_END if after_end else markers._ITEM_START
    assert markers.starts_item(text, after_paragraph_end=after_end) is (pattern.match(text) is not None)


def test_dash_inside_text_is_not_a_footer():
    # "乌—昌—石" wraps so that a line starts with a dash.
    assert "—昌—石”区域。" in clean_text("统筹推进“乌\n—昌—石”区域。").text


def test_running_header_repeated_on_pages_is_removed():
    lines = []
    for page in range(1, 5):
        lines.append(PhysicalLine(page, 1, "新疆整改方案"))
        lines.append(PhysicalLine(page, 2, f"正文第{page}页的内容。", right_gap=10.0))
        lines.append(PhysicalLine(page, 3, f"— {page} —"))
    source = SourceText("x.pdf", "pdf", "0" * 64, 4, lines)
    assert clean(source).text == "\n".join(f"正文第{p}页的内容。" for p in range(1, 5))


def _corpus_context() -> list[str]:
    """The plan's preamble up to the heading 二、工作目标: enough real lines
    for the cleaner to learn the column width, ending with a short line."""
    lines = [l for l in PLAN_TXT.read_text(encoding="utf-8").split("\n") if l.strip()]
    end = next(i for i, l in enumerate(lines) if l.strip() == "二、工作目标")
    return lines[: end + 1]


_CONTEXT = _corpus_context()


def _paras_after_context(*lines: str) -> list[str]:
    n = len(_paras("\n".join(_CONTEXT)))
    return _paras("\n".join(_CONTEXT + list(lines)))[n:]


@pytest.mark.parametrize(
    "lines,expected",
    [
        pytest.param(
            ["约束性指标。到 2025年，昌吉市细颗粒物（PM2.5）浓度不超过", "46.8ug/m3、重污染天数比率低于 7.7%，阜康市细颗粒物（PM2.5）", "浓度不超过 58.5ug/m3。 "],
            ["约束性指标。到2025年，昌吉市细颗粒物（PM2.5）浓度不超过46.8ug/m3、重污染天数比率低于7.7%，阜康市细颗粒物（PM2.5）浓度不超过58.5ug/m3。"],
            id="decimal-continues",
        ),
        pytest.param(
            ["整改目标：统筹完成 2019—2020 年新增高效节水未完成的", "34.5万亩高效节水建设任务。 "],
            ["整改目标：统筹完成2019—2020年新增高效节水未完成的34.5万亩高效节水建设任务。"],
            id="decimal-after-field-label",
        ),
        pytest.param(
            ["1.自治区农业农村厅负责指导农业生产企业依法建立农用薄膜使", "用记录。 ", "2.2023 年 6 月底前，自治区农业农村厅完成废旧农膜分类"],
            ["1.自治区农业农村厅负责指导农业生产企业依法建立农用薄膜使用记录。", "2.2023年6月底前，自治区农业农村厅完成废旧农膜分类"],
            id="number-then-year-after-sentence-end",
        ),
        pytest.param(
            ["1.完成两个团（镇）污水处理站主体构筑物修复和完善工作，并", "投入运行。10 月底前完成项目竣工环境保护验收工作。", "2.223团污水处理站提质增效后，处理能力达 1700立方米/"],
            ["1.完成两个团（镇）污水处理站主体构筑物修复和完善工作，并投入运行。10月底前完成项目竣工环境保护验收工作。", "2.223团污水处理站提质增效后，处理能力达1700立方米/"],
            id="number-then-digits-after-sentence-end",
        ),
        pytest.param(
            ["巴州轮台县从每亩 7.9千克增加到阿克苏地区拜城县地膜残留量从每", "13.3 千克。个别地膜回收利用企业还存在违法行为，拜城县新"],
            ["巴州轮台县从每亩7.9千克增加到阿克苏地区拜城县地膜残留量从每13.3千克。个别地膜回收利用企业还存在违法行为，拜城县新"],
            id="decimal-after-full-line",
        ),
        pytest.param(
            ["责任单位：自治区党委办公厅、组织部、宣传部、依法治疆", "办，自治区人民政府办公厅", "验收单位：自治区党委办公厅"],
            ["责任单位：自治区党委办公厅、组织部、宣传部、依法治疆办，自治区人民政府办公厅", "验收单位：自治区党委办公厅"],
            id="field-label-starts-paragraph",
        ),
        pytest.param(
            ["督察发现，海努克乡砂石料集中开采区存在越界开采、违法侵占", "十九、第一轮督察期间，群众投诉伊犁州新源矿业苏洛铁矿、"],
            ["督察发现，海努克乡砂石料集中开采区存在越界开采、违法侵占", "十九、第一轮督察期间，群众投诉伊犁州新源矿业苏洛铁矿、"],
            id="issue-number-starts-paragraph",
        ),
        pytest.param(
            ["整改措施： ", "督促鸿基焦化有限公司完成焦炉烟气脱硫、脱硝设施建设，确保"],
            ["整改措施：", "督促鸿基焦化有限公司完成焦炉烟气脱硫、脱硝设施建设，确保"],
            id="short-line-ends-paragraph",
        ),
    ],
)
def test_paragraph_joining(lines, expected):
    assert _paras_after_context(*lines) == expected


def test_chinese_lines_join_without_space_even_inside_latin_words():
    paras = _paras_after_context(
        "以习近平新时代中国特色社会主义思想为指导，全面加强对V",
        "OCs治理和推进全面贯彻党的二十大精神以习近平新时代理念推进",
    )
    assert paras == ["以习近平新时代中国特色社会主义思想为指导，全面加强对VOCs治理和推进全面贯彻党的二十大精神以习近平新时代理念推进"]


def test_latin_only_lines_join_with_a_space():
    cleaned = clean_text("\n".join(_CONTEXT + ["Rectification plan of the Xinjiang Uygur Autonomous Region and", "the Xinjiang Production and Construction Corps"]))
    assert cleaned.text.endswith("Autonomous Region and the Xinjiang Production and Construction Corps")


def test_fake_bold_duplicate_sentence_removed_with_warning():
    cleaned = clean_text("一、思想认识有偏差。思想认识有偏差。一些地方认识不足。")
    assert cleaned.text == "一、思想认识有偏差。一些地方认识不足。"
    assert [w.code for w in cleaned.warnings] == ["duplicated_text"]


def test_regression_second_duplicate_in_a_paragraph_points_at_its_kept_copy():
    """Found while checking one huge line: with two duplicated sentences in a
    paragraph, the second warning's span used offsets from before the first
    copy was removed (past the text's end on a long run: ValueError)."""
    cleaned = clean_text("一、思想认识有偏差。思想认识有偏差。落实不到位。落实不到位。其他。")
    assert cleaned.text == "一、思想认识有偏差。落实不到位。其他。"
    spans = [(w.span.start, w.span.end) for w in cleaned.warnings]
    assert [cleaned.text[a:b] for a, b in spans] == ["思想认识有偏差。", "落实不到位。"]
    repeated = clean_text("测试句子。" * 4000)
    assert repeated.text == "测试句子。" * 2000
    assert all(repeated.text[w.span.start : w.span.end] == "测试句子。" for w in repeated.warnings)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("整改落实到位。整改落实到位。", "整改落实到位。"),  # at the paragraph start
        ("一、问题：整改落实到位。整改落实到位。", "一、问题：整改落实到位。"),  # after a colon
        ("甲、整改落实到位！整改落实到位！其他。", "甲、整改落实到位！其他。"),  # after 、, ending in ！
        ("总体要求；整改落实到位？整改落实到位？", "总体要求；整改落实到位？"),  # after ；
        ("整改到位。整改到位。", "整改到位。"),  # four characters and the mark
        ("整改位。整改位。", "整改位。整改位。"),  # three: too short to tell
        ("整改落实到位；整改落实到位；", "整改落实到位；整改落实到位；"),  # ； ends no sentence
        ("甲" * 60 + "。" + "甲" * 60 + "。", "甲" * 60 + "。"),  # sixty characters
        ("前言" + "甲" * 61 + "。" + "甲" * 61 + "。", "前言" + "甲" * 61 + "。" + "甲" * 61 + "。"),  # too long
        ("整改落实到位。" * 3, "整改落实到位。" * 2),  # copies go in pairs
    ],
)
def test_duplicated_sentence_bounds(raw, expected):
    cleaned = clean_text(raw)
    assert cleaned.text == expected
    assert [w.code for w in cleaned.warnings] == ["duplicated_text"] * (raw != expected)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("•第一‣与•第二‣", "《第一》与《第二》"),
        ("••通知‣‣", "•《通知》‣"),  # the opener nearest the closer pairs with it
        ("阿〃布〃丁", "阿·布·丁"),
        ("阿〃〃布", "阿〃〃布"),  # neither mark stands between two letters
    ],
)
def test_glyph_rules_on_repeated_marks(raw, expected):
    assert clean_text(raw).text == expected


def test_every_character_maps_back_to_its_original():
    raw = "整改时限：2022 年 9 月底 \n\n— 3 —\n位臵（新环办发„2017‟359号）"
    cleaned = clean_text(raw)
    originals = raw.split("\n")
    repaired = {r.right: r.wrong for r in glyph_rules()} | {"（": "(", "）": ")"}
    for offset, ch in enumerate(cleaned.text):
        if ch == "\n":
            continue
        phys = cleaned.physical[cleaned.origin_line[offset]]
        original = originals[phys.line - 1][cleaned.origin_column[offset]]
        assert original == ch or repaired.get(ch) == original, (offset, ch, original)


def test_span_and_runs_agree():
    cleaned = clean_text("标题\n\n2022 年 9 月底前完成\n— 3 —\n责任单位：自治区水利厅")
    runs = cleaned.runs()
    for run in runs:
        span = cleaned.span(run.start, run.end)
        assert (span.page_start, span.line_start) == (run.page, run.line)
    assert cleaned.span(0, 2).line_start == 1
    last = cleaned.text.index("责任单位")
    assert cleaned.span(last, last + 4).line_start == 5


@pytest.mark.parametrize(
    "kwargs",
    [{"short_line_gap": 0}, {"paragraph_indent": -1}, {"header_min_pages": 1}, {"label_words": ("",)}],
)
def test_settings_are_validated(kwargs):
    with pytest.raises(ValueError):
        CleanSettings(**kwargs)


def test_form_feed_starts_a_new_page():
    lines, pages = split_lines("第一页\f第二页\n续")
    assert pages == 2
    assert [(l.page, l.line, l.text) for l in lines] == [(1, 1, "第一页"), (2, 1, "第二页"), (2, 2, "续")]


# Converter markup: each rule of data/markup.tsv with an example it repairs.
MARKUP_EXAMPLES = {
    r"\\mu(?![A-Za-z])": ("浓度59.5 $\\mu\\text{g}/\\text{m}^3$", "浓度59.5 μg/m³"),
    r"\\text\{([^{}$]*)\}": ("单位$\\text{mg}$", "单位mg"),
    r"\^\{?3\}?": ("体积$m^3$", "体积m³"),
    r"\^\{?2\}?": ("面积$km^{2}$", "面积km²"),
    r"\$([^$\n]{1,80})\$": ("单位$t/a$", "单位t/a"),
    r"(?<=[A-Za-z])_\{([^{}]{1,8})\}": ("加强PM_{2.5}和O₃协同控制", "加强PM2.5和O3协同控制"),
    r"(?<=[A-Za-z])_([A-Za-z0-9])": ("实施NO_x和VOCs协同减排", "实施NOx和VOCs协同减排"),
    "₂": ("二氧化硫（SO₂）", "二氧化硫（SO2）"),
    "₃": ("臭氧（O₃）", "臭氧（O3）"),
    "ₓ": ("氮氧化物（NOₓ）", "氮氧化物（NOx）"),
}


@pytest.mark.parametrize("rule", markup_rules(), ids=lambda r: r.why)
def test_every_markup_rule_repairs_its_fragment(rule):
    raw, expected = MARKUP_EXAMPLES[rule.pattern.pattern]
    cleaned = clean_text(raw)
    assert cleaned.text == expected
    # every kept or rewritten character still maps into the source line
    assert all(0 <= cleaned.origin_column[i] < len(raw) for i in range(len(cleaned.text)))


def test_markup_repair_keeps_columns_of_kept_characters():
    raw = "加强PM_{2.5}协同控制"
    cleaned = clean_text(raw)
    assert cleaned.text == "加强PM2.5协同控制"
    assert [raw[cleaned.origin_column[i]] for i in range(len(cleaned.text))] == list(cleaned.text)


def test_tab_lines_are_table_rows_of_their_own():
    raw = "表 2-1 指标\n\t2\t空气质量优良天数比例 (%)\t石河子、 五家渠\t75.8\t79.4\t约束性\n\t\t\t其他各师市平均\t/\t73\t预期性\n第三章 推动绿色低碳循环发展"
    assert _paras(raw) == [
        "表2-1指标",
        "\t2\t空气质量优良天数比例（%）\t石河子、五家渠\t75.8\t79.4\t约束性",
        "\t\t\t其他各师市平均\t/\t73\t预期性",
        "第三章推动绿色低碳循环发展",
    ]


def test_box_heading_after_a_full_line_starts_a_paragraph():
    raw = "\n".join([FULL, FULL, FULL + "。", "专栏 3 大气污染防治重点工程", FULL, FULL + "。"])
    assert _paras(raw)[1:] == ["专栏3大气污染防治重点工程", FULL + FULL + "。"]


def test_a_bare_page_number_line_is_dropped():
    assert _paras("2.加强水源地保护。持续推进农村饮水安全巩固提升工程。\n\n15\n\n3.完善污水设施建设。") == [
        "2.加强水源地保护。持续推进农村饮水安全巩固提升工程。",
        "3.完善污水设施建设。",
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "区 4 个方面 15 类问题以及公开曝光的 3 个典型案例，兵团 3 个方",
        "  到 2025 年，PM 2.5   浓度  ",
        "VOCs   治理 and  NOx  ",
        "物（PM2.5）平均浓度下降到 33 微克/立方米以下",
        "“ 两高 ” 项目 … 2022 年·",
        "a b",
        "   ",
        "x",
    ],
)
def test_space_only_lines_read_as_the_general_path_reads_them(raw):
    # _normalize_line sends lines whose only characters to decide on are
    # spaces to _join_words; the general path must give the same text and map.
    assert _join_words(raw, 7) == _normalize_text(raw, 7, is_table=False)


def test_space_only_lines_fuzzed():
    rng = random.Random(6)
    alphabet = "ab1.年月（）“”—·…、 "
    for _ in range(20_000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _join_words(raw, 3) == _normalize_text(raw, 3, is_table=False), raw
