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
TABLE_PDF = "xinjiang_corps_task_list_2022_table.pdf"
TABLE_DOCX = "xinjiang_corps_task_list_2022_table.docx"

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


def _wrap(text: str, size: float, first_indent: float, width: float = TEXT_W) -> list[str]:
    """Greedy: Chinese wraps at any character; a Latin word ("VOCs") is kept
    whole, as word processors do by default. (The cleaner joins two Latin
    letters across a line break with a space, so a word split mid-word
    would come back as "V OCs".)"""
    lines, current, used, limit = [], "", 0.0, width - first_indent
    for unit in _LATIN_WORD_OR_CHAR.findall(text):
        w = _width(unit, size)
        if current and used + w > limit + 1e-6:
            lines.append(current)
            current, used, limit = "", 0.0, width
        current += unit
        used += w
    if current:
        lines.append(current)
    return lines


def draw_text(c: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    for font, chars in groupby(text, key=_font):
        run = "".join(chars)
        obj = c.beginText(x, y)
        obj.setFont(font, size)
        # PDFium reads a one-character STSong-Light string as two NULs (see
        # extract/pdf.py): a trailing space makes it two characters; readers
        # drop spaces next to Chinese text. Each run is placed at its own x,
        # so the space moves nothing.
        obj.textOut(run + " " if font == FONT and len(run) == 1 else run)
        c.drawText(obj)
        x += _width(run, size)


class _Writer:
    def __init__(self, target: Path, running_header: str | None):
        self.running_header = running_header
        self.canvas = canvas.Canvas(str(target), pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(running_header or target.stem)
        self.canvas.setAuthor("zhenggai sample")
        self.canvas.setCreator("zhenggai samples/make_samples.py")
        self.page = 0
        self.y = 0.0
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        self.y = TOP
        if self.page > 1 and self.running_header:
            x = (PAGE_W - _width(self.running_header, HEADER_SIZE)) / 2
            self._draw(self.running_header, x, PAGE_H - 55, HEADER_SIZE)
            self.canvas.setLineWidth(0.5)
            self.canvas.line(LEFT, PAGE_H - 62, LEFT + TEXT_W, PAGE_H - 62)
        footer = f"— {self.page} —"
        self._draw(footer, (PAGE_W - _width(footer, FOOTER_SIZE)) / 2, 50, FOOTER_SIZE)

    def new_page(self) -> None:
        self.canvas.showPage()
        self._start_page()

    def _draw(self, text: str, x: float, y: float, size: float) -> None:
        draw_text(self.canvas, text, x, y, size)

    def line(self, text: str, x: float, size: float, leading: float) -> None:
        if self.y < BOTTOM:
            self.new_page()
        self._draw(text, x, self.y, size)
        self.y -= leading

    def skip(self, amount: float) -> None:
        self.y -= amount

    def save(self) -> None:
        self.canvas.save()


def render(paragraphs: list[str], target: Path, running_header: str | None = None) -> int:
    """Write the PDF; returns its page count."""
    out = _Writer(target, running_header)
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


# The task list as a table: landscape A4, a ruled grid, the header row
# repeated on every page, long rows split across pages (the continued part
# has an empty 序号 cell), a "— N —" footer.
TABLE_COLUMNS = (
    ("序号", 30.0),
    ("问题", 140.0),
    ("责任单位", 80.0),
    ("验收单位", 70.0),
    ("整改目标", 130.0),
    ("整改时限", 60.0),
    ("整改措施", 252.0),
)
TABLE_SIZE = 10.5
TABLE_LIST_NO = 2  # the Corps task list of the sample plan


def task_list_rows(source: Path, list_no: int) -> tuple[str, list[list[list[str]]]]:
    """(list title, rows): each row its cells, each cell its paragraphs,
    from the cleaned values the text version parses to."""
    from zhenggai.pipeline import convert

    task_list = next(lst for lst in convert(source).lists if lst.no == list_no)
    rows = []
    for issue in task_list.issues:
        values = [str(issue.seq), issue.problem] + [issue.fields.get(label, "") for label, _ in TABLE_COLUMNS[2:]]
        rows.append([value.split("\n") if value else [] for value in values])
    return task_list.title, rows


TABLE_LEADING = 14.0
CELL_PAD = 4.0
# A row is split at a page break only if this many lines fit before it.
MIN_SPLIT_LINES = 2


def render_table_pdf(annex: str, title: str, rows: list[list[list[str]]], target: Path) -> int:
    """Draw the table by hand (reportlab's Table leaves a split row open at
    the page bottom); returns the page count."""
    from reportlab.lib.pagesizes import landscape

    page_w, page_h = landscape(A4)
    left, top, bottom = 40.0, page_h - 40.0, 50.0
    widths = [w for _, w in TABLE_COLUMNS]
    c = canvas.Canvas(str(target), pagesize=(page_w, page_h), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("zhenggai sample")
    c.setCreator("zhenggai samples/make_samples.py")

    def wrap_cell(paras: list[str], width: float) -> list[str]:
        return [line for para in paras for line in _wrap(para, TABLE_SIZE, 0.0, width - 2 * CELL_PAD)]

    def draw_row(cells: list[list[str]], y: float, centered: bool = False) -> float:
        height = max(len(lines) for lines in cells) * TABLE_LEADING + 2 * CELL_PAD
        x = left
        for lines, width in zip(cells, widths):
            c.rect(x, y - height, width, height)
            for n, line in enumerate(lines):
                dx = (width - _width(line, TABLE_SIZE)) / 2 if centered else CELL_PAD
                draw_text(c, line, x + dx, y - CELL_PAD - TABLE_SIZE - n * TABLE_LEADING, TABLE_SIZE)
            x += width
        return y - height

    page = 1

    def new_page() -> float:
        nonlocal page
        footer = f"— {page} —"
        draw_text(c, footer, (page_w - _width(footer, FOOTER_SIZE)) / 2, 25, FOOTER_SIZE)
        c.showPage()
        page += 1
        c.setLineWidth(0.5)
        return draw_row(header, top, centered=True)

    c.setLineWidth(0.5)
    draw_text(c, annex, left, top - 16, 16)
    draw_text(c, title, (page_w - _width(title, 18)) / 2, top - 56, 18)
    header = [[label] for label, _ in TABLE_COLUMNS]
    y = draw_row(header, top - 76, centered=True)
    for row in rows:
        cells = [wrap_cell(paras, width) for paras, width in zip(row, widths)]
        while True:
            fits = int((y - bottom - 2 * CELL_PAD) // TABLE_LEADING)
            needed = max(len(lines) for lines in cells)
            if needed <= fits:
                y = draw_row(cells, y)
                break
            if fits >= MIN_SPLIT_LINES:
                draw_row([lines[:fits] for lines in cells], y)
                cells = [lines[fits:] for lines in cells]
            y = new_page()
    footer = f"— {page} —"
    draw_text(c, footer, (page_w - _width(footer, FOOTER_SIZE)) / 2, 25, FOOTER_SIZE)
    c.save()
    return page


def render_table_docx(annex: str, title: str, rows: list[list[list[str]]], target: Path) -> None:
    import datetime

    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph(annex)
    document.add_paragraph(title)
    table = document.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")  # Word repeats the header row on every page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, (label, _) in zip(header.cells, TABLE_COLUMNS):
        cell.text = label
    for row in rows:
        cells = table.add_row().cells
        for cell, paras in zip(cells, row):
            for k, para in enumerate(paras):
                if k == 0:
                    cell.paragraphs[0].text = para
                else:
                    cell.add_paragraph(para)
    fixed = datetime.datetime(2022, 9, 1, tzinfo=datetime.timezone.utc)
    document.core_properties.created = document.core_properties.modified = fixed
    document.core_properties.author = "zhenggai sample"
    document.save(str(target))


def register_fonts() -> None:
    rl_config.invariant = 1
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    vera = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    pdfmetrics.registerFont(TTFont(FALLBACK_FONT, vera))


def main() -> None:
    register_fonts()
    for source, target in SAMPLES:
        pages = render(original_paragraphs(HERE / source), HERE / target, RUNNING_HEADER)
        print(f"{target}: {pages} pages")
    title, rows = task_list_rows(HERE / SAMPLES[0][0], TABLE_LIST_NO)
    annex = f"附件 {TABLE_LIST_NO}"
    pages = render_table_pdf(annex, title, rows, HERE / TABLE_PDF)
    render_table_docx(annex, title, rows, HERE / TABLE_DOCX)
    print(f"{TABLE_PDF}: {pages} pages; {TABLE_DOCX}: {len(rows)} rows")


if __name__ == "__main__":
    main()
