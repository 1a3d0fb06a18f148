"""Tables in words: the carriers' public fields with headers, labels and yes/no (zh/en)."""

from __future__ import annotations

import pandas as pd

from planning.supply import PUBLIC_FIELDS, supply_rows
from settings import Settings
from spaces.schema import Field
from words import pick, t, vocab

BATCH_LABEL = ("发布批次", "Release batch")


def header(f: Field, lang: str) -> str:
    """A column header: the field's label with its unit, e.g. "使用面积 (m²)"."""
    text = pick((f.label_zh, f.label_en), lang)
    return f"{text} ({f.unit})" if f.unit else text


def public_table(
    carriers: pd.DataFrame,
    *,
    lang: str,
    settings: Settings,
    batches: pd.Series | None = None,
    with_batch: bool = False,
) -> pd.DataFrame:
    """Carriers with their public fields only (`planning.supply.PUBLIC_FIELDS`), in words.

    Headers carry units ("使用面积 (m²)"); codes become labels (一层楼, 可招商, 生物医药);
    booleans 是/否; numbers stay numbers and dates become dates. With ``with_batch``, a
    last column holds each carrier's release batch from ``batches`` (carrier id -> label),
    empty where none or when ``batches`` is None.
    """
    track_names = {tr.id: pick((tr.name_zh, tr.name_en), lang) for tr in settings.tracks}
    yes, no = t("yes", lang), t("no", lang)
    out = pd.DataFrame(index=carriers.index)
    for f in PUBLIC_FIELDS:
        head = header(f, lang)
        if f.name == "carrier_id":
            out[head] = carriers.index.astype("str")
            continue
        if f.name not in carriers.columns:
            out[head] = None
            continue
        s = carriers[f.name]
        if f.vocabulary == "tracks":
            out[head] = s.map(track_names).astype("object").where(s.notna(), None)
        elif f.vocabulary:
            out[head] = [vocab(f.vocabulary, v, lang) or None for v in s]
        elif f.kind == "bool":
            out[head] = [None if pd.isna(v) else (yes if v else no) for v in s]
        elif f.kind == "date":
            out[head] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in s]
        elif f.kind == "float":
            out[head] = pd.to_numeric(s).round(2)
        else:
            out[head] = s
    if with_batch:
        batch = (
            pd.Series(index=carriers.index, dtype="object")
            if batches is None
            else batches.reindex(carriers.index).astype("object")
        )
        out[pick(BATCH_LABEL, lang)] = batch.where(batch.notna(), None)
    return out.reset_index(drop=True)


def supply_list(
    carriers: pd.DataFrame,
    *,
    lang: str,
    settings: Settings,
    batches: pd.Series | None = None,
) -> pd.DataFrame:
    """The supply list (供给清单) in words: offered carriers (`planning.supply.supply_rows`)
    with their public fields and release batch."""
    return public_table(
        supply_rows(carriers), lang=lang, settings=settings, batches=batches, with_batch=True
    )
