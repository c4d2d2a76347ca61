"""Optional OCR of page images: the ``ocr`` extra (pytesseract) and
Debian's tesseract-ocr with the simplified-Chinese model
(tesseract-ocr-chi-sim). Without them, ``available()`` is False and the PDF
reader reports pages it cannot read instead."""

from __future__ import annotations

from functools import lru_cache

import pypdfium2 as pdfium

from .layout import Piece, TextLine, glyph, make_line

LANGUAGES = "chi_sim+eng"
REQUIRED_MODEL = "chi_sim"
# Resolution the page is rendered at for OCR.
DPI = 300


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        import pytesseract
    except ImportError:
        return False
    try:
        return REQUIRED_MODEL in pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return False


def read_page(page: pdfium.PdfPage) -> list[TextLine]:
    """The page's text lines as tesseract reads them, in PDF points."""
    import pytesseract

    scale = DPI / 72
    image = page.render(scale=scale).to_pil()
    data = pytesseract.image_to_data(image, lang=LANGUAGES, output_type=pytesseract.Output.DICT)
    by_line: dict[tuple[int, int, int], list[Piece]] = {}
    for k, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][k], data["par_num"][k], data["line_num"][k])
        left, top = data["left"][k] / scale, data["top"][k] / scale
        width, height = data["width"][k] / scale, data["height"][k] / scale
        # tesseract gives words, not glyphs: share the word's width evenly.
        step = width / len(word)
        by_line.setdefault(key, []).extend(
            glyph(ch, left + i * step, left + (i + 1) * step, top, height)
            for i, ch in enumerate(word)
        )
    lines = []
    for glyphs in by_line.values():
        top = min(g.top for g in glyphs)
        # tesseract's word order, not x order: its word boxes may overlap.
        line = make_line([glyph(g.text, g.x0, g.x1, top, g.size) for g in glyphs])
        if line is not None:
            lines.append(line)
    return sorted(lines, key=lambda line: line.top)
