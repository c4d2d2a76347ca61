"""PDFium's per-character text calls, bound for speed.

The PDF reader makes about 200 of these calls a page. pypdfium2's raw
bindings declare each function's argument types, and ctypes then checks and
converts every argument of every call: half of a call's cost, and about 4%
of the whole pipeline's time. The same C functions are bound here once more
with no argument types, so ctypes passes the arguments as they are.

That is safe only for arguments ctypes passes correctly by its own rules:
the text page as a ``c_void_p`` (``handle()``), character indices and
counts as Python ints (C ``int``), and ``ctypes.byref`` pointers. Results
are C ``int`` but for ``GetFontSize`` (``double``).
tests/test_pdf.py checks every function here against pypdfium2's binding.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c


def _unchecked(function, restype=ctypes.c_int):
    """``function`` (a pypdfium2 raw binding) with no declared argument types."""
    bound = ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)
    bound.argtypes = None
    return bound


CountRects = _unchecked(pdfium_c.FPDFText_CountRects)
GetFontSize = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
GetLooseCharBox = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
GetUnicode = _unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
HasUnicodeMapError = _unchecked(pdfium_c.FPDFText_HasUnicodeMapError)
IsGenerated = _unchecked(pdfium_c.FPDFText_IsGenerated)
IsHyphen = _unchecked(pdfium_c.FPDFText_IsHyphen)


def handle(textpage) -> ctypes.c_void_p:
    """A text page's handle (pypdfium2's ``PdfTextPage.raw``) as these
    functions take it."""
    return ctypes.cast(textpage, ctypes.c_void_p)
