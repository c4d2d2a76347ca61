"""The PDF reader: the sample plan as PDF (samples/make_samples.py) must
parse exactly like the same plan as text; errors carry stable codes."""

from __future__ import annotations

import ctypes
import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.pdfgen import canvas

from zhenggai.errors import Errors, ZhenggaiError
from zhenggai.extract import pdfium_fast, read_source
from zhenggai.extract.pdf import read_pdf

from .conftest import PLAN_PDF as PDF
from .conftest import TABLE_PDF

RUNNING_HEADER = "新疆贯彻落实第二轮中央生态环境保护督察报告整改方案"  # as in make_samples.py
FOOTER = re.compile(r"—\s*\d+\s*—")


@pytest.fixture(scope="module")
def txt(plan_txt_stages):
    return plan_txt_stages.source, plan_txt_stages.cleaned, plan_txt_stages.document


@pytest.fixture(scope="module")
def pdf(plan_pdf_stages):
    return plan_pdf_stages.source, plan_pdf_stages.cleaned, plan_pdf_stages.document


def _issue_key(issue) -> dict:
    return {
        "seq": issue.seq,
        "sub_seq": issue.sub_seq,
        "label": issue.label,
        "problem": issue.problem,
        "fields": dict(issue.fields),
        "measures": [(m.seq, m.label, m.text) for m in issue.measures],
        "sub_issues": [_issue_key(sub) for sub in issue.sub_issues],
    }


def _issues(doc) -> list[tuple[int, dict]]:
    return [(lst.no, _issue_key(issue)) for lst in doc.lists for issue in lst.issues]


def test_pdf_parses_like_text(txt, pdf):
    _, _, doc_t = txt
    _, _, doc_p = pdf
    assert [(lst.no, lst.title, len(lst.issues)) for lst in doc_p.lists] == [
        (lst.no, lst.title, len(lst.issues)) for lst in doc_t.lists
    ]
    assert [len(lst.issues) for lst in doc_t.lists] == [46, 30]
    issues_t, issues_p = _issues(doc_t), _issues(doc_p)
    for (list_t, key_t), (list_p, key_p) in zip(issues_t, issues_p):
        assert (list_p, key_p) == (list_t, key_t), f"first differing issue: list {list_t}, {key_t['label']}"
    assert len(issues_p) == len(issues_t)
    measures = sum(len(i.measures) + sum(len(s.measures) for s in i.sub_issues) for lst in doc_p.lists for i in lst.issues)
    assert measures == 278
    assert [w.code for w in doc_p.warnings] == [w.code for w in doc_t.warnings]


def test_pdf_cleaned_text_equals_text(txt, pdf):
    _, ct_t, _ = txt
    _, ct_p, _ = pdf
    for n, (para_t, para_p) in enumerate(zip(ct_t.text.split("\n"), ct_p.text.split("\n"))):
        assert para_p == para_t, f"paragraph {n} differs"
    assert ct_p.text == ct_t.text


def test_pdf_pages_in_spans(pdf):
    src, _, doc = pdf
    assert src.format == "pdf" and src.page_count > 10
    issues = [issue for lst in doc.lists for issue in lst.issues]
    pages = [issue.source.page_start for issue in issues]
    assert pages == sorted(pages)
    assert pages[-1] > 1 and pages[-1] <= src.page_count
    assert any(issue.source.page_start != issue.source.page_end for issue in issues), "no page break inside an issue"


def test_pdf_furniture_removed(pdf):
    src, ct, _ = pdf
    # The furniture is there in the raw lines ...
    assert sum(1 for line in src.lines if line.text == RUNNING_HEADER) == src.page_count - 1
    assert sum(1 for line in src.lines if FOOTER.fullmatch(line.text)) == src.page_count
    # ... and gone from the cleaned text.
    assert RUNNING_HEADER not in ct.text
    assert not FOOTER.search(ct.text)


def test_pdf_geometry(pdf):
    src, _, _ = pdf
    body = [line for line in src.lines if line.page == 1][3:6]
    assert body[0].indent == pytest.approx(2.0, abs=0.1)  # first line of a paragraph
    assert body[1].indent == pytest.approx(0.0, abs=0.1) and body[1].right_gap < 1.0  # a full line


def read_lines(data: bytes, path: str, **kwargs):
    read = read_pdf(data, path, **kwargs)
    return read.lines, read.page_count


