"""Task lists printed as tables: the plan's Corps task list (附件 2) as a
landscape ruled-table PDF (rows split across pages, header repeated on every
page) and as a Word table must give the same issues, fields and measures as
the text version, with every value's evidence in the cell it came from."""

from __future__ import annotations

import io

import docx
import pytest

from zhenggai.parsers import load_labels
from zhenggai.pipeline import convert

from .small_pdf import table_pdf


LABELS = load_labels()
HEADER = ["序号", "问题", "责任单位", "验收单位", "整改目标", "整改时限", "整改措施"]


@pytest.fixture(scope="module", params=["pdf", "docx"])
def table_stages(request, table_pdf_stages, table_docx_stages):
    return table_pdf_stages if request.param == "pdf" else table_docx_stages


@pytest.fixture(scope="module")
def corps_list_txt(plan_txt):
    return next(lst for lst in plan_txt.lists if lst.no == 2)


def _units(issue) -> dict:
    return {role: [u.name for u in units] for role, units in issue.units.items()}


def _measures(issue) -> list:
    return [(m.seq, m.label, m.text, [(s.due_date, s.text) for s in m.milestones]) for m in issue.measures]


def test_same_task_list_as_text(table_stages, corps_list_txt):
    doc = table_stages.document
    assert [(lst.no, lst.title, len(lst.issues)) for lst in doc.lists] == [
        (2, corps_list_txt.title, 30)
    ]
    assert doc.title == corps_list_txt.title
    for want, got in zip(corps_list_txt.issues, doc.lists[0].issues):
        where = f"issue {want.seq}"
        assert got.seq == want.seq, where
        assert got.label == str(want.seq), where  # as printed in the 序号 cell
        assert got.problem == want.problem, where
        assert got.fields == want.fields, where
        assert got.field_roles == want.field_roles, where
        assert (got.responsible_raw, got.acceptance_raw, got.goal) == (
            want.responsible_raw,
            want.acceptance_raw,
            want.goal,
        ), where
        assert got.deadline.raw == want.deadline.raw and got.deadline.due_date == want.deadline.due_date, where
        assert _measures(got) == _measures(want), where
        assert _units(got) == _units(want), where
    assert sum(len(i.measures) for i in doc.lists[0].issues) == sum(len(i.measures) for i in corps_list_txt.issues)


def test_every_value_is_its_span(table_stages):
    doc = table_stages.document
    for issue in doc.lists[0].issues:
        assert doc.text[issue.spans["problem"].start : issue.spans["problem"].end] == issue.problem
        for key, value in issue.fields.items():
            span = issue.spans[key]
            assert doc.text[span.start : span.end] == value
            assert (span.page_start, span.line_start) <= (span.page_end, span.line_end)
        for m in issue.measures:
            assert doc.text[m.span.start : m.span.end] == m.text


def test_pdf_table_is_one_table_across_pages(table_pdf_stages):
    src = table_pdf_stages.source
    assert src.page_count > 10
    [table] = src.tables
    rows = {cell.row for cell in table.cells}
    assert len(rows) == 31  # the header and 30 issues
    # The header is printed on every page and kept once.
    header_lines = [i for i, line in enumerate(src.lines) if line.text == "整改措施"]
    assert len(header_lines) == src.page_count
    assert len(table.dropped_lines) == len(HEADER) * (src.page_count - 1)


def test_pdf_rows_split_across_pages_are_joined(table_pdf_stages):
    doc = table_pdf_stages.document
    split = [i for i in doc.lists[0].issues if i.source.page_start != i.source.page_end]
    assert len(split) >= 5
    # Issue 1's measures run from page 1 onto page 2; its 7 measures stay one field.
    first = doc.lists[0].issues[0]
    assert first.spans["整改措施"].page_start == 1 and first.spans["整改措施"].page_end == 2
    assert [m.seq for m in first.measures] == list(range(1, 8))


def test_pdf_cells_side_by_side_share_line_numbers(table_pdf_stages):
    """In a PDF table, line = the n-th line of text from the top of the page:
    the first lines of a row's cells stand at the same height."""
    issue = table_pdf_stages.document.lists[0].issues[2]
    starts = {key: (span.page_start, span.line_start) for key, span in issue.spans.items()}
    assert len(set(starts.values())) == 1, starts


def test_docx_lines_are_paragraph_indices(table_docx_stages):
    src, doc = table_docx_stages.source, table_docx_stages.document
    assert {line.page for line in src.lines} == {1}
    # 附件 2, the title, then the 7 header cells: issue 1's 序号 cell is paragraph 10.
    first = doc.lists[0].issues[0]
    assert (first.source.page_start, first.source.line_start) == (1, 10)
    assert first.spans["problem"].line_start == 11


def _docx_table(rows: list[list[str]], before: tuple[str, ...] = ()) -> bytes:
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _convert(tmp_path, data: bytes, name: str = "t.docx"):
    path = tmp_path / name
    path.write_bytes(data)
    return convert(path)


