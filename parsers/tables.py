"""Task lists printed as tables: header cells name the fields through the
same label vocabulary as prose (data/labels.toml); every later row is an
issue, built by the same code as a prose issue (issues.build_issue).

A table is a task list when one of its header cells has the role
``problem``. The ``seq`` column gives the issue's number and label; a table
without one numbers its rows. A header the vocabulary does not know still
names a field of every issue, without a role.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..errors import Warnings
from ..extract import CleanText, markers
from ..extract.clean import CleanTable
from ..model import Diagnostic, Issue
from .issues import Locate, build_issue, issue_builder, numbering_gap
from .labels import LabelVocabulary

_ARABIC = regex.compile(r"^\d{1,4}")
_CHINESE = regex.compile(rf"^{markers.CN_NUMERAL}")


@dataclass(frozen=True)
class Column:
    col: int
    label: str  # the header as printed, without spaces
    role: str | None


@dataclass(frozen=True)
class TaskTable:
    table: CleanTable
    columns: tuple[Column, ...]

    @property
    def start(self) -> int:
        return self.table.start

    @property
    def end(self) -> int:
        return self.table.end


def task_tables(clean: CleanText, labels: LabelVocabulary) -> list[TaskTable]:
    out = []
    for table in clean.tables:
        rows = table.rows()
        if len(rows) < 2:
            continue
        columns = []
        for cell in rows[0]:
            header = clean.text[cell.start : cell.end]
            if not header.strip():
                continue
            known = labels.header_role(header)
            columns.append(Column(cell.col, *known) if known else Column(cell.col, "".join(header.split()), None))
        if any(c.role == "problem" for c in columns):
            out.append(TaskTable(table, tuple(columns)))
    return out


def _number(printed: str) -> int | None:
    if m := _ARABIC.match(printed):
        return int(m.group(0))
    if m := _CHINESE.match(printed):
        return markers.cn_to_int(m.group(0))
    return None


def table_issues(
    task: TaskTable, text: str, labels: LabelVocabulary, locate: Locate, warnings: list[Diagnostic]
) -> list[Issue]:
    issues = []
    prev = 0
    for row in task.table.rows()[1:]:
        by_col = {cell.col: cell for cell in row}
        filled = [cell for cell in row if cell.end > cell.start]
        if not filled:
            continue
        start, end = filled[0].start, filled[-1].end
        seq_cell = next((by_col.get(c.col) for c in task.columns if c.role == "seq"), None)
        label = text[seq_cell.start : seq_cell.end].strip() if seq_cell else ""
        number = _number(label)
        if number is None:
            number = prev + 1
            if seq_cell is not None:
                warnings.append(
                    Diagnostic(
                        code=Warnings.table_row_unnumbered.code,
                        message=Warnings.table_row_unnumbered.format(seq=number),
                        span=locate(start, end),
                    )
                )
        elif number != prev + 1:
            warnings.append(numbering_gap("issue", number, prev, locate(start, end)))
        prev = number
        problem = next((by_col.get(c.col) for c in task.columns if c.role == "problem"), None)
        builder = issue_builder(number, label, start, end, problem.start if problem else start, problem.end if problem else start)
        for column in task.columns:
            cell = by_col.get(column.col)
            if column.role in ("seq", "problem") or cell is None or cell.end == cell.start:
                continue
            builder.add_field(column.label, column.role, cell.start, cell.end)
        issues.append(build_issue(builder, text, labels, locate, warnings))
    return issues
