"""导入数据 / Import: the template, a file, its datum, every problem, a preview, then commit."""

from __future__ import annotations

import hashlib
import time

import streamlit as st
from streamlit_folium import st_folium

from access.permissions import PermissionDenied, allowed
from geodata.crs import DATUMS
from geodata.layers import LAYERS
from geodata.webassets import vendor_base_url
from services.context import vocabs_for
from services.transfer import (
    commit_import,
    commit_layer_import,
    prepare_import,
    prepare_layer_import,
    propose_mapping,
    saved_mapping,
    template,
)
from spaces.changes import StaleError
from spaces.datum import CHOICES, probe
from spaces.export import CSV_MIME, XLSX_MIME, csv_bytes, excel_bytes
from spaces.io import KINDS
from spaces.validation import InventoryError
from ui.common import current_actor, get_settings, get_store, lang, load_data, plain
from ui.datum_preview import datum_preview_map
from ui.import_mapping import CONFIRMED, mapping_step
from words import t
from words.access import refusal, unit_label
from words.imports import (
    file_error_columns,
    file_error_text,
    import_changes,
    import_report,
    import_summary,
    sheet_words,
    shown,
)
from words.inventory import error_text, table_term

PLAN = "hq_import_plan"
PLAN_KEY = "hq_import_plan_key"
DONE = "hq_import_done"
NOTE = "hq_import_note"
UPLOADS = "hq_import_uploads"  # bumped to give a fresh, empty uploader after a commit
PROPOSAL = "hq_import_proposal"  # the file's mapping proposal and the unit's saved profile
PROPOSAL_KEY = "hq_import_proposal_key"


@st.cache_data(show_spinner=False, max_entries=4)
def _template(lg: str) -> tuple[bytes, str, str]:
    out = template(sheet_words(vocabs_for(get_settings()), lg))
    return out.data, out.filename, out.mime


def _datum_label(code: str, lg: str) -> str:
    if code == "auto":
        return t("datum_auto", lg)
    d = DATUMS[code]
    return f"{code} · {d.label_zh if lg == 'zh' else d.label_en}"


def _refused(error: ValueError) -> None:
    """A file refused as a whole: why in the page's language, the columns recognised and
    not, and the template to download right there."""
    colon = "：" if lg == "zh" else ": "
    st.error(plain(f"{t('import_unreadable', lg)}{colon}{file_error_text(error, lg)}"))
    recognised, unrecognised = file_error_columns(error, lg)
    params = getattr(error, "params", {}) or {}
    if params.get("sheet") and params.get("table") and recognised:
        table = table_term(params["table"], lg)
        st.caption(plain(t("file_closest", lg).format(sheet=params["sheet"], table=table)))
    if recognised or unrecognised:
        sep = t("sep_list", lg)
        st.markdown(
            plain(t("file_recognised", lg).format(columns=sep.join(recognised)))
            if recognised
            else t("file_nothing_recognised", lg)
        )
        if unrecognised:
            st.markdown(plain(t("file_unrecognised", lg).format(columns=sep.join(unrecognised))))
    if getattr(error, "code", None) not in ("datum_needed", "limit"):
        st.markdown(t("file_use_template", lg))
        data, name, mime = _template(lg)
        st.download_button(
            t("download_template", lg), data, file_name=name, mime=mime, key="hq_refused_template"
        )


class _Bar:
    """A progress bar that appears once work has taken a second: stage and rows."""

    def __init__(self, lg: str) -> None:
        self.lg = lg
        self.start = time.perf_counter()
        self.bar = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self.bar is None and time.perf_counter() - self.start < 1.0:
            return
        share = min(done / total, 1.0) if total else 0.0
        text = t(f"progress_{stage}", self.lg).format(done=done, total=total or "?")
        if self.bar is None:
            self.bar = st.progress(share, text=text)
        else:
            self.bar.progress(share, text=text)

    def clear(self) -> None:
        if self.bar is not None:
            self.bar.empty()


def _ask_datum(content: bytes, name: str, lg: str) -> str | None:
    """The datum of a file's coordinates when the file does not say it: guessed or asked.

    Asked from the file's first rows, before the whole file is read; the map shows the
    sample points as each choice would place them. Stops the page until there is an answer.
    """
    found = probe(content, name, settings.limits)
    if not found.coordinates or not len(found.points):
        return None
    if found.guess:
        st.info(t("datum_guessed", lg).format(datum=found.guess, clue=plain(found.clue)))
    else:
        st.warning(t("datum_needed", lg))
    choices = CHOICES if found.guess in CHOICES or found.guess is None else (found.guess, *CHOICES)
    chosen = st.radio(
        t("datum_choose", lg),
        choices,
        index=choices.index(found.guess) if found.guess else None,
        format_func=lambda c: _datum_label(c, lg),
        horizontal=True,
        key=f"hq_import_datum_answer_{hashlib.sha256(content).hexdigest()[:12]}",
    )
    _, layers, _ = load_data()
    st_folium(
        datum_preview_map(
            found.points,
            layers,
            choices=choices,
            chosen=chosen,
            labels={c: _datum_label(c, lg) for c in choices},
            asset_url=vendor_base_url(base_url_path=st.get_option("server.baseUrlPath")),
        ),
        height=320,
        use_container_width=True,
        key="hq_import_datum_map",
        returned_objects=[],
    )
    if chosen is None:
        st.stop()
    return None if chosen == found.guess else chosen  # None: the plan takes the guess itself


