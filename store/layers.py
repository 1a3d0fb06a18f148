"""The base GIS layers in the store (zone, areas, towns, stations …): versioned, audited."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa

from access.permissions import Actor, require
from geodata.layers import COLUMNS as LAYER_COLUMNS
from geodata.layers import validate_layers
from spaces.changes import VERSION, Edit
from spaces.model import CRS
from store import schema
from store.records import Aggregate, WriteResult, lock, read_rows, write_records

LAYERS_TABLE = "layer_features"

REPLACE = "replace.layers"
"""The action of every write of the base layers (`access.permissions`): a planner's."""


class LayerStore(Aggregate):
    """Reads and audited replacements of the base layers; every write asks for `REPLACE`."""

    def load_layers(self) -> gpd.GeoDataFrame:
        """The base GIS layers, indexed by feature_id, in EPSG:4326."""
        with self.engine.connect() as conn:
            return read_layers(conn).drop(columns=[VERSION])

    def replace_layers(
        self,
        layers: gpd.GeoDataFrame,
        *,
        only: Iterable[str] = (),
        actor: Actor,
        expected_revision: int | None = None,
        note: str = "",
    ) -> WriteResult:
        """Validate ``layers`` and store them; with ``only``, replace just those layer names.

        Features whose id stays get updated (version bumped), others are added or deleted;
        every change is audited. An actor who may not `REPLACE` is refused with
        `access.permissions.PermissionDenied` before anything is read or written.
        """
        require(actor, REPLACE)
        validate_layers(layers)
        frame = layers if layers.index.name == "feature_id" else layers.set_index("feature_id")
        frame = frame[[*LAYER_COLUMNS[1:], "geometry"]]
        names = list(only)
        with self.engine.begin() as conn:
            revision = lock(conn, expected_revision)
            before = read_layers(conn)
            kept = before[~before.layer.isin(names)] if names else before.iloc[:0]
            after = pd.concat([kept.drop(columns=[VERSION]), frame])
            after = gpd.GeoDataFrame(after, geometry="geometry", crs=CRS)
            validate_layers(after)
            return self._write_layers(conn, before, after, actor, revision, note)

    def _write_layers(
        self,
        conn: sa.Connection,
        before: gpd.GeoDataFrame,
        after: gpd.GeoDataFrame,
        actor: Actor,
        revision: int,
        note: str,
        undo_of: int | None = None,
    ) -> WriteResult:
        require(actor, REPLACE)
        return write_records(
            conn,
            {LAYERS_TABLE: before},
            {LAYERS_TABLE: after},
            tables=[LAYERS_TABLE],
            actor=actor,
            revision=revision,
            note=note,
            undo_of=undo_of,
        )


def read_layers(conn: sa.Connection) -> gpd.GeoDataFrame:
    """The stored layer features with their ``version`` column."""
    df = read_rows(conn, schema.layer_features, geometry=True)
    gdf = gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)
    gdf["approximate"] = gdf.approximate.astype(bool)
    gdf[VERSION] = gdf[VERSION].astype("Int64")
    return gdf.set_index("feature_id")[[*LAYER_COLUMNS[1:], "geometry", VERSION]]


def apply_layer_edits(layers: gpd.GeoDataFrame, edits: Iterable[Edit]) -> gpd.GeoDataFrame:
    """The features with each edit's feature replaced by its values (deleted for None)."""
    edits = list(edits)
    out = layers.drop(columns=[VERSION]).drop(index=[e.record_id for e in edits], errors="ignore")
    rows = [e for e in edits if e.values is not None]
    if not rows:
        return out
    added = gpd.GeoDataFrame(
        [{k: v for k, v in e.values.items() if k != "geometry"} for e in rows],
        geometry=[e.values["geometry"] for e in rows],
        index=pd.Index([e.record_id for e in rows], name="feature_id"),
        crs=CRS,
    )
    restored = pd.concat([out, added[out.columns]])
    restored["approximate"] = restored.approximate.astype(bool)
    return gpd.GeoDataFrame(restored, geometry="geometry", crs=CRS)
