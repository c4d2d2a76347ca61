"""Models built without validation (Span.covering, TextRun.from_line,
TextLocator.span) are the instances validation builds; copy_with is
model_copy."""

from __future__ import annotations

import pytest

from zhenggai import model
from zhenggai.extract.source import PhysicalLine
from zhenggai.model import Span, Status, TextLocator, TextRun, copy_with, walk_issues

from .conftest import clean_text


def _same(fast, validated) -> None:
    assert type(fast) is type(validated)
    assert fast == validated
    assert fast.model_fields_set == validated.model_fields_set
    assert list(fast.__dict__) == list(validated.__dict__)
    assert repr(fast) == repr(validated)
    assert fast.model_dump_json() == validated.model_dump_json()
    assert fast.model_dump() == validated.model_dump()


@pytest.mark.parametrize(
    "start,end,first,last",
    [
        (0, 1, PhysicalLine(1, 1, "整"), PhysicalLine(1, 1, "整")),
        (17, 240, PhysicalLine(3, 12, "整改"), PhysicalLine(4, 2, "到位")),
        (5_000_000, 5_000_007, PhysicalLine(86, 40, "x"), PhysicalLine(86, 40, "x")),
    ],
)
def test_covering_is_the_validated_span(start, end, first, last):
    validated = Span(
        start=start, end=end, page_start=first.page, line_start=first.line, page_end=last.page, line_end=last.line
    )
    _same(Span.covering(start, end, first, last), validated)


@pytest.mark.parametrize(
    "start,end,origin,column",
    [(0, 12, PhysicalLine(1, 1, "整改"), 0), (301, 330, PhysicalLine(7, 23, "整改"), 4)],
)
def test_run_from_line_is_the_validated_run(start, end, origin, column):
    validated = TextRun(start=start, end=end, page=origin.page, line=origin.line, column=column)
    _same(TextRun.from_line(start, end, origin, column), validated)


def test_cleaned_runs_and_located_spans_are_validated_ones():
    cleaned = clean_text("整改方案\n\n一、思想认识有偏差。\n  责任单位：自治区党委办公厅\f第二页 PM 2.5 浓度\n")
    runs = cleaned.runs()
    assert len(runs) > 2
    for run in runs:
        _same(run, TextRun.model_validate(run.model_dump()))
    locate = TextLocator(runs)
    text = cleaned.text
    for start in range(len(text)):
        for end in (start + 1, len(text)):
            span = locate.span(start, end)
            _same(span, Span.model_validate(span.model_dump()))
            _same(cleaned.span(start, end), Span.model_validate(cleaned.span(start, end).model_dump()))


def _copies(doc):
    """(model, update) pairs as normalize makes them, from a normalized document."""
    task_list = doc.lists[0]
    issue = task_list.issues[0]
    yield doc, {"reference_year": 2031, "status": Status.partial, "lists": doc.lists[:1], "date": None}
    yield task_list, {"issues": task_list.issues[1:]}
    yield issue, {"measures": [], "units": {"lead_units": []}, "status": None, "deadline": issue.deadline}
    for _, each in walk_issues(doc):
        for measure in each.measures:
            yield measure, {"milestones": measure.milestones[:1], "mentioned_units": []}
        for entry in each.progress_entries:
            yield entry, {"dates": entry.dates[1:]}
    if issue.deadline is not None:
        yield issue.deadline, {"due_date": None, "precision": "year", "immediate": True}


@pytest.mark.parametrize("fixture", ["plan_txt", "changji_report"])
def test_copy_with_is_model_copy(fixture, request):
    doc = request.getfixturevalue(fixture)
    pairs = list(_copies(doc))
    assert len(pairs) >= 4
    for model, update in pairs:
        copied = copy_with(model, update)
        _same(copied, model.model_copy(update=update))
        assert copied is not model and copied.__dict__ is not model.__dict__
        assert copied.model_fields_set is not model.model_fields_set
        for key, value in update.items():
            assert getattr(copied, key) is value


def test_models_have_what_the_unvalidated_builder_assumes():
    # _instance (behind copy_with, Span.covering, TextRun.from_line) sets no
    # extra fields and no private attributes: no model may have them.
    models = [cls for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, model._Model)]
    assert len(models) > 20
    for cls in models:
        assert cls.model_config.get("extra") == "forbid", cls
        assert not cls.__private_attributes__, cls
