"""Pure helpers of the edit and audit pages: editor tables, edits from them, conflicts, audit rows.

No Streamlit here: the pages pass the data editor's state (``edited_rows``, ``added_rows``,
``deleted_rows``) in and get `spaces.changes.Edit` lists and display tables out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from access.permissions import Actor, allowed
from spaces.changes import VERSION, Conflict, Edit, record_units
from spaces.model import Inventory
from spaces.schema import TABLES, Field, table_named
from spaces.sheets import Vocabularies
from store.repository import ACCOUNTS_TABLE as ACCOUNTS
from ui.times import beijing_column
from words import t
from words.access import person
from words.admin import account_field
from words.inventory import field_label, field_list
from words.inventory import table_label as schema_table_label

EDITABLE = ("buildings", "floors", "rooms", "carriers", "plots", "service_teams")
"""Tables the table editor offers, in the order stewards use them."""


def in_scope(inventory: Inventory, table: str, actor: Actor) -> pd.Index:
    """Ids of the records of ``table`` ``actor`` may edit: those of the units the permission
    table lets them ``edit.inventory`` (a steward's own unit; every unit for a planner)."""
    owners = record_units(inventory)[table]
    may = {u: allowed(actor, "edit.inventory", unit=u) for u in owners.dropna().unique()}
    return owners.index[owners.map(may).fillna(False).astype(bool).to_numpy()]


def editor_frame(inventory: Inventory, table: str, actor: Actor) -> pd.DataFrame:
    """The records ``actor`` may edit, id first, version last, geometry left out."""
    spec = TABLES[table]
    df = getattr(inventory, table)
    df = df.loc[in_scope(inventory, table, actor)]
    columns = [c for c in spec.columns if c in df.columns]
    out = pd.DataFrame(df[columns]).reset_index(names=spec.id)
    out[VERSION] = (
        df[VERSION].astype("Int64").to_numpy()
        if VERSION in df.columns
        else pd.array([pd.NA] * len(out), dtype="Int64")
    )
    for c in columns:
        if spec.field(c).kind == "date":
            out[c] = out[c].dt.date.astype(object).where(out[c].notna(), None)
    return out


def edits_from_editor(
    base: pd.DataFrame, state: Mapping[str, Any], table: str, *, lang: str = "zh"
) -> tuple[list[Edit], list[str]]:
    """The edits a data editor's state makes to ``base`` (an `editor_frame`), and problems.

    Changing the id of a stored record is a problem (add a new record instead), as is a new
    row without an id.
    """
    spec = TABLES[table]
    edits: list[Edit] = []
    problems: list[str] = []
    deleted = {int(i) for i in state.get("deleted_rows", [])}
    for pos in sorted(deleted):
        row = base.iloc[pos]
        edits.append(Edit(table, str(row[spec.id]), None, _version(row[VERSION])))
    for pos, changes in sorted((int(k), v) for k, v in state.get("edited_rows", {}).items()):
        if pos in deleted or not changes:
            continue
        row = base.iloc[pos]
        values = {k: _value(v) for k, v in changes.items() if k != VERSION}
        if spec.id in values and values[spec.id] != row[spec.id]:
            problems.append(t("edit_id_changed", lang).format(id=row[spec.id]))
            continue
        values.pop(spec.id, None)
        if values:
            edits.append(Edit(table, str(row[spec.id]), values, _version(row[VERSION])))
    for row in state.get("added_rows", []):
        values = {k: _value(v) for k, v in row.items() if k != VERSION}
        rid = values.pop(spec.id, None)
        if rid is None or not str(rid).strip():
            if any(v is not None for v in values.values()):
                problems.append(t("edit_new_without_id", lang))
            continue
        edits.append(Edit(table, str(rid).strip(), values, None))
    return edits, problems


def _version(v: Any) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def _value(v: Any) -> Any:
    if isinstance(v, str) and not v.strip():
        return None
    return v


def rebase(edits: list[Edit], inventory: Inventory) -> list[Edit]:
    """The same edits, expecting the versions stored now (to re-apply after a conflict)."""
    out = []
    for e in edits:
        df = getattr(inventory, e.table)
        current = int(df.at[e.record_id, VERSION]) if e.record_id in df.index else None
        if e.values is None and current is None:
            continue  # already deleted by someone else
        out.append(Edit(e.table, e.record_id, e.values, current))
    return out


def conflict_frame(conflict: Conflict, *, lang: str = "zh") -> pd.DataFrame:
    """Field by field: the value you started from, the value now, and your input."""
    yours = conflict.yours or {}
    fields = list(dict.fromkeys([*conflict.changes, *yours]))
    rows = []
    for f in fields:
        then, now = conflict.changes.get(f, (None, None))
        if f not in conflict.changes:
            then = now = "—"
        rows.append(
            [
                field_label(conflict.table, f, lang),
                _show(then),
                _show(now),
                _show(yours.get(f, "—")),
            ]
        )
    columns = [
        t("conflict_field", lang),
        t("conflict_then", lang),
        t("conflict_now", lang),
        t("conflict_yours", lang),
    ]
    return pd.DataFrame(rows, columns=columns)


def table_label(table: str, lang: str) -> str:
    """An audited table's label in ``lang``: an inventory table, the demands, the layers or
    the accounts."""
    if table == "layer_features":
        return t("audit_layers", lang)
    if table == ACCOUNTS:
        return t("audit_accounts", lang)
    return schema_table_label(table, lang)


def _field(table: str, name: str, lang: str) -> str:
    return account_field(name, lang) if table == ACCOUNTS else field_label(table, name, lang)


def _fields(table: str, names: list[str], lang: str) -> str:
    if table == ACCOUNTS:
        return t("sep_list", lang).join(account_field(n, lang) for n in names if n)
    return field_list(table, names, lang)


def _show(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict):
        return str(v.get("type", "geometry"))
    return str(v)


def audit_frame(
    log: pd.DataFrame, *, lang: str = "zh", units: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Audit entries for display: when, who, unit (named by ``units``), what, record, fields."""
    units = units or {}
    actions = {a: t(f"action_{a}", lang) for a in ("insert", "update", "delete")}
    out = pd.DataFrame(
        {
            t("audit_no", lang): log.index,
            t("audit_when", lang): beijing_column(log.changed_at),
            t("audit_who", lang): [
                person(name, login, lang)
                for name, login in zip(
                    log.actor, log.get("account", [None] * len(log)), strict=True
                )
            ],
            t("audit_unit", lang): ["" if pd.isna(u) else units.get(u, u) for u in log.unit],
            t("audit_action", lang): [
                t("action_seed", lang)
                if tb == "*"
                else t("action_undo", lang).format(n=int(u))
                if pd.notna(u)
                else actions.get(a, a)
                for a, u, tb in zip(log.action, log.undo_of, log.table_name, strict=True)
            ],
            t("audit_table", lang): [table_label(n, lang) for n in log.table_name],
            t("audit_record", lang): log.record_id,
            t("audit_fields", lang): [
                _fields(tb, fs.split(", "), lang)
                for tb, fs in zip(log.table_name, log.fields, strict=True)
            ],
            t("audit_note", lang): log.note,
        }
    )
    return out.reset_index(drop=True)


def before_after(
    entry: Mapping[str, Any], *, lang: str = "zh", vocabs: Vocabularies | None = None
) -> pd.DataFrame:
    """One audit entry field by field: before and after, changed fields first.

    With ``vocabs``, coded values and booleans show as words (可招商, 是) rather than codes.
    """
    before = entry.get("before") or {}
    after = entry.get("after") or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k != VERSION]
    changed = [k for k in keys if before.get(k) != after.get(k)]
    table = entry["table_name"]
    rows = [
        [
            _field(table, k, lang),
            _word(table, k, before.get(k), lang, vocabs),
            _word(table, k, after.get(k), lang, vocabs),
            k in changed,
        ]
        for k in [*changed, *[k for k in keys if k not in changed]]
    ]
    return pd.DataFrame(
        rows,
        columns=[
            t("conflict_field", lang),
            t("audit_before", lang),
            t("audit_after", lang),
            t("audit_changed", lang),
        ],
    )


def _word(table: str, name: str, value: Any, lang: str, vocabs: Vocabularies | None) -> str:
    spec = table_named(table)
    if vocabs is None or value is None or spec is None:
        return _show(value)
    try:
        f = spec.field(name)
    except KeyError:
        return _show(value)
    if f.vocabulary and f.vocabulary in vocabs:
        return options(f, vocabs, lang=lang).get(value, str(value))
    if f.kind == "bool":
        return t("yes" if value else "no", lang)
    return _show(value)


def column_kind(f: Field) -> str:
    """How the editor shows a field: select, number, date, check or text."""
    if f.vocabulary:
        return "select"
    return {"int": "number", "float": "number", "date": "date", "bool": "check"}.get(f.kind, "text")


def options(f: Field, vocabs: Vocabularies, *, lang: str = "zh") -> dict[str, str]:
    """Code -> label of a vocabulary field, for select boxes."""
    return {code: labels[0 if lang == "zh" else 1] for code, labels in vocabs[f.vocabulary].items()}
