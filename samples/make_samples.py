"""Render the sample plan text to a PDF laid out like a printed notice.

Run from the repository root:  .venv/bin/python samples/make_samples.py

The paragraphs come from the project's own cleaner, so the PDF has the same
paragraph structure as the text, but each paragraph is drawn with its
ORIGINAL characters (the raw slice of the physical lines from its first
cleaned character to its last), so the PDF carries the corpus text's
artifacts: 臵 for 置, •/‣ for 《/》, „/‟ for 〔/〕, †/‡ for 〈/〉, 〃, stray
spaces ("2022 年 9 月底"), a sentence printed twice.

Layout: A4 portrait, 16 pt STSong-Light, 28 characters per line, first
line of each paragraph indented 2 characters, lines wrapped greedily by
measured width (Chinese wraps at any character, a Latin word stays whole),
titles centered, "— N —" footer on every page, a running header on every
page but the first, page breaks wherever the text runs out (so inside
issues); each annex starts a page.

Fonts: STSong-Light (reportlab's built-in CID font, not embedded) writes
the text as UCS-2 codes under the UniGB-UCS2-H CMap. pdfminer (hence
pdfplumber) has no UniGB-UCS2-H entry for six of the artifact characters,
• ‣ „ ‟ † ‡, and drops them: no character at all, not even a gap (pdfium
does extract them). Drawn in STSong-Light they would not survive the round
trip, so they are drawn in Bitstream Vera (Vera.ttf, shipped with
reportlab, embedded as a subset with a ToUnicode map), as in the
broken-font PDFs they come from. 臵 and 〃 round-trip in STSong-Light.

The output is byte-for-byte reproducible (reportlab invariant mode).
"""

from __future__ import annotations

import os
from itertools import groupby
from pathlib import Path

import regex
import reportlab
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from zhenggai.extract import CleanSettings, clean, read_source
from zhenggai.extract.clean import PAGE_NUMBER_LINE
from zhenggai.parsers import load_labels

HERE = Path(__file__).resolve().parent
SAMPLES = [("xinjiang_rectification_plan_2022.txt", "xinjiang_rectification_plan_2022.pdf")]
RUNNING_HEADER = "新疆贯彻落实第二轮中央生态环境保护督察报告整改方案"

FONT = "STSong-Light"
FALLBACK_FONT = "Vera"
FALLBACK_CHARS = frozenset("•‣„‟†‡")  # not encodable in STSong-Light (see above)

PAGE_W, PAGE_H = A4
SIZE = 16.0
CHARS_PER_LINE = 28
TEXT_W = CHARS_PER_LINE * SIZE  # 448 pt
LEFT = 79.0
TOP = PAGE_H - 100.0  # first baseline
BOTTOM = 90.0  # no baseline below this
LEADING = 27.0
TITLE_SIZE = 22.0
ANNEX_TITLE_SIZE = 18.0
HEADER_SIZE = 10.5
FOOTER_SIZE = 14.0

_ANNEX = regex.compile(r"^附件\s*\d+$")
_LATIN_WORD_OR_CHAR = regex.compile(r"[A-Za-z]+|.", regex.S)
_PUNCT = regex.compile(r"[，。、；：！？,.;:]")


def original_paragraphs(source: Path) -> list[str]:
    """The cleaner's paragraphs, each as the raw text it was made from."""
    src = read_source(source)
    ct = clean(src, CleanSettings(label_words=load_labels().labels))
    used = set(ct.origin_line)
    out = []
    for start, text in ct.paragraphs():
        if not text:
            continue
        end = start + len(text)
        first, last = ct.origin_line[start], ct.origin_line[end - 1]
        pieces: list[str] = []
        for i in range(first, last + 1):
            raw = ct.physical[i].text
            if i not in used:
                # Blank lines and page numbers the cleaner dropped.
                if raw.strip() and not PAGE_NUMBER_LINE.match(raw):
                    raise ValueError(f"line {i + 1} inside a paragraph was dropped: {raw!r}")
                continue
            lo = ct.origin_column[start] if i == first else 0
            hi = ct.origin_column[end - 1] + 1 if i == last else len(raw)
            piece = raw[lo:hi].strip()
            if not piece:
                continue
            # The cleaner joins two Latin words across a line break with a space.
            if pieces and _latin(pieces[-1][-1]) and _latin(piece[0]):
                pieces.append(" ")
            pieces.append(piece)
        out.append("".join(pieces))
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_title(text: str, size: float) -> bool:
    return len(text) * size <= TEXT_W and not _PUNCT.search(text)


