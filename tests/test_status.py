"""Status vocabulary (normalize/data/statuses.toml): every phrase reads as
its status; ordering and combination rules."""

from __future__ import annotations

import pytest

from zhenggai.normalize.status import load_statuses, read_status

VOCABULARY = load_statuses()


@pytest.mark.parametrize("phrase,status", sorted(VOCABULARY.phrases.items()))
def test_every_phrase_reads_as_its_status(phrase, status):
    assert read_status(phrase) == status
    assert read_status(f"{phrase}。") == status


@pytest.mark.parametrize("word", VOCABULARY.ongoing_words)
def test_completed_then_an_ongoing_word_is_completed_ongoing(word):
    assert read_status(f"已完成，{word}") == "completed_ongoing"


@pytest.mark.parametrize(
    "raw,status",
    [
        ("已完成，长期坚持", "completed_ongoing"),
        ("已完成", "completed"),
        ("正在持续推进", "in_progress"),
        ("基本完成", "basically_completed"),
        ("未完成", "not_completed"),
        # The longest phrase wins where phrases overlap.
        ("未达到序时进度", "not_completed"),
        ("达到序时进度", "in_progress"),
        # The first phrase printed decides.
        ("基本完成，正在持续推进", "basically_completed"),
        ("按计划实施", "unknown"),
        ("", "unknown"),
    ],
)
def test_read_status(raw, status):
    assert read_status(raw) == status


def test_done_statuses_are_the_completed_ones():
    assert VOCABULARY.done == {"completed", "completed_ongoing"}


def test_rank_orders_statuses():
    rank = VOCABULARY.rank
    assert rank["not_completed"] < rank["in_progress"] < rank["basically_completed"] < rank["completed"]


@pytest.mark.parametrize(
    "toml,message",
    [
        ('[finished]\nrank = 3\ndone = true\nphrases = ["好了"]\n', "finished"),
        ('[completed]\nrank = "high"\ndone = true\nphrases = []\n', "rank"),
        (
            '[completed]\nrank = 3\ndone = true\nphrases = ["已完成"]\n'
            '[not_completed]\nrank = 0\ndone = false\nphrases = ["已完成"]\n',
            "已完成",
        ),
    ],
)
def test_bad_vocabulary_files_are_rejected(tmp_path, toml, message):
    path = tmp_path / "statuses.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_statuses(path)
