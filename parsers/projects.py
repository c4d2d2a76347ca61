"""Key-project boxes: "专栏 1 生态经济重点工程" followed by one paragraph per
project, "园区循环化改造工程。支持第十三师……". The project's name is its lead
phrase before "。". A paragraph that does not end a sentence continues into
the next one (a box wrapped over a page break)."""

from __future__ import annotations

from typing import Callable

import regex

from ..extract import markers
from ..model import Project, Span
from .outline import HEADING_MAX_CHARS, read_heading
from .structure import Paragraph

_BOX = regex.compile(markers.BOX_MARK.pattern + r"\s*(?P<title>\S.*)$")
_SENTENCE_END = "。！？；"


def _ends_box(para: Paragraph) -> bool:
    return bool(_BOX.match(para.text)) or "\t" in para.text or (
        read_heading(para) is not None and not markers.MEASURE_MARK.match(para.text)
    )


def parse_projects(paragraphs: list[Paragraph], text: str, span: Callable[[int, int], Span]) -> list[Project]:
    out: list[Project] = []
    i = 0
    while i < len(paragraphs):
        m = _BOX.match(paragraphs[i].text)
        if not m or len(paragraphs[i].text) > HEADING_MAX_CHARS:
            i += 1
            continue
        box, title = int(m.group("num")), m.group("title").strip()
        i += 1
        pieces: list[list[Paragraph]] = []
        while i < len(paragraphs) and not _ends_box(paragraphs[i]):
            para = paragraphs[i]
            if pieces and pieces[-1][-1].text[-1] not in _SENTENCE_END:
                pieces[-1].append(para)
            else:
                pieces.append([para])
            i += 1
        for seq, project in enumerate(pieces, start=1):
            first, last = project[0], project[-1]
            lead = first.text.find("。")
            if lead <= 0:
                name_end, desc_start = first.end, first.end
            else:
                name_end, desc_start = first.start + lead, first.start + lead + 1
            description = "".join(
                text[max(p.start, desc_start) : p.end] for p in project if p.end > desc_start
            )
            out.append(
                Project(
                    box=box,
                    box_title=title,
                    seq=seq,
                    name=text[first.start : name_end],
                    description=description,
                    span=span(first.start, last.end),
                    name_span=span(first.start, name_end),
                )
            )
    return out
