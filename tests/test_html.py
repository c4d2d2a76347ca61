"""Web pages: the article of a government site's page, without its
navigation, header and footer, parses as its text version does."""

from __future__ import annotations

import tomllib

import pytest

from zhenggai.extract import read_source
from zhenggai.extract.html import declared_charset, furniture
from zhenggai.pipeline import run_stages

from .conftest import ROOT, TURPAN_REPORT
from .gov_page import gov_article_page


@pytest.fixture(scope="session")
def turpan_txt():
    return run_stages(TURPAN_REPORT)


@pytest.fixture(scope="session")
def turpan_page(turpan_txt):
    """The Turpan report as its city's website would publish it: the
    report's paragraphs as <p> in a page with navigation and footer."""
    return gov_article_page(turpan_txt.document.title, turpan_txt.cleaned.text.split("\n"))


def content(doc) -> dict:
    """What a document says, without where it says it (spans, locations)."""
    dumped = doc.model_dump(mode="json", include={"kind", "title", "lists"})
    return _without_locations(dumped)


def _without_locations(value):
    if isinstance(value, dict):
        return {k: _without_locations(v) for k, v in value.items() if k not in ("span", "spans", "source")}
    if isinstance(value, list):
        return [_without_locations(v) for v in value]
    return value


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_turpan_page_parses_to_the_same_items_as_its_text(turpan_txt, turpan_page, tmp_path):
    page = run_stages(_write(tmp_path, "turpan.html", turpan_page.encode("utf-8")))
    text_doc, page_doc = turpan_txt.document, page.document
    assert page_doc.source.format == "html"
    assert [len(tl.issues) for tl in page_doc.lists] == [7]
    assert content(page_doc) == content(text_doc)
    assert [w.code for w in page_doc.warnings] == [w.code for w in text_doc.warnings]
    # Nothing of the navigation, header or footer: the headline, then the report.
    assert page_doc.text == f"{text_doc.title}\n{text_doc.text}"


def test_turpan_page_lines_are_its_paragraphs(turpan_txt, turpan_page, tmp_path):
    source = read_source(_write(tmp_path, "turpan.html", turpan_page.encode("utf-8")))
    paragraphs = turpan_txt.cleaned.text.split("\n")
    assert [line.text for line in source.lines] == [turpan_txt.document.title, *paragraphs]
    assert [(line.page, line.line) for line in source.lines] == [(1, n) for n in range(1, len(paragraphs) + 2)]


def test_turpan_page_evidence_points_at_paragraphs(turpan_page, tmp_path):
    doc = run_stages(_write(tmp_path, "turpan.html", turpan_page.encode("utf-8"))).document
    issue = doc.lists[0].issues[0]
    # Line 1 is the headline, 2 附件：, 3–4 the title lines, 5 the first issue.
    assert (issue.source.page_start, issue.source.line_start) == (1, 5)
    assert issue.spans["整改时限"].line_start == 6


@pytest.mark.parametrize("meta", ["charset", "http-equiv", "none"])
@pytest.mark.parametrize("charset", ["utf-8", "gbk", "gb2312", "gb18030"])
def test_declared_or_detected_charset(turpan_txt, meta, charset, tmp_path):
    paragraphs = turpan_txt.cleaned.text.split("\n")
    page = gov_article_page(turpan_txt.document.title, paragraphs, charset=charset, meta=meta)
    # Sites labelled GB2312 write GBK characters beyond GB2312; encode as GBK.
    data = page.encode("gbk" if charset == "gb2312" else charset)
    doc = run_stages(_write(tmp_path, "p.htm", data)).document
    assert content(doc) == content(turpan_txt.document)
    assert "charset_mismatch" not in [w.code for w in doc.warnings]


def test_a_charset_the_bytes_contradict_is_overruled_with_a_warning(turpan_txt, tmp_path):
    page = gov_article_page(turpan_txt.document.title, turpan_txt.cleaned.text.split("\n"), charset="utf-8")
    doc = run_stages(_write(tmp_path, "p.html", page.encode("gb18030"))).document
    assert content(doc) == content(turpan_txt.document)
    assert [w.message for w in doc.warnings if w.code == "charset_mismatch"] == [
        "the page declares charset utf-8 but its bytes are not utf-8; read as gb18030"
    ]


