"""Limits on what an imported file may hold, checked while it is read, before it is all read.

A small file can explode: a CSV whose first row has 10,000 commas, an .xlsx of a million
rows in 0.7 MB, a zip whose header lies about its size, an outline of a million vertices.
`ImportLimits` (the ``[import]`` settings) bounds each of these; the readers count as they
stream (rows, columns, cells, unzipped bytes, zip entries) and stop at the first number past
its limit with a `LimitError` naming the limit, the value found and the limit's value.

`ZipBudget` is the one way to unzip an upload's members: it refuses an archive with too many
entries or a declared size past the limit before anything is unzipped, and counts the bytes
really unzipped (a header can lie), stopping as soon as they pass the limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MB = 2**20
_CHUNK = 256 * 1024

LIMITS = (
    "upload_mb",
    "rows",
    "columns",
    "cells",
    "unzipped_mb",
    "zip_entries",
    "outline_vertices",
)
"""The limits' names, as in the ``[import]`` settings and in `LimitError.params`."""

_BOUNDS = {
    "upload_mb": (1, 2048),
    "rows": (10, 10_000_000),
    "columns": (5, 16_384),
    "cells": (100, 500_000_000),
    "unzipped_mb": (1, 16_384),
    "zip_entries": (1, 1_000_000),
    "outline_vertices": (4, 10_000_000),
}


@dataclass(frozen=True)
class ImportLimits:
    """What one imported file may hold (``[import]`` in the settings).

    Attributes
    ----------
    upload_mb
        Largest file accepted, in MB (2**20 bytes).
    rows
        Rows of one sheet, CSV file or layer (header and title rows included).
    columns
        Columns of one row (cells in it, blank ones included).
    cells
        Cells of one sheet, file or layer: rows × its widest row so far.
    unzipped_mb
        Bytes unzipped from one file (an .xlsx, a zip or KMZ), counted as they are unzipped.
    zip_entries
        Members of one zip (an .xlsx is a zip too).
    outline_vertices
        Vertices of one plot's or building's outline.
    """

    upload_mb: int = 50
    rows: int = 200_000
    columns: int = 200
    cells: int = 5_000_000
    unzipped_mb: int = 200
    zip_entries: int = 1_000
    outline_vertices: int = 10_000

    def validate(self, where: str) -> None:
        for key, (low, high) in _BOUNDS.items():
            value = getattr(self, key)
            if not low <= value <= high:
                raise ValueError(f"{where}.{key} = {value} must be from {low:,} to {high:,}")

    @property
    def upload_bytes(self) -> int:
        return self.upload_mb * MB

    @property
    def unzipped_bytes(self) -> int:
        return self.unzipped_mb * MB


class LimitError(ValueError):
    """A file refused because it passes one of the `ImportLimits`.

    ``code`` is ``"limit"``; ``params`` hold ``limit`` (its name in `LIMITS`), ``value`` (what
    was found; for a stream stopped early, the count when it stopped), ``max`` (the limit),
    ``file`` and, where known, ``where`` (the sheet or member) and ``row`` (1-based).
    """

    code = "limit"

    def __init__(
        self,
        limit: str,
        value: int,
        maximum: int,
        *,
        file: str = "",
        where: str = "",
        row: int | None = None,
    ):
        self.params: dict[str, Any] = {
            "limit": limit,
            "value": value,
            "max": maximum,
            "file": file,
            "where": where,
            "row": row,
        }
        at = " ".join(x for x in (where, f"row {row}" if row else "") if x)
        place = f" ({at})" if at else ""
        super().__init__(
            f"{file or 'the file'}{place}: {limit} {value:,} is past the limit of {maximum:,} "
            f"(import.{limit} in the settings)"
        )


def check_upload(data: bytes, filename: str, limits: ImportLimits) -> None:
    """Refuse a file larger than ``upload_mb``."""
    if len(data) > limits.upload_bytes:
        raise LimitError(
            "upload_mb",
            -(-len(data) // MB),
            limits.upload_mb,
            file=filename,
        )


class Counter:
    """Rows and cells of one table as it is streamed; raises at the first one past a limit.

    ``width`` is the widest row so far: cells count as rows × width, what a padded table of
    them would hold, so that one wide row among many short ones is counted as it would cost.
    """

    def __init__(self, limits: ImportLimits, file: str, where: str = "") -> None:
        self.limits = limits
        self.file = file
        self.where = where
        self.rows = 0
        self.width = 0

    def row(self, width: int) -> None:
        """Count one more row of ``width`` cells."""
        lim = self.limits
        self.rows += 1
        if width > lim.columns:
            raise LimitError(
                "columns", width, lim.columns, file=self.file, where=self.where, row=self.rows
            )
        if self.rows > lim.rows:
            raise LimitError("rows", self.rows, lim.rows, file=self.file, where=self.where)
        self.width = max(self.width, width)
        if self.rows * self.width > lim.cells:
            raise LimitError(
                "cells", self.rows * self.width, lim.cells, file=self.file, where=self.where
            )

    def column(self, index: int) -> None:
        """Refuse a cell in column ``index`` (1-based) past the column limit at once."""
        if index > self.limits.columns:
            raise LimitError(
                "columns",
                index,
                self.limits.columns,
                file=self.file,
                where=self.where,
                row=self.rows + 1,
            )

    def table(self, rows: int, columns: int) -> None:
        """Check a table whose size is known before it is read (a GIS layer)."""
        lim = self.limits
        if columns > lim.columns:
            raise LimitError("columns", columns, lim.columns, file=self.file, where=self.where)
        if rows > lim.rows:
            raise LimitError("rows", rows, lim.rows, file=self.file, where=self.where)
        if rows * max(columns, 1) > lim.cells:
            raise LimitError(
                "cells", rows * max(columns, 1), lim.cells, file=self.file, where=self.where
            )


class ZipBudget:
    """Unzipping members of one archive within the entry and unzipped-size limits.

    Raises
    ------
    LimitError
        From the constructor, for too many entries or a declared total size past the limit;
        from `read`/`stream`, as soon as the bytes really unzipped pass it.
    zipfile.BadZipFile
        For an archive that is not a zip (the caller words it).
    """

    def __init__(self, data: bytes, filename: str, limits: ImportLimits) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.filename = filename
        self.limits = limits
        self.left = limits.unzipped_bytes
        members = self.archive.infolist()
        if len(members) > limits.zip_entries:
            raise LimitError("zip_entries", len(members), limits.zip_entries, file=filename)
        declared = sum(m.file_size for m in members)
        if declared > limits.unzipped_bytes:
            raise LimitError("unzipped_mb", -(-declared // MB), limits.unzipped_mb, file=filename)

    def members(self) -> list[zipfile.ZipInfo]:
        """The archive's files (not its folders)."""
        return [m for m in self.archive.infolist() if not m.is_dir()]

    def stream(self, member: str | zipfile.ZipInfo) -> Iterator[bytes]:
        """A member's bytes in chunks, counted against what is left of the budget."""
        with self.archive.open(member) as f:
            while chunk := f.read(_CHUNK):
                self.left -= len(chunk)
                if self.left < 0:
                    used = self.limits.unzipped_bytes - self.left
                    name = member.filename if isinstance(member, zipfile.ZipInfo) else member
                    raise LimitError(
                        "unzipped_mb",
                        -(-used // MB),
                        self.limits.unzipped_mb,
                        file=self.filename,
                        where=name,
                    )
                yield chunk

    def read(self, member: str | zipfile.ZipInfo) -> bytes:
        """A member's bytes, counted against what is left of the budget."""
        return b"".join(self.stream(member))

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> ZipBudget:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
