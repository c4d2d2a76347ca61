"""Indicator tables as tab-separated converters print them: 表 2-1 (指标类别,
序号, 指标名称, 现状值, 2025年目标, 属性) and results tables (2015年值,
目标值, 2020年完成值, 属性, 完成情况).

Converters misplace cells (a row's cells shift left or right; a cell wrapped
over two lines lands in the next line), so cells are read by what they hold,
not by their column: from the right, the completion (results tables), the
attribute (约束性/预期性), then the values (achieved, target, baseline); what
is left between the name and the values is the scope. A row without a number:
- holding values, it is a further row of the indicator above (another scope
  when that one names a scope, else a sub-indicator such as the four
  emissions of 总量控制); cells it leaves empty (the attribute) span rows and
  are carried down;
- holding no values, it is the wrapped rest of the row above: each piece
  joins that row's nearest text cell ("国家下达" + "指标").
A category is printed once for several rows and carried down; printed on
two consecutive rows ("总量" / "控制") it is one name wrapped in its merged
cell.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable

import regex

from ..errors import Warnings
from ..extract import markers
from ..model import Diagnostic, Indicator, Quantity, Span
from .structure import Paragraph

_CAPTION = regex.compile(r"^表\s*(?P<no>\d+(?:[-－—.．]\d+)?)\s*(?P<title>.*)$")
_NUMBER_CELL = regex.compile(r"^\d{1,2}$")
_NUMBERED_NAME = regex.compile(r"^(?P<num>\d{1,2})[.．、](?!\d)")
_CATEGORY_ROW = regex.compile(rf"^{markers.CN_NUMERAL}[、．.]")
_RULE_LINE = regex.compile(r"^[-—\s]*$")
_VALUE_LIKE = regex.compile(r"^[≥≤<>＞＜]?\s*\d")
_HAN = regex.compile(r"\p{Han}")
# "森林覆盖率*（%）": a note mark at the end of the name or before its unit.
_FOOTNOTE_MARK = regex.compile(r"\*\s*(?=(?:（[^（）]*）)?$)")
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class TableWords:
    attributes: tuple[str, ...]
    completion: dict[str, bool]
    results_header_words: tuple[str, ...]
    empty_values: tuple[str, ...]
    periods: dict[str, int]  # period name → its last year


@lru_cache(maxsize=1)
def table_words() -> TableWords:
    data = resources.files(__package__).joinpath("data")
    columns = tomllib.loads(data.joinpath("indicator_columns.toml").read_text(encoding="utf-8"))
    periods = tomllib.loads(data.joinpath("periods.toml").read_text(encoding="utf-8"))
    return TableWords(
        attributes=tuple(columns["attributes"]),
        completion=dict(columns["completion"]),
        results_header_words=tuple(columns["results_header_words"]),
        empty_values=tuple(columns["empty_values"]),
        periods={p["name"]: p["last_year"] for p in periods["period"]},
    )


@dataclass
class Cell:
    index: int
    text: str
    start: int
    end: int


def split_cells(para: Paragraph) -> list[Cell]:
    """The tab-separated cells of a row, trimmed, with their offsets."""
    cells, offset = [], para.start
    for index, raw in enumerate(para.text.split("\t")):
        lead = len(raw) - len(raw.lstrip(" "))
        text = raw.strip(" ")
        cells.append(Cell(index, text, offset + lead, offset + lead + len(text)))
        offset += len(raw) + 1
    return cells


@dataclass
class _Category:
    parts: list[Cell]


@dataclass
class _Row:
    start: int
    end: int
    number: int | None = None
    number_cell: Cell | None = None
    fields: dict[str, list[Cell]] = field(default_factory=dict)
    # Which field each printed cell went to, by column (for wrapped pieces).
    cells: list[tuple[int, str]] = field(default_factory=list)
    category: _Category | None = None
    parent: "_Row | None" = None
    part: int = 1

    def put(self, name: str, cell: Cell) -> None:
        self.fields.setdefault(name, []).append(cell)
        self.cells.append((cell.index, name))

    def text(self, name: str) -> str | None:
        cells = self.fields.get(name)
        return "".join(c.text for c in cells) if cells else None


@dataclass(frozen=True)
class TableExtent:
    no: str
    title: str
    rows: tuple[Paragraph, ...]
    caption: Paragraph


def find_tables(paragraphs: list[Paragraph]) -> list[TableExtent]:
    """Each caption "表 N-M 标题" followed by tab-separated rows."""
    out = []
    for i, para in enumerate(paragraphs):
        m = _CAPTION.match(para.text)
        if not m or "\t" in para.text:
            continue
        j = i + 1
        while j < len(paragraphs) and "\t" in paragraphs[j].text:
            j += 1
        if j > i + 1:
            out.append(TableExtent(m.group("no"), m.group("title").strip(), tuple(paragraphs[i + 1 : j]), para))
    return out


def _is_value(text: str, words: TableWords) -> bool:
    return bool(_VALUE_LIKE.match(text)) or text in words.empty_values


class _TableReader:
    def __init__(self, table: TableExtent, span: Callable[[int, int], Span], warnings: list[Diagnostic]):
        self.table = table
        self.span = span
        self.warnings = warnings
        self.words = table_words()
        self.rows: list[_Row] = []
        self.header: list[list[str]] = []
        self.category: _Category | None = None
        self.category_opened_by: _Row | None = None
        self.category_column = False

    # -- header ---------------------------------------------------------
    def _header_line(self, cells: list[Cell]) -> None:
        if not self.header:
            self.header = [[c.text] for c in cells]
            return
        for cell in cells:
            if cell.text:
                nearest = min(range(len(self.header)), key=lambda k: (abs(k - cell.index), -k))
                self.header[nearest].append(cell.text)

    def header_texts(self) -> list[str]:
        return ["".join(parts) for parts in self.header]

    @property
    def kind(self) -> str:
        joined = "".join(self.header_texts())
        return "results" if any(w in joined for w in self.words.results_header_words) else "targets"

    def years(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {"baseline": None, "target": None, "achieved": None}
        for col in self.header_texts():
            year = self._year(col)
            if "完成值" in col:
                out["achieved"] = year
            elif "目标" in col:
                out["target"] = year
            elif "年值" in col or "现状" in col or "基期" in col:
                out["baseline"] = year
        return out

    def _year(self, text: str) -> int | None:
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
        return next((last for name, last in self.words.periods.items() if name in text), None)

    # -- rows -----------------------------------------------------------
    def _is_data(self, cells: list[Cell]) -> bool:
        # Header lines hold column names, "完成" among them ("完成 / 情况"), never an attribute.
        return any(c.text in self.words.attributes for c in cells) or self._category_row(cells) is not None

    def _category_row(self, cells: list[Cell]) -> Cell | None:
        filled = [c for c in cells if c.text]
        if len(filled) == 1 and (m := _CATEGORY_ROW.match(filled[0].text)) and len(filled[0].text) > m.end():
            c = filled[0]
            return Cell(c.index, c.text[m.end() :], c.start + m.end(), c.end)
        return None

    def read(self) -> list[_Row]:
        in_header = True
        for para in self.table.rows:
            cells = split_cells(para)
            if all(_RULE_LINE.match(c.text) for c in cells):
                continue
            if in_header and not self._is_data(cells):
                self._header_line(cells)
                continue
            in_header = False
            self._data_line(para, cells)
        return self.rows

    def _open_category(self, cell: Cell, row: _Row | None) -> None:
        previous = self.rows[-1] if self.rows else None
        if self.category is not None and previous is not None and previous is self.category_opened_by:
            self.category.parts.append(cell)  # the merged cell's name wrapped onto this row
        else:
            self.category = _Category([cell])
        self.category_opened_by = row

    def _data_line(self, para: Paragraph, cells: list[Cell]) -> None:
        heading = self._category_row(cells)
        if heading is not None:
            self.category = _Category([heading])
            self.category_opened_by = None
            return
        row = _Row(para.start, para.end)
        rest = self._numbered(row, cells)
        if row.number is not None:
            before = [c for c in cells if c.text and c.index < row.number_cell.index]
            opened = bool(before)
            if opened:
                self._open_category(_join_cells(before), row)
            row.category = self.category
            if not opened:
                self.category_opened_by = None
            self._tail(row, rest, leftover="scope")
            self.rows.append(row)
            return
        filled = [c for c in cells if c.text]
        if not self.rows:
            return
        has_values = any(
            _is_value(c.text, self.words) or c.text in self.words.attributes or c.text in self.words.completion for c in filled
        )
        if not has_values:
            self._continue(self.rows[-1], filled, para)
            return
        parent = self.rows[-1].parent or self.rows[-1]
        row.parent, row.number, row.part = parent, parent.number, self.rows[-1].part + 1
        if self.category_column and filled and filled[0].index == 0:
            self._open_category(filled.pop(0), row)
        else:
            self.category_opened_by = None
        row.category = self.category
        self._tail(row, filled, leftover="scope" if "scope" in parent.fields else "name")
        self.rows.append(row)

    def _numbered(self, row: _Row, cells: list[Cell]) -> list[Cell]:
        """Number and name of a numbered row; returns the cells after the name."""
        for cell in cells[:2]:
            if _NUMBER_CELL.match(cell.text):
                after = [c for c in cells if c.index > cell.index and c.text]
                if after and _HAN.search(after[0].text) and after[0].text not in self.words.attributes:
                    row.number, row.number_cell = int(cell.text), cell
                    self.category_column = self.category_column or cell.index > 0
                    row.put("name", after[0])
                    return after[1:]
        first = next((c for c in cells if c.text), None)
        if first is not None and first.index == 0 and (m := _NUMBERED_NAME.match(first.text)):
            row.number = int(m.group("num"))
            row.number_cell = Cell(0, first.text[: m.end()], first.start, first.start + m.end())
            row.put("name", Cell(0, first.text[m.end() :], first.start + m.end(), first.end))
            return [c for c in cells if c.index > 0 and c.text]
        return cells

    def _tail(self, row: _Row, cells: list[Cell], leftover: str) -> None:
        rest = list(cells)
        if self.kind == "results" and rest and rest[-1].text in self.words.completion:
            row.put("completion", rest.pop())
        if rest and rest[-1].text in self.words.attributes:
            row.put("attribute", rest.pop())
        for name in ("achieved", "target", "baseline") if self.kind == "results" else ("target", "baseline"):
            if not rest:
                break
            row.put(name, rest.pop())
        for cell in rest:
            if len(cell.text) == 1 and _HAN.match(cell.text):
                # One character of vertical text the converter spilled into a row.
                self.warnings.append(
                    Diagnostic(
                        code=Warnings.table_cell_dropped.code,
                        message=Warnings.table_cell_dropped.format(cell=cell.text, table=self.table.no),
                        span=self.span(cell.start, cell.end),
                    )
                )
                continue
            row.put(leftover, cell)

    def _continue(self, row: _Row, pieces: list[Cell], para: Paragraph) -> None:
        open_cells = [
            (index, name)
            for index, name in row.cells
            if name in ("name", "scope") or (name in ("baseline", "target", "achieved") and not _is_value(row.text(name) or "", self.words))
        ]
        for piece in pieces:
            if not open_cells:
                break
            _, name = min(open_cells, key=lambda ic: (abs(ic[0] - piece.index), -ic[0]))
            row.fields[name].append(piece)
        row.end = para.end


def _join_cells(cells: list[Cell]) -> Cell:
    return Cell(cells[0].index, "".join(c.text for c in cells), cells[0].start, cells[-1].end)


def parse_indicator_tables(
    paragraphs: list[Paragraph], span: Callable[[int, int], Span], warnings: list[Diagnostic]
) -> list[Indicator]:
    out: list[Indicator] = []
    for table in find_tables(paragraphs):
        reader = _TableReader(table, span, warnings)
        rows = reader.read()
        years = reader.years()
        for row in rows:
            out.append(_indicator(row, reader, table, years, span))
    return out


def _indicator(row: _Row, reader: _TableReader, table: TableExtent, years: dict, span) -> Indicator:
    parent = row.parent
    fields = dict(row.fields)
    if parent is not None:
        for name in ("name", "attribute", "completion"):
            if name not in fields and name in parent.fields:
                fields[name] = parent.fields[name]
    name_cells = list(fields.get("name", []))
    name = "".join(c.text for c in name_cells)
    if name.endswith("/") and "baseline" not in fields and name_cells:
        # The converter glued the empty-value mark of the baseline to the name.
        last = name_cells[-1]
        fields["baseline"] = [Cell(last.index, "/", last.end - 1, last.end)]
        name = name[:-1]
    mark = _FOOTNOTE_MARK.search(name)
    if mark:
        name = name[: mark.start()] + name[mark.end() :]

    def text(key: str) -> str | None:
        cells = fields.get(key)
        return "".join(c.text for c in cells) if cells else None

    completion = text("completion")
    spans = {key: [span(c.start, c.end) for c in cells] for key, cells in fields.items() if cells}
    if row.number_cell is not None:
        spans["number"] = [span(row.number_cell.start, row.number_cell.end)]
    elif parent is not None and parent.number_cell is not None:
        spans["number"] = [span(parent.number_cell.start, parent.number_cell.end)]
    if row.category is not None:
        spans["category"] = [span(c.start, c.end) for c in row.category.parts]
    return Indicator(
        table=table.no,
        table_title=table.title,
        table_kind=reader.kind,
        category="".join(c.text for c in row.category.parts) if row.category else None,
        number=row.number,
        part=row.part,
        name=name,
        scope=text("scope"),
        baseline=Quantity(raw=text("baseline")) if text("baseline") else None,
        baseline_year=years["baseline"],
        target=Quantity(raw=text("target")) if text("target") else None,
        target_year=years["target"],
        achieved=Quantity(raw=text("achieved")) if text("achieved") else None,
        achieved_year=years["achieved"] if reader.kind == "results" else None,
        attribute=text("attribute"),
        completion=completion,
        completed=reader.words.completion.get(completion) if completion else None,
        footnote=mark is not None,
        spans=spans,
        span=span(row.start, row.end),
    )