@pytest.mark.parametrize("label,role", sorted(LABELS.role_of.items()))
def test_every_label_names_a_column(tmp_path, label, role):
    header = {"seq": [label, "问题", "责任单位"], "problem": ["序号", label, "责任单位"]}.get(role, ["序号", "问题", label])
    values = {"seq": ["3", "问题文字。", "某单位"], "problem": ["3", "问题文字。", "某单位"]}.get(role, ["3", "问题文字。", "内容文字"])
    doc = _convert(tmp_path, _docx_table([header, values]))
    [issue] = doc.lists[0].issues
    assert (issue.seq, issue.label, issue.problem) == (3, "3", "问题文字。")
    if role not in ("seq", "problem"):
        assert issue.fields == {label: "内容文字"} and issue.field_roles == {label: role}


def test_header_with_spaces_and_unknown_column(tmp_path):
    doc = _convert(tmp_path, _docx_table([["序 号", "存在问题", "整改 时限", "备注"], ["一", "问题文字。", "2023年底前", "无"]]))
    [issue] = doc.lists[0].issues
    assert (issue.seq, issue.label) == (1, "一")
    assert issue.fields == {"整改时限": "2023年底前", "备注": "无"}
    assert issue.field_roles == {"整改时限": "deadline"}  # 备注 is no known label
    assert issue.deadline.due_date.isoformat() == "2023-12-31"


def test_table_without_problem_column_is_not_a_task_list(tmp_path):
    doc = _convert(tmp_path, _docx_table([["指标名称", "现状值", "2025年目标"], ["空气质量优良天数比率", "80%", "85%"]]))
    assert doc.lists == []
    assert "空气质量优良天数比率" in doc.text


def test_unnumbered_row_is_numbered_with_a_warning(tmp_path):
    doc = _convert(tmp_path, _docx_table([["序号", "问题"], ["1", "第一个问题。"], ["", "没有序号的问题。"]]))
    assert [(i.seq, i.label, i.problem) for i in doc.lists[0].issues] == [(1, "1", "第一个问题。"), (2, "", "没有序号的问题。")]
    assert [w.code for w in doc.warnings if w.code == "table_row_unnumbered"] == ["table_row_unnumbered"]
    assert doc.status.value == "partial"


MERGED = [
    ["序号", "问题", "责任单位", "验收单位", "整改时限"],
    ["1", "第一个问题。", "自治区生态环境厅", "自治区发展改革委", "2023年底前"],
    ["2", "第二个问题。", "", "自治区水利厅", "2024年底前"],
    ["3", "第三个问题。", "自治区林草局", "", "长期坚持"],
]


def _merged_docx(rows: list[list[str]], spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> bytes:
    """_docx_table with each span's cells merged, from its first (column,
    row) to its last as table_pdf takes them, the first cell's text kept."""
    document = docx.Document(io.BytesIO(_docx_table(rows)))
    table = document.tables[0]
    for (c0, r0), (c1, r1) in spans:
        text = rows[r0][c0]
        table.cell(r0, c0).merge(table.cell(r1, c1)).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fields(doc) -> list[tuple[int, dict]]:
    return [(issue.seq, issue.fields) for issue in doc.lists[0].issues]


def test_cell_merged_down_is_each_rows_value_in_a_pdf_as_in_word(tmp_path):
    """One 责任单位 printed once for two issues: a PDF gave it to the first
    only, Word to both."""
    pdf = _convert(tmp_path, table_pdf(MERGED, [((2, 1), (2, 2))]), "t.pdf")
    word = _convert(tmp_path, _merged_docx(MERGED, [((2, 1), (2, 2))]))
    assert _fields(pdf) == _fields(word)
    first, second, third = pdf.lists[0].issues
    assert second.fields["责任单位"] == "自治区生态环境厅"
    assert [u.name for u in second.units["responsible_units"]] == ["新疆维吾尔自治区生态环境厅"]
    # Both point at where the merged cell's text is printed.
    assert (second.spans["责任单位"].page_start, second.spans["责任单位"].line_start) == (
        first.spans["责任单位"].page_start,
        first.spans["责任单位"].line_start,
    )
    assert pdf.status.value == "ok"


def test_cell_merged_across_columns_is_not_copied_down(tmp_path):
    """A cell merged across a row covers the positions right of it, not the
    ones below the row above."""
    pdf = _convert(tmp_path, table_pdf(MERGED, [((2, 3), (3, 3))]), "t.pdf")
    third = pdf.lists[0].issues[2]
    assert third.fields == {"责任单位": "自治区林草局", "整改时限": "长期坚持"}


def test_header_merged_down_is_not_a_rows_value(tmp_path):
    """A header of two rows (责任单位 over 牵头 and 配合, the other headers
    merged down over both) gives its text to no row below it."""
    rows = [
        ["序号", "问题", "责任单位", "", "整改时限"],
        ["", "", "牵头", "配合", ""],
        ["1", "第一个问题。", "自治区生态环境厅", "自治区水利厅", "2023年底前"],
    ]
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0)), ((4, 0), (4, 1))]
    pdf = _convert(tmp_path, table_pdf(rows, spans), "t.pdf")
    assert pdf.text.count("序号") == pdf.text.count("整改时限") == 1
