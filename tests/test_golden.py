"""Golden files: the whole document JSON of the sample rectification plan,
as text and as PDF, of the two sample progress reports and of the two
sample five-year plans. Regenerate on purpose only (`make golden`, which sets
ZHENGGAI_UPDATE_GOLDEN=1) and review the diff before committing."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from zhenggai.output import document_json

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ZHENGGAI_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize(
    "fixture", ["plan_txt", "plan_pdf", "changji_report", "turpan_report", "changji_plan", "xpcc_plan"]
)
def test_document_json_matches_golden(fixture, request):
    doc = request.getfixturevalue(fixture)
    actual = document_json(doc)
    source = Path(doc.source.path)
    golden = GOLDEN / f"{source.name}.json"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
        pytest.skip(f"rewrote {golden.name}")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "golden", "actual", n=2, lineterm=""
        )
        pytest.fail("document JSON differs from the golden file:\n" + "\n".join(list(diff)[:60]))
