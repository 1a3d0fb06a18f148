"""修改记录 / Audit log: every change with who, when, before and after; filter it, undo one."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from access.permissions import PermissionDenied, allowed
from services.context import vocabs_for
from spaces.changes import UndoError
from spaces.export import CSV_MIME, csv_bytes
from spaces.validation import InventoryError
from store.repository import ACCOUNTS_TABLE
from ui.common import current_actor, get_settings, get_store, lang, plain
from ui.editing import audit_frame, before_after, table_label
from words import t
from words.access import person, refusal
from words.inventory import error_text

MESSAGE = "hq_audit_message"


settings = get_settings()
lg = lang()
repo = get_store()
actor = current_actor()

st.title(t("page_audit", lg))
st.caption(t("audit_help", lg))
if MESSAGE in st.session_state:
    st.success(st.session_state.pop(MESSAGE))

if not allowed(actor, "view.private"):  # an administrator: the accounts' entries only
    tables = ["", ACCOUNTS_TABLE]
elif actor.scope is not None:  # a steward: their own unit's records, no account
    tables = ["", *repo.audited_tables()]
else:
    tables = ["", *repo.audited_tables(), ACCOUNTS_TABLE]
c1, c2, c3, c4 = st.columns(4)
table = c1.selectbox(
    t("audit_table", lg),
    tables,
    format_func=lambda n: table_label(n, lg) if n else t("audit_all", lg),
    key="hq_audit_table",
)
who = c2.text_input(t("audit_who", lg), key="hq_audit_actor").strip()
record = c3.text_input(t("audit_record", lg), key="hq_audit_record").strip()
days = c4.selectbox(
    t("audit_period", lg),
    [0, 1, 7, 30, 365],
    format_func=lambda d: t(f"period_{d}", lg),
    key="hq_audit_days",
)
since = (
    datetime.combine(datetime.now(UTC).date() - timedelta(days=days - 1), time(), UTC)
    if days
    else None
)
log = repo.audit_log(
    actor=actor,
    table=table or None,
    by=who or None,
    record_id=record or None,
    since=since,
    limit=2000,
)

st.markdown(t("audit_count", lg).format(n=len(log)))
names = {u.id: (u.name_zh if lg == "zh" else u.name_en) for u in settings.units}
frame = audit_frame(log, lang=lg, units=names)
st.dataframe(frame, hide_index=True, width="stretch", key="hq_audit_frame")
st.caption(t("beijing_time", lg))
st.download_button(
    t("download_csv", lg),
    csv_bytes(frame),
    file_name="audit.csv",
    mime=CSV_MIME,
    key="hq_audit_csv",
)

if len(log):
    pick = st.selectbox(
        t("audit_pick", lg),
        list(log.index),
        format_func=lambda i: " · ".join(
            [
                f"#{i}",
                person(log.at[i, "actor"], log.at[i, "account"], lg),
                f"{table_label(log.at[i, 'table_name'], lg)} {log.at[i, 'record_id']}",
            ]
        ),
        key="hq_audit_pick",
    )
    entry = log.loc[pick].to_dict() | {"audit_id": int(pick)}
    if entry["table_name"] != "*":
        st.dataframe(
            before_after(entry, lang=lg, vocabs=vocabs_for(settings)),
            hide_index=True,
            width="stretch",
        )
        undoable = repo.may_undo(actor, entry["table_name"], entry["record_unit"])
        if undoable and st.button(t("audit_undo", lg).format(n=int(pick)), key="hq_audit_undo"):
            try:
                result = repo.undo(int(pick), actor=actor)
            except PermissionDenied as e:
                st.error(refusal(e, lg, settings.units))
            except InventoryError as e:
                st.error(plain(error_text(e, lg)))
            except UndoError as e:
                st.error(plain(e))
            else:
                st.session_state[MESSAGE] = t("audit_undone", lg).format(
                    n=int(pick), revision=result.revision
                )
                st.rerun()
