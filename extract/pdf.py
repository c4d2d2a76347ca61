"""PDF reader: pages → text lines with their geometry, and ruled tables.

Two libraries read the glyphs. PDFium (pypdfium2) reads every page whose
drawing has no ruled grid; it is about 25 times faster than pdfminer. A page
with ruled lines (at least two horizontal and two vertical edges) is read by
pdfplumber, whose ``find_tables`` gives the cells. Both feed the same
piece → line rules (layout.py), so a page reads the same either way
(``engine="pdfplumber"`` reads every page with pdfplumber, for comparison).

PDFium is asked for the page's text in one call and for geometry stretch
by stretch: the characters one text object drew between two spaces or line
breaks PDFium generated are one piece, placed by the boxes of its first and
last glyph. Asking for every glyph's box, code and flags costs more than
PDFium's own parsing of the page; the stretches give the same lines
(tests/test_pdf_engines.py reads the corpus and sample documents both
ways). Text drawn by several objects is cut into one piece per object, so
that the reader's gap rule, not PDFium's own threshold for generating a
space, decides whether two objects' text is one word.

Each prose line's ``indent`` and ``right_gap`` are measured in character
widths from the text column's edges. The column is estimated once for the
whole document from percentiles of the prose lines' left and right ends, so a
centered title, a short last line or a page number does not move it. A
table cell's lines are measured from the cell's own text edges.

A table continued on the next page (the page's first table, with the same
columns as the previous page's last table) is joined to it: a first row
equal to the header is a repeated header and dropped; a first row whose
first cell is empty continues the row the page break split. A cell merged
down over several rows below the header is each of those rows' cell (they
share its lines), as Word tables give it.

Pages without a text layer (an image and no text) and pages whose fonts
have no Unicode map are read by OCR when the OCR extra is installed
(ocr.py); otherwise they are reported, and a document made only of them is an
error (no_text_layer, cid_garbage).
"""

from __future__ import annotations

import ctypes
import io
import os
import re
import traceback
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Literal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import Code, Errors, Warnings, ZhenggaiError
from ..model import Diagnostic
from . import ocr, pdfium_fast
from .layout import HAN, TOP, Y_TOLERANCE, Piece, TextLine, glyph, group_lines, line_numbers
from .source import PhysicalLine, SourceTable, TableCell

# Percentiles of the lines' left and right ends taken as the column edges.
LEFT_EDGE_PERCENTILE = 0.10
RIGHT_EDGE_PERCENTILE = 0.90
# Readers accept the header anywhere in the first 1024 bytes and the end
# marker in the last 1024 (junk before or after is common).
_PDF_HEADER, _HEADER_WINDOW = b"%PDF-", 1024
_EOF_MARKER, _TRAILER_WINDOW = b"%%EOF", 1024
# A ruled edge: an axis-parallel path segment at least this long (points).
MIN_RULE_LENGTH = 3.0
# Tables on consecutive pages with column edges this close (points) are one.
COLUMN_TOLERANCE = 2.0
# A cell reaches into a later row when its bottom is this far (points)
# below that row's top; rows that only touch share a ruled line.
MERGE_TOLERANCE = 1.0
# A page whose glyphs are mostly unmapped has unreadable text.
UNMAPPED_SHARE = 0.5

Engine = Literal["auto", "pdfplumber"]
_PDFIUM_HYPHEN = 0x02


@dataclass
class _Table:
    """A table on one page: rows of cells, each cell its lines (None for a
    position covered by a merged cell)."""

    columns: list[float]  # left edges of the header row's cells
    rows: list[list[list[TextLine] | None]]
    # (row, column) of a position covered by a cell merged down from an
    # earlier row of the same column: that row.
    merged_from: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class _Page:
    lines: list[TextLine] = field(default_factory=list)  # outside tables
    tables: list[_Table] = field(default_factory=list)
    has_image: bool = False
    glyphs: int = 0
    unmapped: int = 0
    ocr: bool = False

    @property
    def unreadable(self) -> bool:
        return self.glyphs > 0 and self.unmapped >= self.glyphs * UNMAPPED_SHARE

    @property
    def scanned(self) -> bool:
        return self.glyphs == 0 and self.has_image


