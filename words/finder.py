"""The finder in words: why a value in a shared link was ignored (zh/en)."""

from __future__ import annotations

from planning.finder import QUERY_PROBLEMS, QueryProblem
from words import pick

_PROBLEMS = {
    "flag": ("应为 1 或 0", "expected 1 or 0"),
    "unknown_codes": (
        "未知取值 {unknown}，可用 {codes}",
        "unknown value(s) {unknown}; use {codes}",
    ),
    "unknown_track": ("未知赛道，可用 {codes}", "unknown track; use one of {codes}"),
    "not_a_date": ("应为日期，如 2026-12-31", "expected a date such as 2026-12-31"),
    "date_range": ("应为 {first} 至 {last} 之间的日期", "expected a date from {first} to {last}"),
    "not_a_number": ("不是数字", "not a number"),
    "negative": ("应为不小于 0 的数", "expected a number of zero or more"),
    "iso_range": (
        "应为 {first}–{last} 的 ISO 等级",
        "expected an ISO class from {first} to {last}",
    ),
    "reversed": ("下限高于上限", "the lower end is above the upper end"),
}
assert set(_PROBLEMS) == set(QUERY_PROBLEMS)


def query_problem(problem: QueryProblem, lang: str) -> str:
    """The problem in words, e.g. ``link parameter amin = 'abc': not a number; ignored``."""
    zh = lang == "zh"
    sep = "、" if zh else ", "
    params = {
        k: (sep.join(v) if v else ("（空）" if zh else "(none)"))
        if isinstance(v, tuple | list)
        else v
        for k, v in problem.params.items()
    }
    why = pick(_PROBLEMS[problem.problem], lang).format(**params)
    frame = (
        "链接参数 {key} = {value!r}：{why}，已忽略",
        "link parameter {key} = {value!r}: {why}; ignored",
    )
    return pick(frame, lang).format(key=problem.key, value=problem.value, why=why)