def _profile_name(filename: str) -> str:
    """A profile's default name: the file's name without its ending."""
    return filename.rsplit(".", 1)[0]


def _reset(message: str | None = None) -> None:
    st.session_state.pop(PLAN, None)
    st.session_state.pop(PLAN_KEY, None)
    st.session_state.pop(PROPOSAL, None)
    st.session_state.pop(PROPOSAL_KEY, None)
    st.session_state.pop(CONFIRMED, None)
    st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
    if message:
        st.session_state[DONE] = message


settings = get_settings()
lg = lang()
repo = get_store()
actor = current_actor()

st.title(t("page_import", lg))
if actor.scope:
    unit = settings.unit(actor.scope)
    st.caption(t("steward_scope", lg).format(unit=unit.name_zh if lg == "zh" else unit.name_en))

with st.expander(t("import_template_title", lg)):
    st.markdown(t("import_help", lg))
    data, name, mime = _template(lg)
    st.download_button(t("download_template", lg), data, file_name=name, mime=mime)

if not allowed(actor, "replace.layers"):
    mode = "inventory"
else:
    mode = st.radio(
        t("import_what", lg),
        ["inventory", "layer"],
        format_func=lambda m: t(f"import_mode_{m}", lg),
        horizontal=True,
        key="hq_import_mode",
    )
left, right = st.columns([3, 2])
with left:
    upload = st.file_uploader(
        t("import_file", lg),
        type=sorted({s.lstrip(".") for s in KINDS}),
        key=f"hq_import_file_{st.session_state.get(UPLOADS, 0)}",
    )
with right:
    datum = st.selectbox(
        t("import_datum", lg),
        ["auto", *DATUMS],
        format_func=lambda c: _datum_label(c, lg),
        key="hq_import_datum",
    )
    layer = source = None
    if mode == "layer":
        layer = st.selectbox(
            t("import_layer", lg),
            LAYERS,
            format_func=lambda n: t(f"layer_{n}", lg),
            key="hq_import_layer",
        )
        source = st.text_input(t("import_source", lg), key="hq_import_source") or None

if DONE in st.session_state:
    st.success(st.session_state.pop(DONE))
if NOTE in st.session_state:
    st.warning(st.session_state.pop(NOTE))
if upload is None:
    st.info(t("import_choose_file", lg))
    st.stop()

content = upload.getvalue()
declared = None if datum == "auto" else datum
if declared is None and mode == "inventory":
    declared = _ask_datum(content, upload.name, lg)
digest = hashlib.sha256(content).hexdigest()
mapping = None
if mode != "layer":
    if st.session_state.get(PROPOSAL_KEY) != (digest, upload.name):
        try:
            proposal = propose_mapping(settings, content, upload.name)
        except ValueError as e:  # unreadable, or past an import limit
            _refused(e)
            st.stop()
        saved = saved_mapping(repo, actor, proposal)
        st.session_state[PROPOSAL] = (proposal, saved)
        st.session_state[PROPOSAL_KEY] = (digest, upload.name)
    proposal, saved = st.session_state[PROPOSAL]
    base = saved.mapping if saved is not None else proposal.mapping()
    mapping = mapping_step(
        proposal,
        base,
        lg,
        key=f"hq_map_{digest[:12]}",
        profile=saved.name if saved is not None else None,
    )
    if mapping is None:
        st.stop()
key = (
    digest,
    upload.name,
    declared,
    mode,
    layer,
    source,
    repo.revision(),
    mapping.to_json() if mapping is not None else None,
)
if st.session_state.get(PLAN_KEY) != key:
    try:
        bar = _Bar(lg)
        with st.spinner(t("import_checking", lg)):
            if mode == "layer":
                plan = prepare_layer_import(
                    repo,
                    content,
                    upload.name,
                    layer=layer,
                    datum=declared,
                    source=source,
                    limits=settings.limits,
                )
            else:
                plan = prepare_import(
                    repo,
                    settings,
                    content,
                    upload.name,
                    actor=actor,
                    datum=declared,
                    progress=bar,
                    mapping=mapping,
                )
        bar.clear()
    except ValueError as e:  # unreadable, past an import limit, or its datum cannot be told
        _refused(e)
        st.stop()
    st.session_state[PLAN] = plan
    st.session_state[PLAN_KEY] = key