@dataclass
class PdfText:
    lines: list[PhysicalLine]
    tables: list[SourceTable]
    page_count: int
    notes: list[Diagnostic]


def read_pdf(data: bytes, path: str, *, password: str | None = None, engine: Engine = "auto") -> PdfText:
    """Raises ZhenggaiError (not_a_pdf, pdf_truncated, pdf_encrypted,
    pdf_wrong_password, pdf_unreadable, no_text_layer, cid_garbage)."""
    if _PDF_HEADER not in data[:_HEADER_WINDOW]:
        raise ZhenggaiError(Errors.not_a_pdf, path, head=repr(data[:16]))
    document = _open_pdfium(data, path, password)
    try:
        pages: list[_Page | None] = []
        to_pdfplumber: list[int] = []
        for index in range(len(document)):
            # PDFium's own calls, not pypdfium2's PdfPage: its bookkeeping
            # for closing showed as 2% of the pipeline's samples.
            page = pdfium_c.FPDF_LoadPage(document.raw, index)
            if not page:
                # A page PDFium cannot load: pdfplumber gets it, and says
                # with a coded error if it cannot read it either.
                pages.append(None)
                to_pdfplumber.append(index)
                continue
            try:
                drawing = page_drawing(page)
                if drawing.needs_pdfplumber or engine == "pdfplumber":
                    pages.append(None)
                    to_pdfplumber.append(index)
                else:
                    pages.append(_pdfium_page(page, drawing.has_image))
            finally:
                pdfium_c.FPDF_ClosePage(page)
        if to_pdfplumber:
            for index, page_text in zip(to_pdfplumber, _plumber_pages(data, path, password, to_pdfplumber)):
                pages[index] = page_text
        read = [p for p in pages if p is not None]
        notes = _read_unreadable_pages(document, read, path)
    finally:
        document.close()
    lines, tables = _assemble(read)
    return PdfText(lines, tables, len(read), notes)


def ignore_system_fonts() -> None:
    """Have PDFium, in this process, stand its built-in fonts in for the
    fonts a PDF names without embedding them, instead of the machine's.

    Reading text needs no glyph outlines: the characters come from the PDF's
    encodings and Unicode maps, their advances from its width arrays. Yet
    with a Chinese font installed, PDFium loads the outline of every Chinese
    glyph of a font that is not embedded, to measure its box; that was most
    of the time of reading the corpus's PDFs (their STSong-Light is not
    embedded), and the boxes, hence the lines' indents by a fraction of a
    character, depended on the machine's fonts (tests/test_pdf_engines.py
    reads the same lines either way).

    The setting is process-wide and changes how such text renders (no
    Chinese glyphs), so only processes zhenggai owns set it: batch workers,
    which render a page only to OCR a scan or text in fonts without a
    Unicode map, whose glyphs are images or, in practice, embedded."""
    pdfium_c.FPDF_SetSystemFontInfo(None)


