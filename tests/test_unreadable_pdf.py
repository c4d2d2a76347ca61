"""PDFs whose text cannot be read from the text layer: scans (no text
layer) and fonts without a Unicode map. Without OCR they are reported with
stable codes; with the OCR extra (tesseract + chi_sim) they are read, with a
warning that the text came from OCR."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from zhenggai.errors import Errors, ZhenggaiError
from zhenggai.extract import ocr
from zhenggai.pipeline import convert

from .conftest import load_make_samples

NOTICE = ["整改任务清单", "一、督察发现部分企业违法排污。", "责任单位：自治区生态环境厅", "整改时限：2023年底前"]
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _text_pdf(lines: list[str]) -> bytes:
    load_make_samples()  # registers STSong-Light
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    c.setFont("STSong-Light", 18)
    for k, line in enumerate(lines):
        c.drawString(72, 760 - 36 * k, line)
    c.save()
    return buffer.getvalue()


def _scan_of(pdf: bytes) -> bytes:
    """Each page of ``pdf`` as an image only, like a scanner's output."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    with pdfium.PdfDocument(pdf) as document:
        for page in document:
            width, height = page.get_size()
            image = page.render(scale=300 / 72).to_pil()
            c.setPageSize((width, height))
            c.drawImage(ImageReader(image), 0, 0, width, height)
            c.showPage()
    c.save()
    return buffer.getvalue()


def _cid_garbage_pdf() -> bytes:
    """Text in an embedded TrueType subset whose ToUnicode map is cut out
    (renamed, so every offset stays valid): readers get (cid:N) codes or
    control characters."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1, pageCompression=0)
    c.setFont("DejaVuSans", 14)
    c.drawString(72, 700, "План исправления нарушений")
    c.save()
    return buffer.getvalue().replace(b"/ToUnicode", b"/Xxxxxxxxx")


@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_scan_without_ocr_is_no_text_layer(tmp_path, no_ocr):
    path = _write(tmp_path, "scan.pdf", _scan_of(_text_pdf(NOTICE)))
    with pytest.raises(ZhenggaiError) as info:
        convert(path)
    assert info.value.code == Errors.no_text_layer


def test_some_scanned_pages_are_listed_in_a_warning(tmp_path, no_ocr):
    text_page = _text_pdf(NOTICE)
    both = io.BytesIO()
    with pdfium.PdfDocument(text_page) as first, pdfium.PdfDocument(_scan_of(text_page)) as second:
        first.import_pages(second)
        first.save(both)
    doc = convert(_write(tmp_path, "mixed.pdf", both.getvalue()))
    [warning] = [w for w in doc.warnings if w.code == "pages_without_text"]
    assert "2" in warning.message and doc.status.value == "partial"
    assert doc.lists[0].issues[0].fields["责任单位"] == "自治区生态环境厅"


@pytest.mark.skipif(not Path(DEJAVU).exists(), reason="DejaVuSans.ttf is not installed")
def test_fonts_without_unicode_map_are_cid_garbage(tmp_path, no_ocr):
    with pytest.raises(ZhenggaiError) as info:
        convert(_write(tmp_path, "cid.pdf", _cid_garbage_pdf()))
    assert info.value.code == Errors.cid_garbage


@pytest.mark.skipif(not ocr.available(), reason="tesseract with the chi_sim model is not installed (make installs it)")
def test_scan_is_read_by_ocr(tmp_path):
    doc = convert(_write(tmp_path, "scan.pdf", _scan_of(_text_pdf(NOTICE))))
    assert [w.code for w in doc.warnings if w.code == "ocr_text"] == ["ocr_text"]
    [issue] = doc.lists[0].issues
    assert issue.seq == 1 and "违法排污" in issue.problem
    assert issue.fields["责任单位"] == "自治区生态环境厅"
    assert issue.deadline.due_date.isoformat() == "2023-12-31"