plan = st.session_state[PLAN]

if mode == "layer":
    st.caption(t("import_datum_used", lg).format(datum=plain(plan.datum), how=t("how_file", lg)))
    for line in plan.errors:
        st.error(plain(line))
    for line in plan.warnings:
        st.warning(plain(line))
    st.subheader(t("import_preview", lg))
    st.markdown(
        t("layer_preview", lg).format(
            n=len(plan.features), layer=t(f"layer_{plan.layer}", lg), old=len(plan.replaced)
        )
    )
    st.dataframe(plan.table(), hide_index=True, width="stretch")
else:
    how = t(f"how_{plan.datum_how}", lg) if plan.datum_how else ""
    if plan.datum:
        st.caption(t("import_datum_used", lg).format(datum=plain(plan.datum), how=how))
    counts = plan.diff.summary()
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("import_errors", lg), len(plan.errors))
    c2.metric(t("import_warnings", lg), len(plan.warnings))
    c3.metric(t("import_added", lg), int(counts.added.sum()))
    c4.metric(t("import_changed", lg), int(counts.changed.sum()))
    report = import_report(plan, lg, units=settings.units)
    if plan.errors:
        st.error(t("import_has_errors", lg))
    elif plan.warnings:
        st.warning(t("import_has_warnings", lg))
    else:
        st.success(t("import_clean", lg))
    if len(report):
        st.subheader(t("import_report", lg))
        st.dataframe(shown(report), hide_index=True, width="stretch", key="hq_import_report")
        d1, d2, _ = st.columns([1, 1, 3])
        d1.download_button(
            t("download_report_xlsx", lg),
            excel_bytes({"report": report}),
            file_name=f"{upload.name}.report.xlsx",
            mime=XLSX_MIME,
            key="hq_report_xlsx",
        )
        d2.download_button(
            t("download_report_csv", lg),
            csv_bytes(report),
            file_name=f"{upload.name}.report.csv",
            mime=CSV_MIME,
            key="hq_report_csv",
        )
    if plan.skipped:
        st.caption(t("import_skipped", lg).format(names=plain("、".join(plan.skipped))))
    st.subheader(t("import_preview", lg))
    st.dataframe(import_summary(plan, lg), hide_index=True, key="hq_import_summary")
    changes = import_changes(plan, lg)
    if len(changes):
        with st.expander(t("import_changes", lg).format(n=len(changes))):
            st.dataframe(shown(changes), hide_index=True, width="stretch")

nothing = mode != "layer" and plan.diff.is_empty()
if nothing and plan.ok:
    st.info(t("import_nothing", lg))
save_as = unit_for = None
if mode != "layer" and allowed(actor, "save.mapping"):
    s1, s2, s3 = st.columns([2, 2, 2])
    if s1.checkbox(t("map_save", lg), key="hq_map_save"):
        save_as = s2.text_input(
            t("map_save_name", lg), value=_profile_name(upload.name), key="hq_map_save_name"
        )
        if actor.scope is None:
            unit_for = s3.selectbox(
                t("map_save_unit", lg),
                [u.id for u in settings.units],
                format_func=lambda u: unit_label(u, lg, settings.units),
                key="hq_map_save_unit",
            )
b1, b2, _ = st.columns([1, 1, 3])
commit = b1.button(
    t("import_commit", lg), type="primary", disabled=not plan.ok or nothing, key="hq_import_commit"
)
if b2.button(t("import_cancel", lg), key="hq_import_cancel"):
    _reset(t("import_cancelled", lg))
    st.rerun()
if commit:
    try:
        with st.spinner(t("progress_commit", lg).format(done=0, total=0)):
            if mode == "layer":
                result = commit_layer_import(repo, plan, actor)
            else:
                result = commit_import(repo, plan, actor)
    except StaleError:
        st.session_state[NOTE] = t("import_stale", lg)
        st.session_state.pop(PLAN_KEY, None)
        st.rerun()
    except PermissionDenied as e:
        st.error(refusal(e, lg, settings.units))
    except InventoryError as e:
        st.error(plain(error_text(e, lg)))
    except ValueError as e:
        st.error(plain(e))
    else:
        n = result.diff.summary()[["added", "changed"]].to_numpy().sum()
        done = t("import_done", lg).format(n=int(n), revision=result.revision)
        if save_as and mapping is not None:
            try:
                repo.save_mapping_profile(save_as, mapping, actor=actor, unit=unit_for)
                done += t("map_saved", lg).format(name=plain(" ".join(save_as.split())))
            except PermissionDenied as e:
                st.session_state[NOTE] = t("map_not_saved", lg).format(
                    reason=refusal(e, lg, settings.units)
                )
            except ValueError as e:
                st.session_state[NOTE] = t("map_not_saved", lg).format(reason=plain(e))
        _reset(done)
        st.rerun()
