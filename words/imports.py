"""Imports in words: the report of a file's problems, each on its row and column, and the
preview of what the import changes (zh/en).

`spaces.imports.plan_import` and `spaces.demands.read_demands` give the problems as issues
with what was read, and the plan its differences; these functions lay them out as the
tables the pages, the command line and the downloaded reports show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from spaces.imports import ImportPlan
from spaces.tabular import ReadResult, locate
from spaces.validation import Issue
from words import pick, t
from words.inventory import field_label, field_list, issue_hint, issue_message, table_term

TEXT: dict[str, tuple[str, str]] = {
    "report_level": ("级别", "level"),
    "level_error": ("错误", "error"),
    "level_warning": ("提示", "warning"),
    "report_table": ("表", "table"),
    "report_row": ("行", "row"),
    "report_column": ("列", "column"),
    "report_value": ("值", "value"),
    "report_problem": ("问题", "problem"),
    "report_fix": ("修改建议", "how to fix"),
    "report_record": ("记录编号", "record"),
    "changes_unchanged": ("不变", "unchanged"),
    "changes_action": ("操作", "action"),
    "changes_fields": ("修改的字段", "fields"),
}

FAMILIES: dict[str, tuple[str, ...]] = {
    "level_{}": ("error", "warning"),
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""

_REPORT = (
    "report_table",
    "report_row",
    "report_column",
    "report_value",
    "report_problem",
    "report_fix",
    "report_record",
)


def issue_report(
    issues: Iterable[Issue], reads: Mapping[str, ReadResult], lang: str
) -> pd.DataFrame:
    """Every problem with the file row and column it came from, what is wrong and the fix.

    ``reads`` maps table names to what was read of them (`spaces.tabular.read_table`);
    issues about a record are placed on the row holding its id (`spaces.tabular.locate`)
    and name the record in the last column, for records that are not in the file.
    """
    rows = []
    for issue in issues:
        row, column = locate(issue, reads)
        rows.append(
            [
                table_term(issue.table, lang),
                row,
                column or (issue.field and field_label(issue.table, issue.field, lang)),
                None if _missing(issue.value) else str(issue.value),
                issue_message(issue, lang),
                issue_hint(issue, lang),
                issue.record_id,
            ]
        )
    columns = [t(key, lang) for key in _REPORT]
    frame = pd.DataFrame(rows, columns=columns)
    frame[columns[1]] = frame[columns[1]].astype("Int64")
    return frame


def import_report(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """Every error, then every warning of a planned import, with its level first."""
    frames = []
    for level, issues in (("error", plan.errors), ("warning", plan.warnings)):
        frame = issue_report(issues, plan.reads, lang)
        frame.insert(0, t("report_level", lang), t(f"level_{level}", lang))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if any(len(f) for f in frames) else frames[0]
    return out.reset_index(drop=True)


def import_summary(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """Per table: records the import adds, changes and deletes, and those it leaves alone."""
    columns = ["report_table", "action_insert", "action_update", "action_delete"]
    rows = [
        [table_term(name, lang), len(d.added), len(d.changed), len(d.deleted), d.unchanged]
        for name, d in plan.diff.tables.items()
    ]
    return pd.DataFrame(rows, columns=[t(k, lang) for k in [*columns, "changes_unchanged"]])


def import_changes(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """One row per record the import adds, changes or deletes, with the changed fields.

    In English the actions keep their codes (insert, update, delete), as in the command
    line's JSON.
    """
    records = plan.diff.records()
    out = pd.DataFrame(
        {
            t("report_table", lang): [table_term(n, lang) for n in records.table],
            t("report_record", lang): records.record,
            t("changes_action", lang): [
                pick((t(f"action_{a}", "zh"), a), lang) for a in records.action
            ],
            t("changes_fields", lang): [
                field_list(n, fs.split(", "), lang)
                for n, fs in zip(records.table, records.fields, strict=True)
            ],
        }
    )
    return out


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