def _pdf_bytes(draw, **kwargs) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, **kwargs)
    draw(c)
    c.save()
    return buf.getvalue()


def test_fake_bold_is_read_once():
    def draw(c):
        for dx in (0.0, 0.3):
            c.drawString(72 + dx, 720, "Fake bold heading")

    lines, pages = read_lines(_pdf_bytes(draw), "bold.pdf")
    assert pages == 1 and [line.text for line in lines] == ["Fake bold heading"]


@pytest.mark.parametrize(
    "data,code",
    [
        (b"not a pdf at all", Errors.not_a_pdf),
        (b"%PDF-1.4\n1 0 obj garbage", Errors.pdf_truncated),
        (b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", Errors.pdf_unreadable),
        (b"%PDF-1.7\n%\xe2\xe3", Errors.pdf_truncated),
    ],
)
def test_corrupt_pdf(data, code):
    with pytest.raises(ZhenggaiError) as info:
        read_lines(data, "broken.pdf")
    assert info.value.code == code
    assert info.value.path == "broken.pdf"


def test_truncated_pdf():
    data = PDF.read_bytes()[:2000]
    with pytest.raises(ZhenggaiError) as info:
        read_lines(data, "cut.pdf")
    assert info.value.code == Errors.pdf_truncated


def test_encrypted_pdf():
    data = _pdf_bytes(lambda c: c.drawString(72, 720, "Secret plan"), encrypt="secret")
    for password, code in ((None, Errors.pdf_encrypted), ("wrong", Errors.pdf_wrong_password)):
        with pytest.raises(ZhenggaiError) as info:
            read_lines(data, "locked.pdf", password=password)
        assert info.value.code == code
    lines, pages = read_lines(data, "locked.pdf", password="secret")
    assert pages == 1 and [line.text for line in lines] == ["Secret plan"]


def test_encrypted_pdf_through_read_source(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf_bytes(lambda c: c.drawString(72, 720, "Secret plan"), encrypt="secret"))
    with pytest.raises(ZhenggaiError) as info:
        read_source(path)
    assert info.value.code == Errors.pdf_encrypted
    assert [line.text for line in read_source(path, password="secret").lines] == ["Secret plan"]


def _pieces_line(pieces: list[tuple[str, float]], size: float = 12) -> bytes:
    """One line drawn as separate text objects, each at its x (points)."""

    def draw(c):
        c.setFont("Helvetica", size)
        for text, x in pieces:
            c.drawString(x, 600, text)

    return _pdf_bytes(draw)


@pytest.mark.parametrize(
    "size,gap,expected",
    [
        (12, 0.0, "ABCDEF"),
        # PDFium puts a space in its text here; the gap is under 3 points.
        (12, 2.5, "ABCDEF"),
        (12, 3.5, "ABC DEF"),
        # PDFium puts no space in its text here (its threshold grows with
        # the font); the gap is over 3 points.
        (40, 3.5, "ABC DEF"),
        (40, 5.0, "ABC DEF"),
        (40, 2.5, "ABCDEF"),
    ],
)
def test_gap_between_text_objects_separates_words_past_3_points(size, gap, expected):
    # A run of PDFium's text over several text objects is read object by
    # object, so the reader's 3-point rule decides, not PDFium's spaces.
    from reportlab.pdfbase.pdfmetrics import stringWidth

    data = _pieces_line([("ABC", 72.0), ("DEF", 72.0 + stringWidth("ABC", "Helvetica", size) + gap)], size)
    for engine in ("auto", "pdfplumber"):
        lines, _ = read_lines(data, "gap.pdf", engine=engine)
        assert [line.text for line in lines] == [expected], engine


def test_space_in_the_text_separates_words():
    # At 8 pt a space is 2.2 points wide: under the gap rule's 3 points, so
    # only the space character itself separates the words.
    lines, _ = read_lines(_pieces_line([("2022 Q3", 72.0)], size=8), "space.pdf")
    assert [line.text for line in lines] == ["2022 Q3"]


def test_hyphen_ending_a_line_is_read_as_a_hyphen():
    # PDFium's page text joins "exam-" and "ple" with U+FFFE for the hyphen:
    # that run is read glyph by glyph, where the hyphen is a hyphen again.
    def draw(c):
        c.setFont("Helvetica", 12)
        c.drawString(72, 700, "an exam-")
        c.drawString(72, 685, "ple of text")

    for engine in ("auto", "pdfplumber"):
        lines, _ = read_lines(_pdf_bytes(draw), "hyphen.pdf", engine=engine)
        assert [line.text for line in lines] == ["an exam-", "ple of text"], engine


@pytest.mark.parametrize(
    "name, arguments",
    [
        ("CountRects", lambda i: (i, 3)),
        ("GetFontSize", lambda i: (i,)),
        ("GetLooseCharBox", None),
        ("GetUnicode", lambda i: (i,)),
        ("HasUnicodeMapError", lambda i: (i,)),
        ("IsGenerated", lambda i: (i,)),
        ("IsHyphen", lambda i: (i,)),
    ],
)
def test_unchecked_text_calls_answer_as_pypdfium2s(name, arguments):
    # pdfium_fast binds the reader's per-character calls without ctypes'
    # argument conversion: a wrong width or pointer would give other values.
    with pdfium.PdfDocument(str(PDF)) as document:
        textpage = document[0].get_textpage()
        handle = textpage.raw
        raw, unchecked = getattr(pdfium_c, f"FPDFText_{name}"), getattr(pdfium_fast, f"FPDFText_{name}")
        count = pdfium_c.FPDFText_CountChars(handle)
        assert count > 100
        for i in range(count):
            if arguments is None:
                expected, got = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
                assert unchecked(handle, i, ctypes.byref(got)) == raw(handle, i, expected)
                assert (got.left, got.top, got.right, got.bottom) == (expected.left, expected.top, expected.right, expected.bottom)
            else:
                assert unchecked(handle, *arguments(i)) == raw(handle, *arguments(i))
        textpage.close()


def _objects_read(calls, page, textpage, typed) -> list[tuple]:
    """Every object of the page as ``calls`` (pypdfium2.raw or pdfium_fast)
    read it: type, bounds, and a path's segments or a text object's text;
    ``typed`` makes a pointer argument of a float."""
    left, bottom, right, top, x, y = (ctypes.c_float() for _ in range(6))
    out = []
    for i in range(calls.FPDFPage_CountObjects(page)):
        obj = calls.FPDFPage_GetObject(page, i)
        kind = calls.FPDFPageObj_GetType(obj)
        calls.FPDFPageObj_GetBounds(obj, *map(typed, (left, bottom, right, top)))
        item = [kind, left.value, bottom.value, right.value, top.value]
        for k in range(calls.FPDFPath_CountSegments(obj)):
            segment = calls.FPDFPath_GetPathSegment(obj, k)
            calls.FPDFPathSegment_GetPoint(segment, typed(x), typed(y))
            item.append((x.value, y.value, calls.FPDFPathSegment_GetType(segment), calls.FPDFPathSegment_GetClose(segment)))
        size = calls.FPDFTextObj_GetText(obj, textpage, None, ctypes.c_ulong(0))
        buffer = (ctypes.c_ushort * max(1, size // 2))()
        calls.FPDFTextObj_GetText(obj, textpage, buffer, ctypes.c_ulong(size))
        item.append(bytes(buffer))
        out.append(tuple(item))
    return out


def test_unchecked_object_calls_answer_as_pypdfium2s():
    # A page with ruled paths and text objects, read through both bindings.
    with pdfium.PdfDocument(str(TABLE_PDF)) as document:
        page = document[0]
        textpage = page.get_textpage()
        expected = _objects_read(pdfium_c, page.raw, textpage.raw, lambda value: value)
        got = _objects_read(pdfium_fast, page.raw, textpage.raw, ctypes.byref)
        textpage.close()
    kinds = {item[0] for item in expected}
    assert {pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_TEXT} <= kinds
    assert any(len(item) > 6 for item in expected)  # paths with segments
    assert got == expected


def test_line_break_pdfium_adds_is_two_generated_characters():
    # The reader asks PDFium once per "\r\n" whether it generated it.
    with pdfium.PdfDocument(str(PDF)) as document:
        textpage = document[0].get_textpage()
        text = textpage.get_text_range()
        breaks = [m.start() for m in re.finditer("\r\n", text)]
        assert len(breaks) > 10
        generated = [pdfium_c.FPDFText_IsGenerated(textpage.raw, i) for i in range(len(text))]
        textpage.close()
    assert all(generated[i] == generated[i + 1] == 1 for i in breaks)
