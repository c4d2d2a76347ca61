"""Link progress-report items to the plan issues they answer.

An item that cites the plan ("（自治区序号九）") is linked by that citation;
any other by the similarity of the problem statements: jieba words compared
with rapidfuzz's token_set_ratio, which scores a report's shortened copy of
a plan problem as high as a full copy. An item whose best score is below
``min_score``, or not ``min_margin`` ahead of the runner-up, stays unmatched:
a link is never forced.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz import fuzz

from ..model import Document, Issue, LinkMethod, TaskList, walk_issues


_WORD = regex.compile(r"[\p{Han}\p{L}\p{N}]")


@dataclass(frozen=True)
class LinkSettings:
    min_score: float = 80.0
    min_margin: float = 10.0

    def __post_init__(self) -> None:
        if not 0 <= self.min_score <= 100:
            raise ValueError(f"min_score must be within 0–100, not {self.min_score}")
        if self.min_margin < 0:
            raise ValueError(f"min_margin must not be negative, not {self.min_margin}")


@dataclass(frozen=True)
class Link:
    item: Issue
    task_list: TaskList | None
    plan_issue: Issue | None
    method: LinkMethod | None
    score: float | None
    # Why an item is unmatched, for the finding.
    reason: str | None = None


@lru_cache(maxsize=1)
def _jieba():
    # Imported on first use: `zhenggai extract` loads this module (for the
    # audit command's defaults) but never segments text.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=4096)
def words(text: str) -> str:
    """The text as space-separated jieba words, punctuation dropped."""
    return " ".join(w for w in _jieba().lcut(text) if _WORD.search(w))


def similarity(a: str, b: str) -> float:
    return round(fuzz.token_set_ratio(words(a), words(b)), 1)


def _cited_list(plan: Document, scope: str | None) -> TaskList | None:
    if scope:
        for task_list in plan.lists:
            if scope in task_list.title:
                return task_list
    return plan.lists[0] if plan.lists else None


def link_items(plan: Document, report: Document, settings: LinkSettings = LinkSettings()) -> list[Link]:
    candidates = list(walk_issues(plan))
    links = []
    for _, item in walk_issues(report):
        if item.plan_ref is not None:
            links.append(_by_reference(plan, item))
        else:
            links.append(_by_text(candidates, item, settings))
    return links


def _by_reference(plan: Document, item: Issue) -> Link:
    task_list = _cited_list(plan, item.plan_ref_scope)
    issue = next((i for i in task_list.issues if i.seq == item.plan_ref), None) if task_list else None
    if task_list is None or issue is None:
        scope = item.plan_ref_scope or ""
        return Link(item, None, None, None, None, reason=f"cites {scope}序号 {item.plan_ref}, which the plan does not have")
    return Link(item, task_list, issue, "cross_reference", similarity(item.problem, issue.problem))


def _by_text(candidates: list[tuple[TaskList, Issue]], item: Issue, settings: LinkSettings) -> Link:
    scored = sorted(
        ((similarity(item.problem, issue.problem), k) for k, (_, issue) in enumerate(candidates)),
        reverse=True,
    )
    if not scored:
        return Link(item, None, None, None, None, reason="the plan has no issues")
    best, k = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    task_list, issue = candidates[k]
    if best < settings.min_score or best - runner_up < settings.min_margin:
        return Link(
            item,
            None,
            None,
            None,
            best,
            reason=(
                f"closest plan issue {task_list.no}-{issue.label.rstrip('、')} scores {best:g} "
                f"(runner-up {runner_up:g}; needs ≥ {settings.min_score:g} and a lead of {settings.min_margin:g})"
            ),
        )
    return Link(item, task_list, issue, "text", best)
