"""Which plan issues a region answers for, from the resolved units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..model import Document, Issue, TaskList, Unit

# Roles that put work on a unit; acceptance and supervising units check it.
WORKING_ROLES = ("responsible", "lead", "cooperating")


@dataclass(frozen=True)
class Region:
    """A reporting region: ``name`` canonical when the gazetteer knows it,
    ``written`` as the document prints it (matched in unit names otherwise)."""

    name: str | None
    written: str

    @property
    def label(self) -> str:
        return self.name or self.written


def region_of(report: Document) -> Region | None:
    issuer = report.issuer
    if issuer is None:
        return None
    return Region(issuer.region if issuer.level != "other" else None, issuer.raw)


def how_unit_covers(unit: Unit, region: Region) -> str | None:
    """"direct: 昌吉回族自治州党委" when the unit belongs to the region, "via 各地（州、市）…"
    when it is a collective that includes it, "as written: …" for a region
    the gazetteer does not know that the unit's text names; else None."""
    if region.name is not None:
        if region.name in (unit.region, unit.place) and not unit.collective:
            return f"direct: {unit.name}"
        if region.name in unit.members or (unit.collective and region.name == unit.place):
            return f"via {unit.raw}"
        return None
    if region.written and region.written in unit.raw:
        return f"as written: {unit.raw}"
    return None


def issue_coverage(issue: Issue, region: Region, roles: tuple[str, ...] = WORKING_ROLES) -> str | None:
    """How the issue's working units cover the region (the first way found)."""
    for role in roles:
        for unit in issue.units.get(f"{role}_units", ()):
            how = how_unit_covers(unit, region)
            if how is not None:
                return how
    return None


def covered_issues(plan: Document, region: Region) -> Iterator[tuple[TaskList, Issue, str]]:
    """Issues and sub-issues assigned to the region, with how. A sub-issue
    with units of its own is judged by them; one without, by its parent's."""
    for task_list in plan.lists:
        for issue in task_list.issues:
            how = issue_coverage(issue, region)
            if how is not None:
                yield task_list, issue, how
            for sub in issue.sub_issues:
                sub_how = issue_coverage(sub, region) if sub.units else None
                if sub_how is not None:
                    yield task_list, sub, sub_how
