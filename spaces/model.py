"""The inventory: plots, buildings, floors, rooms, service teams and carriers as frames."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import geopandas as gpd
import pandas as pd

from spaces.schema import TABLES, Table

CRS = "EPSG:4326"

_DTYPES = {
    "str": "str",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "datetime64[s]",
}


@dataclass(frozen=True)
class Inventory:
    """All inventory tables, each indexed by its id; plots and buildings are in EPSG:4326.

    Build one with `spaces.validation.build_inventory` (coerces and validates) or, for data
    already known to be clean and typed, `Inventory.from_frames`.
    """

    plots: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    floors: pd.DataFrame
    rooms: pd.DataFrame
    service_teams: pd.DataFrame
    carriers: pd.DataFrame

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame]) -> Inventory:
        """Assemble an inventory from typed frames, adding any missing table as empty."""
        return cls(
            **{name: frames[name] if name in frames else empty(TABLES[name]) for name in TABLES}
        )

    @classmethod
    def empty(cls) -> Inventory:
        """An inventory with every table empty."""
        return cls.from_frames({})

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in dependency order (plots first, carriers last)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def counts(self) -> dict[str, int]:
        """Number of records in each table."""
        return {name: len(df) for name, df in self.tables().items()}


def dtype(kind: str) -> str:
    """The pandas dtype used for a schema field kind."""
    return _DTYPES[kind]


def empty(table: Table) -> pd.DataFrame:
    """An empty, correctly typed frame for ``table`` (a GeoDataFrame if it has geometry)."""
    data = {c: pd.Series(dtype=dtype(table.field(c).kind)) for c in table.columns}
    index = pd.Index([], dtype="str", name=table.id)
    df = pd.DataFrame(data, index=index)
    if table.geometry:
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries([], crs=CRS, index=index), crs=CRS)
    return df