@pytest.mark.parametrize(
    "declaration,expected",
    [
        (b'<meta charset="GB2312">', "gb18030"),
        (b"<meta charset=gbk>", "gb18030"),
        (b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gb2312">', "gb18030"),
        (b'<meta charset="utf-8" />', "utf-8"),
        (b'<meta charset="big5">', "big5"),
        (b'<meta charset="no-such-charset">', None),
        (b"<p>charset=gbk outside a meta tag</p>", None),
    ],
)
def test_declared_charset(declaration, expected):
    assert declared_charset(b"<html><head>" + declaration + b"</head>") == expected


def _lines(tmp_path, html: str) -> list[str]:
    return [line.text for line in read_source(_write(tmp_path, "x.html", html.encode("utf-8"))).lines]


SHORT_NOTICE = ["各县（市、区）：", "现将有关事项通知如下。", "一、请于2023年底前完成。", "吐鲁番市生态环境局", "2023年12月1日"]


@pytest.mark.parametrize(
    "html,expected",
    [
        pytest.param(gov_article_page("关于某某的通知", SHORT_NOTICE), ["关于某某的通知", *SHORT_NOTICE], id="short-notice-in-a-full-page"),
        pytest.param("<p>第一段<br>第二段<br/>第三段</p>", ["第一段", "第二段", "第三段"], id="br-ends-a-line"),
        pytest.param("<div>　　一、问题。<span>责任</span><b>单位</b>：市政府</div>", ["　　一、问题。责任单位：市政府"], id="inline-elements-join"),
        pytest.param("<p>整改\n   时限：\n2023年底前</p>", ["整改 时限： 2023年底前"], id="source-whitespace-collapses"),
        pytest.param("<pre>第一行\n第二行</pre>", ["第一行", "第二行"], id="pre-keeps-its-lines"),
        pytest.param("<table><tr><td>序号</td><td>问题</td></tr><tr><td>1</td><td>问题一</td></tr></table>", ["序号", "问题", "1", "问题一"], id="table-cell-per-line"),
        pytest.param("<p>正文<!-- 注释 -->继续<script>var x = 1;</script>。</p>", ["正文继续。"], id="comments-and-scripts-dropped"),
        pytest.param("<h1>标题</h1><div><p>标题</p><p>正文。</p></div>", ["标题", "正文。"], id="headline-repeated-in-body-once"),
        pytest.param("<div class='logo'><h1>某市人民政府</h1></div><div><p>正文。</p></div>", ["正文。"], id="logo-headline-is-furniture"),
    ],
)
def test_block_rule(tmp_path, html, expected):
    assert _lines(tmp_path, html) == expected


BROKEN = {
    "unclosed-paragraphs": "<html><body><div class=content><p>一、问题。<p>整改时限：2023年底前<p>1.措施。</div>",
    "missing-closing-tags": "<div class='content'><p>一、问题。</p><p>整改时限：2023年底前</p><p>1.措施。</p>",
    "misnested": "<div class=content><p><b>一、问题。</p></b><p>整改时限：2023年底前</i></p><p>1.措施。</span></p></div></div></body>",
    "stray-bytes-and-tags": "<html><body>\x00<div class=content><p>一、问题。</p><<p>整改时限：2023年底前</p></x><p>1.措施。</p>",
}


@pytest.mark.parametrize("html", BROKEN.values(), ids=BROKEN.keys())
def test_broken_html_still_reads(tmp_path, html):
    lines = _lines(tmp_path, html)
    assert [line for line in lines if line != "<"] == ["一、问题。", "整改时限：2023年底前", "1.措施。"]


def test_truncated_page_keeps_what_arrived(turpan_txt, turpan_page, tmp_path):
    data = turpan_page.encode("utf-8")
    cut = data[: data.index("二、2018年".encode()) + 30]
    lines = [line.text for line in read_source(_write(tmp_path, "cut.html", cut)).lines]
    paragraphs = turpan_txt.cleaned.text.split("\n")
    second = next(i for i, p in enumerate(paragraphs) if p.startswith("二、2018年"))
    assert lines[1:-1] == paragraphs[:second]
    assert paragraphs[second].startswith(lines[-1])


@pytest.mark.parametrize("data", [b"<html><head><title>x</title></head><body></body></html>", b"   ", b"<script>only()</script>"])
def test_a_page_without_text_is_no_text(tmp_path, data):
    from zhenggai.errors import ZhenggaiError

    with pytest.raises(ZhenggaiError) as info:
        read_source(_write(tmp_path, "x.html", data))
    assert info.value.code.code == "no_text"


_FURNITURE = tomllib.loads((ROOT / "extract" / "data" / "html.toml").read_text(encoding="utf-8"))


def _furniture_cases():
    for tag in _FURNITURE["furniture_tags"]:
        yield pytest.param(f"<{tag}>", f"</{tag}>", id=f"tag-{tag}")
    for role in _FURNITURE["furniture_roles"]:
        yield pytest.param(f'<div role="{role}">', "</div>", id=f"role-{role}")
    for name in _FURNITURE["furniture_names"]:
        yield pytest.param(f'<div class="w1200 {name.upper()}">', "</div>", id=f"class-{name}")
        yield pytest.param(f'<div id="{name}">', "</div>", id=f"id-{name}")


@pytest.mark.parametrize("open_tag,close_tag", list(_furniture_cases()))
def test_every_furniture_entry_is_dropped(tmp_path, open_tag, close_tag):
    # The furniture holds more paragraph text than the article: only the
    # rule drops it.
    noise = "<p>导航栏目的文字比正文还要长得多得多得多得多。</p>" * 3
    html = f"<body>{open_tag}{noise}{close_tag}<div><p>正文第一段。</p></div></body>"
    assert _lines(tmp_path, html) == ["正文第一段。"]


def test_furniture_names_are_matched_whole():
    assert "header" in furniture().names
    html = "<div class='article-header'><h1>标题</h1></div><div><p>正文。</p></div>"
    assert _lines_in_memory(html) == ["标题", "正文。"]


def _lines_in_memory(html: str) -> list[str]:
    from zhenggai.extract.html import read_lines

    return [line.text for line in read_lines(html.encode("utf-8"), "x.html")[0]]
