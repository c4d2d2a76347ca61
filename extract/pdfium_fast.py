"""PDFium's functions the PDF reader calls per character and per page
object, bound for speed.

The reader makes about 280 of these calls a page. pypdfium2's raw bindings
declare each function's argument types, and ctypes then checks and converts
every argument of every call: half of a call's cost, and 3% of the whole
pipeline's instructions. The same C functions are bound here once more, under
the same names, with no argument types, so ctypes passes the arguments as
they are.

That is safe only for arguments ctypes passes correctly by its own rules:
handles as ctypes pointers (pypdfium2's, or the ``Handle`` these functions
return; never as Python ints, which ctypes would pass as 32-bit ``int``),
indices and counts as Python ints (C ``int``), and buffers and
``ctypes.byref`` pointers. tests/test_pdf.py checks each function here
against pypdfium2's binding.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c


class Handle(ctypes.c_void_p):
    """A handle these functions return: a subclass, so that ctypes returns
    it as it is (a pointer) instead of as a Python int."""


def _unchecked(function, restype=ctypes.c_int):
    """``function`` (a pypdfium2 raw binding) with no declared argument types."""
    bound = ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)
    bound.argtypes = None
    return bound


# Page objects (pdf.page_drawing).
FPDFPage_CountObjects = _unchecked(pdfium_c.FPDFPage_CountObjects)
FPDFPage_GetObject = _unchecked(pdfium_c.FPDFPage_GetObject, Handle)
FPDFFormObj_CountObjects = _unchecked(pdfium_c.FPDFFormObj_CountObjects)
FPDFFormObj_GetObject = _unchecked(pdfium_c.FPDFFormObj_GetObject, Handle)
FPDFPageObj_GetType = _unchecked(pdfium_c.FPDFPageObj_GetType)
FPDFPageObj_GetBounds = _unchecked(pdfium_c.FPDFPageObj_GetBounds)
FPDFTextObj_GetText = _unchecked(pdfium_c.FPDFTextObj_GetText, ctypes.c_ulong)
FPDFPath_CountSegments = _unchecked(pdfium_c.FPDFPath_CountSegments)
FPDFPath_GetPathSegment = _unchecked(pdfium_c.FPDFPath_GetPathSegment, Handle)
FPDFPathSegment_GetPoint = _unchecked(pdfium_c.FPDFPathSegment_GetPoint)
FPDFPathSegment_GetType = _unchecked(pdfium_c.FPDFPathSegment_GetType)
FPDFPathSegment_GetClose = _unchecked(pdfium_c.FPDFPathSegment_GetClose)

# Characters of a text page (pdf._PieceReader, pdf._pdfium_glyphs).
FPDFText_CountRects = _unchecked(pdfium_c.FPDFText_CountRects)
FPDFText_GetFontSize = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
FPDFText_GetLooseCharBox = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
FPDFText_GetUnicode = _unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
FPDFText_HasUnicodeMapError = _unchecked(pdfium_c.FPDFText_HasUnicodeMapError)
FPDFText_IsGenerated = _unchecked(pdfium_c.FPDFText_IsGenerated)
FPDFText_IsHyphen = _unchecked(pdfium_c.FPDFText_IsHyphen)
