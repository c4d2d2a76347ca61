"""Plain-text reader: decode the bytes, split pages at form feeds and lines.

Decoding, first rule that applies:
1. a byte-order mark says the encoding (UTF-8, UTF-16 LE/BE, UTF-32);
2. UTF-8 when the bytes are valid UTF-8 (tried after UTF-16 when they hold
   a NUL byte: text never does, UTF-16 of ASCII characters is full of them);
3. UTF-16 without a BOM: the bytes decode as UTF-16 LE or BE and the text
   reads as text (``text_likeness`` at least ``UTF16_MIN_LIKENESS``, better
   than GB18030's reading of the same bytes). The wrong byte order turns
   every ASCII character, line break and Chinese punctuation mark into an
   unrelated script, so it scores far lower;
4. GB18030 (a superset of GBK and GB2312, so it reads all three);
5. charset-normalizer's best guess.
"""

from __future__ import annotations

import codecs
from functools import partial
from typing import NamedTuple

import charset_normalizer
import regex

from ..errors import Errors, Warnings, ZhenggaiError
from .source import PhysicalLine

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Characters a notice is made of: Chinese, ASCII, punctuation (general,
# CJK, full-width), and whitespace.
_TEXT_CHAR = regex.compile(r"[\p{Han}\x20-\x7e\t\n\r\f\u2000-\u206f\u3000-\u303f\uff00-\uffef\u00a0-\u00ff\u2460-\u24ff]")
UTF16_MIN_LIKENESS = 0.9
# Characters scored to choose an encoding (the whole text is decoded).
_SAMPLE_CHARS = 20000


def text_likeness(text: str) -> float:
    """Share of the characters (of the first ``_SAMPLE_CHARS``) that notices are made of."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return 0.0
    return len(_TEXT_CHAR.findall(sample)) / len(sample)


class Decoded(NamedTuple):
    text: str
    encoding: str
    # Conditions to report, as (warning code, message).
    notes: tuple[tuple[str, str], ...] = ()


def decode(data: bytes, path: str) -> Decoded:
    """Decode by the rules above. A file that ends inside a character (cut
    short) keeps what came before it, with a ``text_cut_short`` note.
    Raises ZhenggaiError(undecodable_text)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = decode_as(data, encoding)
            if decoded is None:
                raise ZhenggaiError(Errors.undecodable_text, path)
            return decoded
    tries = [partial(decode_as, encoding="utf-8"), _utf16_without_bom, partial(decode_as, encoding="gb18030")]
    if b"\x00" in data:  # a NUL says UTF-16 before it says UTF-8
        tries[0], tries[1] = tries[1], tries[0]
    for attempt in tries:
        decoded = attempt(data)
        if decoded is not None:
            return decoded
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ZhenggaiError(Errors.undecodable_text, path)
    return Decoded(str(best), best.encoding)


def decode_as(data: bytes, encoding: str) -> Decoded | None:
    """``data`` in ``encoding``, or None when it is not. Incomplete bytes at
    the very end (a cut-short file) are dropped with a note."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    left_over = len(decoder.getstate()[0])
    if not left_over:
        return Decoded(text, encoding)
    note = Warnings.text_cut_short
    return Decoded(text, encoding, ((note.code, note.format(count=left_over, encoding=encoding)),))


def _utf16_without_bom(data: bytes) -> Decoded | None:
    readings = [
        (text_likeness(decoded.text), decoded)
        for encoding in ("utf-16-le", "utf-16-be")
        for decoded in [decode_as(data, encoding)]
        if decoded is not None
    ]
    if not readings:
        return None
    likeness, best = max(readings, key=lambda r: r[0])
    if likeness < UTF16_MIN_LIKENESS:
        return None
    as_gb = decode_as(data, "gb18030")
    if as_gb is not None and text_likeness(as_gb.text) >= likeness:
        return None
    return best


def split_lines(text: str) -> tuple[list[PhysicalLine], int]:
    """Pages at form feeds; lines at any line break. Returns (lines, page_count)."""
    lines: list[PhysicalLine] = []
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    for page_no, page in enumerate(pages, start=1):
        for line_no, line in enumerate(page.split("\n"), start=1):
            lines.append(PhysicalLine(page=page_no, line=line_no, text=line))
    return lines, len(pages)
