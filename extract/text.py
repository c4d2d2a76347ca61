"""Plain-text reader: decode the bytes, split pages at form feeds and lines."""

from __future__ import annotations

import codecs

import charset_normalizer

from ..errors import Errors, ZhenggaiError
from .source import PhysicalLine

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Chinese notices are UTF-8 or GB-family; GB18030 is a superset of GBK and
# GB2312, so it decodes all three.
_STRICT_TRIES = ("utf-8", "gb18030")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding). Raises ZhenggaiError(undecodable_text)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    for encoding in _STRICT_TRIES:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ZhenggaiError(Errors.undecodable_text, path)
    return str(best), best.encoding


def split_lines(text: str) -> tuple[list[PhysicalLine], int]:
    """Pages at form feeds; lines at any line break. Returns (lines, page_count)."""
    lines: list[PhysicalLine] = []
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    for page_no, page in enumerate(pages, start=1):
        for line_no, line in enumerate(page.split("\n"), start=1):
            lines.append(PhysicalLine(page=page_no, line=line_no, text=line))
    return lines, len(pages)