def _open_pdfium(data: bytes, path: str, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        # Classified by PDFium's error code, never by message text.
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ZhenggaiError(Errors.pdf_encrypted if password is None else Errors.pdf_wrong_password, path) from exc
        if _EOF_MARKER not in data[-_TRAILER_WINDOW:]:
            raise ZhenggaiError(Errors.pdf_truncated, path, size=len(data)) from exc
        raise ZhenggaiError(Errors.pdf_unreadable, path, detail=str(exc)) from exc


@dataclass(frozen=True)
class PageDrawing:
    """What a page draws besides text, from its objects (cheap to learn
    with PDFium)."""

    ruled: bool  # at least two horizontal and two vertical ruled edges
    # Text PDFium cannot decode: it reads a one-character string of a
    # non-embedded UCS-2 CID font (reportlab's STSong-Light) as two NUL
    # characters of no width.
    undecodable_text: bool
    has_image: bool

    @property
    def needs_pdfplumber(self) -> bool:
        return self.ruled or self.undecodable_text


def page_drawing(page) -> PageDrawing:
    """What ``page`` (a PDFium page handle, pypdfium2's ``PdfPage.raw``)
    draws besides text."""
    horizontal = vertical = 0
    has_image = undecodable = False
    x, y = ctypes.c_float(), ctypes.c_float()
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    bounds = [ctypes.byref(value) for value in (left, bottom, right, top)]
    textpage = None  # loaded only for a text object of no width
    try:
        for obj, kind in _page_objects(page):
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                has_image = True
            elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if not undecodable:
                    pdfium_fast.FPDFPageObj_GetBounds(obj, *bounds)
                    if right.value - left.value < 0.01:
                        textpage = textpage or _load_text_page(page)
                        undecodable = "\0" in _object_text(obj, textpage)
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and (horizontal < 2 or vertical < 2):
                h, v = _rules(obj, x, y)
                horizontal, vertical = horizontal + h, vertical + v
    finally:
        if textpage is not None:
            pdfium_c.FPDFText_ClosePage(textpage)
    return PageDrawing(horizontal >= 2 and vertical >= 2, undecodable, has_image)


# Form XObjects nested deeper than this are not looked into (pypdfium2's
# default depth).
_MAX_FORM_DEPTH = 15


def _page_objects(page_handle, form_handle=None, depth: int = 0):
    """(handle, type) of every object on the page, inside form XObjects
    too, with PDFium's raw calls (its object wrappers cost more than the
    calls)."""
    if form_handle is None:
        count, get, parent = pdfium_fast.FPDFPage_CountObjects, pdfium_fast.FPDFPage_GetObject, page_handle
    else:
        count, get, parent = pdfium_fast.FPDFFormObj_CountObjects, pdfium_fast.FPDFFormObj_GetObject, form_handle
    for i in range(count(parent)):
        obj = get(parent, i)
        if not obj:
            continue
        kind = pdfium_fast.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < _MAX_FORM_DEPTH:
                yield from _page_objects(page_handle, obj, depth + 1)
        else:
            yield obj, kind


def _rules(obj, x: ctypes.c_float, y: ctypes.c_float) -> tuple[int, int]:
    """(horizontal, vertical) ruled edges of a path."""
    horizontal = vertical = 0
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    points: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    for k in range(pdfium_fast.FPDFPath_CountSegments(obj)):
        segment = pdfium_fast.FPDFPath_GetPathSegment(obj, k)
        pdfium_fast.FPDFPathSegment_GetPoint(segment, x_ref, y_ref)
        point = (x.value, y.value)
        kind = pdfium_fast.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and points:
            edges = [points[-1], point]
            if pdfium_fast.FPDFPathSegment_GetClose(segment) and start is not None:
                edges.append(start)
            for (x0, y0), (x1, y1) in zip(edges, edges[1:]):
                if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= MIN_RULE_LENGTH:
                    horizontal += 1
                elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= MIN_RULE_LENGTH:
                    vertical += 1
        points.append(point)
    return horizontal, vertical


def _object_text(obj, textpage) -> str:
    size = pdfium_fast.FPDFTextObj_GetText(obj, textpage, None, ctypes.c_ulong(0))  # in bytes
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_fast.FPDFTextObj_GetText(obj, textpage, buffer, ctypes.c_ulong(size))
    return bytes(buffer)[:-2].decode("utf-16-le", errors="replace")  # without the terminating NUL


def _load_text_page(page):
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        raise pdfium.PdfiumError("Failed to load text page.")
    return textpage


def _pdfium_page(page, has_image: bool) -> _Page:
    """The lines of ``page``, a PDFium page handle."""
    height = pdfium_c.FPDF_GetPageHeightF(page)
    textpage = _load_text_page(page)
    try:
        pieces = _pdfium_pieces(textpage, height)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    return _Page(
        lines=group_lines(pieces),
        has_image=has_image,
        glyphs=sum(len(p.text) - p.text.count(" ") for p in pieces if not p.text.isspace()),
        unmapped=sum(p.unmapped for p in pieces),
    )


# Characters of PDFium's page text that do not stand for the glyph drawn:
# a hyphen ending a line, which the page text gives as U+FFFE and
# FPDFText_GetUnicode as U+0002 (both looked for); _pdfium_glyphs reads it
# back as "-".
_SPECIAL = re.compile(r"[\x02\ufffe]")
# Codes no real text uses: private use, control characters but tab and
# line breaks, U+FFFD-U+FFFF, surrogates.
_PLACEHOLDER = re.compile(r"[\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\ufffd\ufffe\uffff\ud800-\udfff]")
_SEGMENT = re.compile(r"\S+")
_BREAK_OR_SPACE = re.compile(r"\r\n|\s")
# Runs, not characters: counting a piece's Han characters run by run is
# four times faster than one match per character.
_HAN_RUN = re.compile(HAN.pattern + "+")


def _pdfium_pieces(handle, height: float) -> list[Piece]:
    """The page's pieces. PDFium's text is cut where PDFium generated a
    space or line break; each stretch between two cuts, drawn by one text
    object, becomes one piece, placed by the boxes of its first and last
    glyph (a few calls per stretch instead of several per glyph), its
    spaces reduced to one between words as lines join words. A stretch
    over several text objects is read run by run (runs of non-space
    characters), a run over several objects object by object, and a run
    over two heights or holding characters the page text cannot stand
    for glyph by glyph; so is a page whose text does not line up with its
    characters."""
    count = pdfium_c.FPDFText_CountChars(handle)
    text = _page_text(handle, count)
    if text is None:
        return _pdfium_glyphs(handle, height, range(count))
    reader = _PieceReader(handle, height, text)
    is_generated = pdfium_fast.FPDFText_IsGenerated
    cuts = [-1]
    for space in _BREAK_OR_SPACE.finditer(text):
        i = space.start()
        if is_generated(handle, i) == 1:
            # A space or line break PDFium added: nothing drawn. PDFium
            # adds a line break as "\r\n", both characters generated.
            cuts.extend(range(i, space.end()))
    cuts.append(len(text))
    for before, after in zip(cuts, cuts[1:]):
        if after > before + 1:
            reader.stretch(before + 1, after)
    return reader.pieces


class _PieceReader:
    """Pieces of one page's text, stretch by stretch."""

    def __init__(self, handle, height: float, text: str):
        self.handle = handle
        self.height = height
        self.text = text
        self.box = pdfium_c.FS_RECTF()
        self.box_ref = ctypes.byref(self.box)
        # Most pages hold no placeholder (and so no special character, a
        # kind of placeholder): their runs need not be searched for them.
        self.placeholders = _PLACEHOLDER.search(text) is not None
        self.pieces: list[Piece] = []

    def stretch(self, start: int, end: int) -> None:
        """Characters [start, end) with no generated space among them."""
        drawn = self.text[start:end]
        trimmed = drawn.strip()
        if not trimmed:
            self._spaces(start, end)
            return
        first = end - len(drawn.lstrip())
        last = first + len(trimmed)
        self._spaces(start, first)
        if not self._piece(first, last):
            # Word by word; the words are cut only now, as most stretches
            # are one piece.
            matches = list(_SEGMENT.finditer(self.text, first, last))
            for k, word in enumerate(matches):
                if k:
                    self._spaces(matches[k - 1].end(), word.start())
                if len(matches) == 1 or not self._piece(word.start(), word.end()):
                    self._by_object(word.start(), word.end())
        self._spaces(last, end)

    def _by_object(self, start: int, end: int) -> None:
        """A run of several text objects: one piece per object's part of it
        (each found by halving, as the longest prefix PDFium covers with one
        rectangle), glyph by glyph where that fails. Adjacent pieces are
        then words or not by the gap between them, as glyphs would be."""
        count_rects = pdfium_fast.FPDFText_CountRects
        while start < end:
            low, high = start + 1, end
            while low < high:
                middle = (low + high + 1) // 2
                if count_rects(self.handle, start, middle - start) == 1:
                    low = middle
                else:
                    high = middle - 1
            if not self._piece(start, low):
                self.pieces.extend(_pdfium_glyphs(self.handle, self.height, range(start, low)))
            start = low

    def _spaces(self, start: int, end: int) -> None:
        """Drawn spaces: each breaks a word where it stands."""
        handle, box, box_ref = self.handle, self.box, self.box_ref
        for i in range(start, end):
            pdfium_fast.FPDFText_GetLooseCharBox(handle, i, box_ref)
            unmapped = pdfium_fast.FPDFText_HasUnicodeMapError(handle, i) == 1
            self.pieces.append(Piece(self.text[i], box.left, box.right, self.height - box.top, 0.0, int(unmapped)))

    def _piece(self, start: int, end: int) -> bool:
        """One piece for characters [start, end), their words joined by one
        space, when one text object drew them at one height; False otherwise."""
        handle, box, box_ref, height = self.handle, self.box, self.box_ref, self.height
        drawn = self.text[start:end]
        if (self.placeholders and _SPECIAL.search(drawn)) or pdfium_fast.FPDFText_CountRects(handle, start, end - start) != 1:
            return False
        loose_box = pdfium_fast.FPDFText_GetLooseCharBox
        loose_box(handle, start, box_ref)
        x0, first_right, first_top = box.left, box.right, height - box.top
        loose_box(handle, end - 1, box_ref)
        x1, last_top = box.right, height - box.top
        if abs(first_top - last_top) > Y_TOLERANCE or x1 < x0:
            return False
        han_count = 0
        han_width = 0.0
        first_han = _HAN_RUN.search(drawn)
        if first_han is not None:
            han_count = sum(map(len, _HAN_RUN.findall(drawn, first_han.start())))
            # One text object, one font: its Han characters share one advance.
            if first_han.start() == 0:
                han_width = first_right - x0
            else:
                loose_box(handle, start + first_han.start(), box_ref)
                han_width = box.right - box.left
        unmapped = len(_PLACEHOLDER.findall(drawn)) if self.placeholders else 0
        if pdfium_fast.FPDFText_HasUnicodeMapError(handle, start) == 1:
            # A font without a Unicode map: count its glyphs one by one.
            unmapped = sum(
                1
                for i in range(start, end)
                if pdfium_fast.FPDFText_HasUnicodeMapError(handle, i) == 1 or _PLACEHOLDER.match(self.text, i)
            )
        size = pdfium_fast.FPDFText_GetFontSize(handle, start)
        words = drawn.split()
        text = words[0] if len(words) == 1 else " ".join(words)
        self.pieces.append(Piece(text, x0, x1, min(first_top, last_top), size, unmapped, han_width, han_count))
        return True


def _page_text(handle, count: int) -> str | None:
    """All characters of the text page, one per index (generated spaces
    and line breaks included); None when the text does not line up with
    the characters (a character outside UCS-2)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(handle, 0, count, buffer)
    if written != count + 1:
        return None
    try:
        # A lone surrogate fails to decode; a pair decodes to one character.
        text = bytes(memoryview(buffer)[:count]).decode("utf-16-le")
    except UnicodeDecodeError:
        return None
    return text if len(text) == count else None


def _pdfium_glyphs(handle, height: float, indices) -> list[Piece]:
    """The glyphs at these character indices, one piece each."""
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    out = []
    for i in indices:
        if pdfium_fast.FPDFText_IsGenerated(handle, i) == 1:
            continue  # spaces and line breaks PDFium adds itself
        code = pdfium_fast.FPDFText_GetUnicode(handle, i)
        if code == _PDFIUM_HYPHEN and pdfium_fast.FPDFText_IsHyphen(handle, i) == 1:
            code = ord("-")  # PDFium reports a hyphen ending a line as U+0002
        pdfium_fast.FPDFText_GetLooseCharBox(handle, i, box_ref)
        unmapped = pdfium_fast.FPDFText_HasUnicodeMapError(handle, i) == 1 or _PLACEHOLDER.match(chr(code)) is not None
        out.append(
            glyph(
                chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd",
                box.left,
                box.right,
                height - box.top,
                pdfium_fast.FPDFText_GetFontSize(handle, i),
                unmapped,
            )
        )
    return out


def _plumber_pages(data: bytes, path: str, password: str | None, indices: list[int]) -> list[_Page]:
    import pdfplumber

    out = []
    try:
        with pdfplumber.open(io.BytesIO(data), password=password) as pdf:
            for index in indices:
                if index >= len(pdf.pages):
                    # A damaged file whose pages PDFium and pdfminer count
                    # differently (each repairs the xref its own way).
                    detail = f"page {index + 1} is missing for pdfminer, which finds {len(pdf.pages)} pages"
                    raise ZhenggaiError(Errors.pdf_unreadable, path, detail=detail)
                page = pdf.pages[index]
                out.append(_plumber_page(page))
                page.close()  # drop the page's parsed objects as we go
    except ZhenggaiError:
        raise
    except Exception as exc:
        if not _library_failure(exc):
            raise  # a bug of ours: internal_error
        raise _classified(exc, data, path, password) from exc
    return out


def _library_failure(exc: Exception) -> bool:
    """Did pdfplumber/pdfminer fail on the file? Their own exceptions, or
    any other raised inside their code (a TypeError on a malformed object),
    but not a MemoryError (the batch runner's limits handle those)."""
    from pdfminer.pdfexceptions import PDFException, PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    if isinstance(exc, MemoryError):
        return False
    if isinstance(exc, (PdfminerException, MalformedPDFException, PDFException, PSException)):
        return True
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and any(f"{os.sep}{lib}{os.sep}" in frames[-1].filename for lib in ("pdfminer", "pdfplumber"))


def _classified(exc: Exception, data: bytes, path: str, password: str | None) -> ZhenggaiError:
    """The coded error for a failure of pdfplumber/pdfminer on this file.

    Classified by type, never by message: pdfplumber wraps pdfminer's
    exception as its first argument, and a password error has no message.
    Besides its own exceptions, pdfminer raises TypeError, IndexError and
    the like on malformed objects (a /MediaBox of null, a /Rotate that is
    not a number): those too mean the file is damaged.
    """
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    cause = exc.args[0] if isinstance(exc, (PdfminerException, MalformedPDFException)) and exc.args else exc
    if not isinstance(cause, BaseException):
        cause = exc
    if isinstance(cause, PDFPasswordIncorrect):
        return ZhenggaiError(Errors.pdf_encrypted if password is None else Errors.pdf_wrong_password, path)
    if _EOF_MARKER not in data[-_TRAILER_WINDOW:]:
        return ZhenggaiError(Errors.pdf_truncated, path, size=len(data))
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return ZhenggaiError(Errors.pdf_unreadable, path, detail=detail[:200])


def _plumber_page(page) -> _Page:
    glyphs = [
        glyph(
            c["text"],
            c["x0"],
            c["x1"],
            c["top"],
            c.get("size") or 0.0,
            c["text"].startswith("(cid:") or _PLACEHOLDER.search(c["text"]) is not None,
        )
        for c in page.chars
    ]
    tables = []
    inside: set[int] = set()
    for found in page.find_tables():
        rows = []
        for row in found.rows:
            cells = []
            for bbox in row.cells:
                if bbox is None:
                    cells.append(None)
                    continue
                members = [i for i, g in enumerate(glyphs) if _center_in(g, bbox)]
                inside.update(members)
                cells.append(group_lines([glyphs[i] for i in members]))
            rows.append(cells)
        columns = [bbox[0] for bbox in found.rows[0].cells if bbox is not None] if found.rows else []
        tables.append(_Table(columns, rows, _merged_down(found.rows)))
    has_image = bool(page.images)
    return _Page(
        lines=group_lines([g for i, g in enumerate(glyphs) if i not in inside]),
        tables=tables,
        has_image=has_image,
        glyphs=sum(1 for g in glyphs if not g.text.isspace()),
        unmapped=sum(g.unmapped for g in glyphs),
    )


def _merged_down(rows) -> dict[tuple[int, int], int]:
    """Positions of pdfplumber's table rows that no cell starts at, covered
    by a cell of an earlier row in the same column that reaches below the
    position's row top: one 责任单位 printed once for several issues. (A
    position right of a cell merged across columns is covered from the
    left and stays empty.)"""
    merged: dict[tuple[int, int], int] = {}
    for r, row in enumerate(rows):
        top = row.bbox[1]
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                continue
            above = next((k for k in range(r - 1, -1, -1) if rows[k].cells[c] is not None), None)
            if above is not None and rows[above].cells[c][3] > top + MERGE_TOLERANCE:
                merged[(r, c)] = above
    return merged


def _center_in(g: Piece, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx = (g.x0 + g.x1) / 2
    # The glyph's top plus half its size is close to its vertical center.
    cy = g.top + g.size / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _read_unreadable_pages(document: pdfium.PdfDocument, pages: list[_Page], path: str) -> list[Diagnostic]:
    """OCR scanned and unmapped pages when OCR is installed; otherwise
    drop their text and report them (an error when no page is readable)."""
    scanned = [n for n, p in enumerate(pages, start=1) if p.scanned]
    garbage = [n for n, p in enumerate(pages, start=1) if p.unreadable]
    if not scanned and not garbage:
        return []
    if ocr.available():
        for n in scanned + garbage:
            pages[n - 1] = _Page(lines=ocr.read_page(document[n - 1]), ocr=True)
        return [_note(Warnings.ocr_text, sorted(scanned + garbage))]
    for n in garbage:
        pages[n - 1] = _Page()
    if not any(p.lines or p.tables for p in pages):
        if garbage:
            sample = _first_text(document, garbage[0])
            raise ZhenggaiError(Errors.cid_garbage, path, sample=sample)
        if scanned:
            raise ZhenggaiError(Errors.no_text_layer, path)
    notes = []
    if scanned:
        notes.append(_note(Warnings.pages_without_text, scanned))
    if garbage:
        notes.append(_note(Warnings.pages_cid_garbage, garbage))
    return notes


def _first_text(document: pdfium.PdfDocument, page_no: int) -> str:
    page = document[page_no - 1]
    try:
        lines = _pdfium_page(page.raw, False).lines
    finally:
        page.close()
    return lines[0].text[:12] if lines else ""


def _note(code: Code, pages: list[int]) -> Diagnostic:
    return Diagnostic(code=code.code, message=code.format(pages=", ".join(map(str, pages))))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _char_width(lines: list[TextLine]) -> float:
    """The body text's character width: the median advance of Chinese
    characters (full width), else the median font size."""
    han = sorted((p.han_width, p.han_count) for line in lines for p in line.pieces if p.han_count)
    if han:
        return _weighted_median(han)
    sizes = sorted((p.size, 1) for line in lines for p in line.pieces if p.size)
    return _weighted_median(sizes) if sizes else 1.0


def _weighted_median(counted: list[tuple[float, int]]) -> float:
    """The median of the values, each repeated its count times (sorted)."""
    total = sum(n for _, n in counted)
    below_middle, middle = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for value, n in counted:
        seen += n
        if low is None and seen > below_middle:
            low = value
        if seen > middle:
            high = value
            break
    return (low + high) / 2


@dataclass
class _LogicalTable:
    header: list[str]
    columns: list[float]
    # Rows of cells; a cell is its lines (a row split by a page break has
    # lines on two pages).
    rows: list[list[list[TextLine]]] = field(default_factory=list)
    dropped: list[TextLine] = field(default_factory=list)


def _cell_text(cell: list[TextLine] | None) -> str:
    return "".join("".join(line.text.split()) for line in cell or [])


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= COLUMN_TOLERANCE for x, y in zip(a, b))


def _join_tables(pages: list[_Page]) -> list[_LogicalTable]:
    tables: list[_LogicalTable] = []
    # The logical table the previous page ended with.
    open_table: _LogicalTable | None = None
    for page in pages:
        for k, table in enumerate(page.tables):
            rows = [[list(cell or []) for cell in row] for row in table.rows]
            if k == 0 and open_table is not None and _same_columns(open_table.columns, table.columns):
                current = open_table
                header_rows = 1 if rows and [_cell_text(c) for c in rows[0]] == current.header else 0
            else:
                current = _LogicalTable(header=[_cell_text(c) for c in rows[0]] if rows else [], columns=table.columns)
                tables.append(current)
                header_rows = 1
            # A cell merged down over later rows is each row's value, as
            # Word gives it (the rows share its lines); never a header's.
            for (r, c), above in table.merged_from.items():
                if above >= header_rows:
                    rows[r][c] = rows[above][c]
            if current is open_table:
                if header_rows:
                    current.dropped.extend(line for cell in rows[0] for line in cell)
                    rows = rows[1:]
                last = current.rows[-1] if current.rows else None
                if rows and last is not None and not rows[0][0] and len(rows[0]) == len(last):
                    # New lists: a cell's list may be shared with the rows
                    # it is merged down over.
                    for col, cell in enumerate(rows.pop(0)):
                        last[col] = last[col] + cell
            current.rows.extend(rows)
        open_table = current if page.tables else None
    return tables


def _assemble(pages: list[_Page]) -> tuple[list[PhysicalLine], list[SourceTable]]:
    """Physical lines in page order (a table's lines where the table
    stands, row by row, cell by cell) and the logical tables over them."""
    tables = _join_tables(pages)
    ordered = [_reading_order(page) for page in pages]
    width = _char_width([line for lines in ordered for line in lines])
    # Where each line is measured from: prose from the text column's edges,
    # a table cell's lines from the cell's own text edges, a repeated header
    # row (dropped from its logical table) from nowhere.
    prose = [line for p in pages for line in p.lines]
    column = None
    if prose:
        left = _percentile([line.x0 for line in prose], LEFT_EDGE_PERCENTILE)
        column = left, _percentile([line.x1 for line in prose], RIGHT_EDGE_PERCENTILE)
    table_edges: dict[int, tuple[float, float] | None] = {}
    for table in tables:
        for row in table.rows:
            for cell in row:
                if cell:
                    edges = min(line.x0 for line in cell), max(line.x1 for line in cell)
                    table_edges.update((id(line), edges) for line in cell)
        table_edges.update((id(line), None) for line in table.dropped)
    out: list[PhysicalLine] = []
    index_of: dict[int, int] = {}  # of table lines, for the tables' cells
    for page_no, (page, lines) in enumerate(zip(pages, ordered), start=1):
        if page.tables:
            index_of.update((id(line), len(out) + k) for k, line in enumerate(lines))
        for line, number in zip(lines, line_numbers([line.top for line in lines])):
            edges = table_edges.get(id(line), column)
            right_gap, indent = (0.0, 0.0) if edges is None else _gaps(line, *edges, width)
            out.append(PhysicalLine(page_no, number, line.text, right_gap, indent))
    source_tables = [
        SourceTable(
            cells=[
                TableCell(r, c, tuple(index_of[id(line)] for line in cell))
                for r, row in enumerate(table.rows)
                for c, cell in enumerate(row)
            ],
            dropped_lines=tuple(index_of[id(line)] for line in table.dropped),
        )
        for table in tables
    ]
    return out, source_tables


def _reading_order(page: _Page) -> list[TextLine]:
    """The page's lines top to bottom, a table's lines where the table
    stands, row by row, cell by cell."""
    if not page.tables:
        return sorted(page.lines, key=TOP)
    blocks = [(line.top, [line]) for line in page.lines]
    for table in page.tables:
        table_lines = _table_lines(table)
        if table_lines:
            blocks.append((min(line.top for line in table_lines), table_lines))
    return [line for _top, block in sorted(blocks, key=itemgetter(0)) for line in block]


def _table_lines(table: _Table) -> list[TextLine]:
    """A table's lines, row by row, cell by cell."""
    return [line for row in table.rows for cell in row for line in cell or []]


def _gaps(line: TextLine, left: float, right: float, width: float) -> tuple[float, float]:
    """(right_gap, indent) in character widths."""
    return round(max(0.0, (right - line.x1) / width), 2), round(max(0.0, (line.x0 - left) / width), 2)
