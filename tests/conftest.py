from __future__ import annotations

from pathlib import Path

import pytest

from zhenggai.extract import CleanSettings, clean
from zhenggai.extract.source import PhysicalLine, SourceText
from zhenggai.parsers import load_labels

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PLAN_TXT = SAMPLES / "xinjiang_rectification_plan_2022.txt"
PLAN_PDF = SAMPLES / "xinjiang_rectification_plan_2022.pdf"
CHANGJI_REPORT = SAMPLES / "changji_progress_report_2023.txt"
TURPAN_REPORT = SAMPLES / "turpan_progress_report_2023.txt"
CHANGJI_PLAN_TXT = SAMPLES / "changji_eco_plan_14th.txt"
XPCC_PLAN_TXT = SAMPLES / "xpcc_eco_plan_14th.txt"
# The plan's Corps task list (附件 2) as a landscape ruled table, in PDF and
# Word (samples/make_samples.py).
TABLE_PDF = SAMPLES / "xinjiang_corps_task_list_2022_table.pdf"
TABLE_DOCX = SAMPLES / "xinjiang_corps_task_list_2022_table.docx"
# The real published notices of shared/corpus, kept in samples/ under
# descriptive names so that tests need nothing outside the repository:
# corpus file stem → its copy.
CORPUS_FILES = {
    "000_2dc60eb2a4f3bb8e": PLAN_TXT,
    "001_1a813f0647d051a8": CHANGJI_REPORT,
    "002_556e3e89e2fff52a": TURPAN_REPORT,
    "003_6782a8eaddafad1c": CHANGJI_PLAN_TXT,
    "004_c026df6ff5a0d0df": XPCC_PLAN_TXT,
}
CORPUS_TEXTS = list(CORPUS_FILES.values())


def load_make_samples():
    """samples/make_samples.py as a module (its renderers draw test PDFs)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.register_fonts()
    return module


def source_from_text(text: str, path: str = "test.txt") -> SourceText:
    lines = [PhysicalLine(page=1, line=i, text=t) for i, t in enumerate(text.split("\n"), start=1)]
    return SourceText(path=path, format="txt", sha256="0" * 64, page_count=1, lines=lines)


def clean_source(source: SourceText):
    return clean(source, CleanSettings(label_words=load_labels().labels))


def clean_text(text: str):
    return clean_source(source_from_text(text))


def _stages(path):
    from zhenggai.pipeline import run_stages

    # The document records the path relative to the repository, as a user
    # running from there would give it, so golden files are machine-independent.
    return run_stages(path, display_path=path.relative_to(ROOT).as_posix())


# Each sample is read once per test session: the PDF takes seconds.
@pytest.fixture(scope="session")
def plan_txt_stages():
    return _stages(PLAN_TXT)


@pytest.fixture(scope="session")
def plan_pdf_stages():
    return _stages(PLAN_PDF)


@pytest.fixture(scope="session")
def table_pdf_stages():
    return _stages(TABLE_PDF)


@pytest.fixture(scope="session")
def table_docx_stages():
    return _stages(TABLE_DOCX)


@pytest.fixture(scope="session")
def changji_plan():
    return _stages(CHANGJI_PLAN_TXT).document


@pytest.fixture(scope="session")
def xpcc_plan():
    return _stages(XPCC_PLAN_TXT).document


@pytest.fixture(scope="session")
def plan_txt(plan_txt_stages):
    return plan_txt_stages.document


@pytest.fixture(scope="session")
def plan_pdf(plan_pdf_stages):
    return plan_pdf_stages.document


@pytest.fixture(scope="session")
def changji_report():
    return _stages(CHANGJI_REPORT).document


@pytest.fixture(scope="session")
def turpan_report():
    return _stages(TURPAN_REPORT).document


# The 14 prefecture-level divisions of the autonomous region, in the
# gazetteer's order.
PREFECTURES = [
    "乌鲁木齐市",
    "克拉玛依市",
    "吐鲁番市",
    "哈密市",
    "昌吉回族自治州",
    "博尔塔拉蒙古自治州",
    "巴音郭楞蒙古自治州",
    "阿克苏地区",
    "克孜勒苏柯尔克孜自治州",
    "喀什地区",
    "和田地区",
    "伊犁哈萨克自治州",
    "塔城地区",
    "阿勒泰地区",
]

