"""The fast PDF path (PDFium for pages without ruled lines) reads like the
pdfplumber path: the same cleaned text, issues, fields and measures, on the
sample plan PDF and on the other corpus documents rendered to PDF."""

from __future__ import annotations

import multiprocessing
import subprocess

import pypdfium2 as pdfium
import pytest

from zhenggai.extract.pdf import page_drawing
from zhenggai.pipeline import run_stages

from .conftest import CORPUS_FILES, PLAN_PDF, TABLE_PDF, load_make_samples

CORPUS_DOCUMENTS = ["001_1a813f0647d051a8", "002_556e3e89e2fff52a", "003_6782a8eaddafad1c", "004_c026df6ff5a0d0df"]


@pytest.fixture(scope="module")
def corpus_pdfs(tmp_path_factory):
    make_samples = load_make_samples()
    out = tmp_path_factory.mktemp("corpus_pdf")
    paths = {}
    for name in CORPUS_DOCUMENTS:
        paths[name] = out / f"{name}.pdf"
        make_samples.render(make_samples.original_paragraphs(CORPUS_FILES[name]), paths[name])
    return paths


def _issue_key(issue) -> tuple:
    return (
        issue.seq,
        issue.sub_seq,
        issue.label,
        issue.problem,
        issue.fields,
        issue.deadline.due_date if issue.deadline else None,
        [(m.seq, m.label, m.text, [s.due_date for s in m.milestones]) for m in issue.measures],
        [_issue_key(sub) for sub in issue.sub_issues],
    )


def _assert_same(path, fast=None):
    fast = fast or run_stages(path)
    slow = run_stages(path, pdf_engine="pdfplumber")
    # pdfminer drops characters STSong-Light's UCS-2 CMap gives it no
    # Unicode for: the tabs of 004's tab-separated tables (PDFium keeps them
    # as word gaps) and the subscript in "O₃". Those aside, the lines are equal.
    fast_lines, slow_lines = [line.text for line in fast.source.lines], [line.text for line in slow.source.lines]
    unmapped = set("".join(fast_lines)) - set("".join(slow_lines))
    assert unmapped <= {"₃"}
    assert [_without(t, unmapped) for t in fast_lines] == [_without(t, unmapped) for t in slow_lines]
    assert [(lst.no, lst.title) for lst in fast.document.lists] == [(lst.no, lst.title) for lst in slow.document.lists]
    for fast_list, slow_list in zip(fast.document.lists, slow.document.lists):
        assert [_issue_key(i) for i in fast_list.issues] == [_issue_key(i) for i in slow_list.issues]
    if not unmapped:
        assert fast.cleaned.text == slow.cleaned.text
        assert [w.code for w in fast.document.warnings] == [w.code for w in slow.document.warnings]
        # Page and line evidence agree too.
        assert [(r.page, r.line) for r in fast.document.text_map] == [(r.page, r.line) for r in slow.document.text_map]


def _without(text: str, dropped: set[str]) -> str:
    return "".join(ch for ch in text if ch not in dropped and not ch.isspace())


def test_sample_plan_reads_the_same(plan_pdf_stages):
    _assert_same(PLAN_PDF, plan_pdf_stages)


@pytest.fixture(scope="module")
def corpus_fast(corpus_pdfs):
    return {name: run_stages(path) for name, path in corpus_pdfs.items()}


@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_corpus_document_reads_the_same(corpus_pdfs, corpus_fast, name):
    _assert_same(corpus_pdfs[name], corpus_fast[name])


def test_corpus_documents_keep_their_items(corpus_fast):
    counts = {name: sum(len(lst.issues) for lst in stages.document.lists) for name, stages in corpus_fast.items()}
    assert counts["001_1a813f0647d051a8"] == 18
    assert counts["002_556e3e89e2fff52a"] == 7


def test_prose_pages_go_to_pdfium_and_table_pages_to_pdfplumber():
    with pdfium.PdfDocument(PLAN_PDF) as plan, pdfium.PdfDocument(TABLE_PDF) as table:
        assert not any(page_drawing(page.raw).needs_pdfplumber for page in plan)
        assert all(page_drawing(page.raw).ruled for page in table)


@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_runs_read_like_glyphs(corpus_pdfs, corpus_fast, name, monkeypatch):
    # PDFium's page text is read run by run (a few calls per run); a page
    # whose text does not line up with its characters is read glyph by
    # glyph. Both give the same lines, gaps and indents.
    from zhenggai.extract import pdf

    monkeypatch.setattr(pdf, "_page_text", lambda handle, count: None)
    by_glyph = run_stages(corpus_pdfs[name]).source.lines
    assert by_glyph == corpus_fast[name].source.lines


@pytest.mark.parametrize("path", [PLAN_PDF, TABLE_PDF], ids=["plan", "table"])
def test_sample_pdfs_read_by_object_like_glyphs(path, monkeypatch):
    # The sample plan draws 《》 in another font (glyph-map damage) inside
    # runs of Han characters: such runs are read one piece per text object,
    # and must read as glyph by glyph does.
    from zhenggai.extract import pdf, read_source

    by_object = read_source(path).lines
    monkeypatch.setattr(pdf, "_page_text", lambda handle, count: None)
    assert read_source(path).lines == by_object


def _read_in_worker(paths, conn) -> None:
    from zhenggai.batch import set_up_worker
    from zhenggai.extract import read_source

    set_up_worker()
    conn.send(([read_source(path).lines for path in paths], _first_han_box(PLAN_PDF)))
    conn.close()


def _first_han_box(path) -> tuple[float, ...]:
    with pdfium.PdfDocument(path) as document:
        page = document[0]
        textpage = page.get_textpage()
        codes = (pdfium.raw.FPDFText_GetUnicode(textpage, k) for k in range(textpage.count_chars()))
        han = next(k for k, code in enumerate(codes) if 0x4E00 <= code <= 0x9FFF)
        box = textpage.get_charbox(han)
        textpage.close()
        page.close()
    return box


def _chinese_fonts() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.strip())


def test_workers_read_the_same_without_the_machines_fonts(corpus_pdfs):
    # A worker has PDFium ignore the machine's fonts (reading the corpus's
    # STSong-Light, which is not embedded, then skips measuring each Chinese
    # glyph with an installed Chinese font): the lines must not change.
    from zhenggai.extract import read_source

    paths = [PLAN_PDF, TABLE_PDF, *corpus_pdfs.values()]
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_read_in_worker, args=(paths, sender))
    worker.start()
    sender.close()
    in_worker, worker_box = receiver.recv()
    worker.join()
    for path, worker_lines in zip(paths, in_worker):
        lines = read_source(path).lines
        assert [(x.page, x.line, x.text, x.ends_paragraph) for x in worker_lines] == [
            (x.page, x.line, x.text, x.ends_paragraph) for x in lines
        ], path.name
        # Indents are measured from glyph boxes, which the fonts move by a
        # fraction of a character (up to 0.14 of one on these documents).
        assert all(
            abs(a.indent - b.indent) < 0.25 and abs(a.right_gap - b.right_gap) < 0.25
            for a, b in zip(worker_lines, lines)
        ), path.name
    if _chinese_fonts():
        # The worker's PDFium did not measure with the installed font.
        assert worker_box != _first_han_box(PLAN_PDF)
