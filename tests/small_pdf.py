"""Small PDFs built in the tests: a one-page notice drawn with reportlab's
CID font STSong-Light, a ruled table with merged cells, and the notice
encrypted by pypdf (reportlab's own encryption leaves the CID font's
strings unencrypted, so a reader that decrypts them loses the font's
character map)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

NOTICE_LINES = [
    "关于整改任务的通知",
    "一、污水处理设施运行不正常。",
    "责任单位：自治区生态环境厅",
    "整改时限：2023年底前",
    "整改措施：",
    "1.2023年6月底前完成设施改造。",
]


def notice_pdf(lines: list[str] = NOTICE_LINES) -> bytes:
    rl_config.invariant = 1  # byte-for-byte reproducible
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.setFont("STSong-Light", 14)
    for i, line in enumerate(lines):
        pdf.drawString(60, 780 - 22 * i, line)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def table_pdf(rows: list[list[str]], spans: Iterable[tuple[tuple[int, int], tuple[int, int]]] = ()) -> bytes:
    """A ruled table of ``rows``; each span merges the cells from its first
    (column, row) to its last, reportlab's SPAN, text centred vertically."""
    rl_config.invariant = 1
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=12, leading=16)
    table = Table([[Paragraph(text, style) for text in row] for row in rows])
    commands = [("GRID", (0, 0), (-1, -1), 0.8, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    table.setStyle(TableStyle(commands + [("SPAN", first, last) for first, last in spans]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([table])
    return buf.getvalue()


def encrypted(data: bytes, user_password: str, algorithm: str = "AES-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, "owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
