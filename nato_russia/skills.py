"""The coding skills the exercises climb, and the chapter that first shows each in a worked example.

This mapping is the single source of the skills table in the seminar guide
(``seminar/index.md``, checked by ``tests/test_exercise_skills.py``) and of
the test that no exercise asks for a skill before the chapter that teaches it.
A skill is recognised in code by plain patterns, listed here so that an
author can see why a cell counts as using it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    name: str
    what: str  # what a student does, in a historian's words
    chapter: str  # the file stem under chapters/ of the first chapter with a worked example
    patterns: tuple[str, ...]  # regular expressions that mark a code cell as using the skill

    def used_in(self, code: str) -> bool:
        return any(re.search(pattern, code) for pattern in self.patterns)


SKILLS: tuple[Skill, ...] = (
    Skill("load", "load a validated table of the course data", "python_primer",
          (r"\bload_(events|table|epilogue|countries)\(",)),
    Skill("filter", "keep the rows that meet a condition", "timeline",
          (r"\w\[[^\n]*(==|!=|<|>|\.isin\(|\.between\(|\.str\.contains\()[^\n]*\]", r"\.query\(")),
    Skill("count", "count rows, or the rows in each category", "timeline",
          (r"\blen\(", r"\.size\(\)", r"\.value_counts\(", r"\.count\(\)")),
    Skill("group", "summarise by year, period or category", "timeline",
          (r"\.groupby\(", r"\.pivot_table\(", r"\.resample\(")),
    Skill("sort", "order rows or find the largest and smallest", "timeline",
          (r"\.sort_values\(", r"\.nlargest\(", r"\.nsmallest\(", r"\.idxmax\(", r"\.idxmin\(")),
    Skill("date arithmetic", "pick out years and months, compare dates", "timeline",
          (r"\.dt\.", r"pd\.Timestamp\(", r"pd\.to_datetime\(", r"Timedelta\(", r"\bperiod_of\(")),
    Skill("plot", "draw a figure from a table", "timeline",
          (r"\bpx\.\w+\(", r"\bgo\.\w+\(", r"\bstyle\(")),
    Skill("hover text", "choose what a figure says when the pointer rests on a point", "timeline",
          (r"\bhover_data=", r"\bhovertemplate\b", r"\bcustomdata\b")),
    Skill("lists in a cell", "open out a column that holds several codes per row", "timeline",
          (r"\.explode\(",)),
    Skill("recode", "turn codes into labels, or scores into other scores", "timeline",
          (r"\.map\(", r"\.replace\(", r"\bpd\.cut\(", r"\bnp\.where\(")),
    Skill("join", "combine two tables, on a shared column or one under the other", "prologue_1990",
          (r"\.merge\(", r"[\w\)\]]\.join\(", r"\bpd\.concat\(")),
    Skill("add a sourced row", "add a row with its sources to a scratch copy of a table", "reset_2008_2010",
          (r"\.to_csv\(", r"\bcsv\.DictWriter\(", r"references\.bib")),
    Skill("validate", "run the book's validation on a table and read its message", "reset_2008_2010",
          (r"\bvalidate_(table|all)\(", r"\bDataValidationError\b")),
)

SKILL_NAMES = tuple(skill.name for skill in SKILLS)


def skills_in(code: str) -> set[str]:
    """The names of the skills a piece of code uses."""
    return {skill.name for skill in SKILLS if skill.used_in(code)}
