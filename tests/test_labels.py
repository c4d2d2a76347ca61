"""Field-label vocabulary: every label starts its field with its role."""

from __future__ import annotations

import pytest

from zhenggai.parsers import LabelVocabulary, load_labels
from zhenggai.parsers.issues import parse_issues
from zhenggai.parsers.structure import Paragraph

LABELS = load_labels()


@pytest.mark.parametrize("label,role", sorted(LABELS.role_of.items()))
def test_every_label_opens_a_field_with_its_role(label, role):
    paragraphs = ["一、问题描述。", f"{label}：内容文字", "二、另一个问题。", "责任单位：某单位"]
    text = "\n".join(paragraphs)
    paras, offset = [], 0
    for p in paragraphs:
        paras.append(Paragraph(offset, p))
        offset += len(p) + 1
    warnings = []
    issue = parse_issues(paras, text, LABELS, lambda s, e: _span(s, e), warnings)[0]
    assert issue.fields == {label: "内容文字"}
    assert issue.field_roles == {label: role}


@pytest.mark.parametrize("colon", ["：", ":"])
def test_label_needs_a_colon(colon):
    assert LABELS.match(f"责任单位{colon}自治区") == ("责任单位", 5)
    assert LABELS.match("责任单位不明确的问题") is None


def test_longest_label_wins():
    assert LABELS.match("整改责任单位：某单位")[0] == "整改责任单位"


def test_labels_are_matched_literally():
    vocabulary = LabelVocabulary({"备注(1)": "requirements", "序号": "seq"})
    assert vocabulary.match("备注(1)：见附件") == ("备注(1)", 6)
    assert vocabulary.match("备注1：见附件") is None


def test_no_labels_match_nothing():
    assert LabelVocabulary({}).match("：内容") is None


def test_a_label_in_two_roles_is_rejected(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text('[roles]\nresponsible = ["责任单位"]\nlead = ["责任单位"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="责任单位"):
        load_labels(path)


def test_unknown_role_is_rejected(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text('[roles]\nbudget = ["资金"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="budget"):
        load_labels(path)


def _span(start, end):
    from zhenggai.model import Span

    return Span(start=start, end=end, page_start=1, line_start=1, page_end=1, line_end=1)