def layout(paragraphs: list[str]) -> list[tuple[str, str]]:
    """Each paragraph with its style: title, annex_title, annex, body."""
    styled = []
    style_before = "title"
    for text in paragraphs:
        if style_before in ("title", "annex", "annex_title") and _is_title(text, TITLE_SIZE):
            style = "title" if style_before == "title" else "annex_title"
        elif _ANNEX.match(text):
            style = "annex"
        else:
            style = "body"
        styled.append((text, style))
        style_before = style
    return styled


def _font(ch: str) -> str:
    return FALLBACK_FONT if ch in FALLBACK_CHARS else FONT


def _width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(ch, _font(ch), size) for ch in text)


def _wrap(text: str, size: float, first_indent: float) -> list[str]:
    """Greedy: Chinese wraps at any character; a Latin word ("VOCs") is kept
    whole, as word processors do by default. (The cleaner joins two Latin
    letters across a line break with a space, so a word split mid-word
    would come back as "V OCs".)"""
    lines, current, used, limit = [], "", 0.0, TEXT_W - first_indent
    for unit in _LATIN_WORD_OR_CHAR.findall(text):
        w = _width(unit, size)
        if current and used + w > limit + 1e-6:
            lines.append(current)
            current, used, limit = "", 0.0, TEXT_W
        current += unit
        used += w
    if current:
        lines.append(current)
    return lines


class _Writer:
    def __init__(self, target: Path):
        self.canvas = canvas.Canvas(str(target), pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle("新疆维吾尔自治区和新疆生产建设兵团贯彻落实第二轮中央生态环境保护督察报告整改方案")
        self.canvas.setAuthor("zhenggai sample")
        self.canvas.setCreator("zhenggai samples/make_samples.py")
        self.page = 0
        self.y = 0.0
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        self.y = TOP
        if self.page > 1:
            x = (PAGE_W - _width(RUNNING_HEADER, HEADER_SIZE)) / 2
            self._draw(RUNNING_HEADER, x, PAGE_H - 55, HEADER_SIZE)
            self.canvas.setLineWidth(0.5)
            self.canvas.line(LEFT, PAGE_H - 62, LEFT + TEXT_W, PAGE_H - 62)
        footer = f"— {self.page} —"
        self._draw(footer, (PAGE_W - _width(footer, FOOTER_SIZE)) / 2, 50, FOOTER_SIZE)

    def new_page(self) -> None:
        self.canvas.showPage()
        self._start_page()

    def _draw(self, text: str, x: float, y: float, size: float) -> None:
        obj = self.canvas.beginText(x, y)
        for font, run in groupby(text, key=_font):
            obj.setFont(font, size)
            obj.textOut("".join(run))
        self.canvas.drawText(obj)

    def line(self, text: str, x: float, size: float, leading: float) -> None:
        if self.y < BOTTOM:
            self.new_page()
        self._draw(text, x, self.y, size)
        self.y -= leading

    def skip(self, amount: float) -> None:
        self.y -= amount

    def save(self) -> None:
        self.canvas.save()


def render(paragraphs: list[str], target: Path) -> int:
    """Write the PDF; returns its page count."""
    out = _Writer(target)
    styled = layout(paragraphs)
    for k, (text, style) in enumerate(styled):
        if style in ("title", "annex_title"):
            size = TITLE_SIZE if style == "title" else ANNEX_TITLE_SIZE
            for line in _wrap(text, size, 0.0):
                out.line(line, LEFT + (TEXT_W - _width(line, size)) / 2, size, size * 1.6)
            if k + 1 < len(styled) and styled[k + 1][1] != style:
                out.skip(LEADING)
        elif style == "annex":
            out.new_page()
            out.line(text, LEFT, SIZE, LEADING * 1.5)
        else:
            for n, line in enumerate(_wrap(text, SIZE, 2 * SIZE)):
                out.line(line, LEFT + (2 * SIZE if n == 0 else 0.0), SIZE, LEADING)
    out.save()
    return out.page


def register_fonts() -> None:
    """Reproducible output and the two fonts ``render`` draws with."""
    rl_config.invariant = 1
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    vera = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    pdfmetrics.registerFont(TTFont(FALLBACK_FONT, vera))


def main() -> None:
    register_fonts()
    for source, target in SAMPLES:
        pages = render(original_paragraphs(HERE / source), HERE / target)
        print(f"{target}: {pages} pages")


if __name__ == "__main__":
    main()
