"""Moving data in and out of the store: import plans and commits, exports and the template.

The UI pages and the command line call these, so both import, check and export the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from access.permissions import allowed
from geodata.official import LayerPlan, plan_layer_import
from services.context import vocabs_for
from settings import Settings
from spaces.datum import probe
from spaces.imports import ImportPlan, plan_import
from spaces.io import (
    export_geojson,
    export_gpkg,
    export_xlsx,
    read_inventory_file,
    read_vector,
    template_xlsx,
)
from spaces.limits import ImportLimits
from spaces.mapping import Mapping, Proposal, file_grids, propose
from spaces.sheets import SheetWords
from spaces.validation import InventoryError
from spaces.xlsx import Progress
from store.mappings import Profile
from store.repository import Actor, Repository, WriteResult

FORMATS = {
    "gpkg": ("application/geopackage+sqlite3", ".gpkg"),
    "geojson": ("application/zip", ".geojson.zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
"""Export formats: MIME type and file ending."""


@dataclass(frozen=True)
class Export:
    """A file to download."""

    data: bytes
    filename: str
    mime: str


def prepare_import(
    repo: Repository,
    settings: Settings,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    datum: str | None = None,
    table: str | None = None,
    source: str | None = None,
    progress: Progress | None = None,
    mapping: Mapping | None = None,
) -> ImportPlan:
    """Read a file and plan its import into the stored inventory; writes nothing.

    ``actor`` is who will commit it: records of a unit they may not change are errors.
    Without a ``datum``, one guessed from the file's source (`spaces.datum.probe`) is used;
    ``progress`` hears of the stages ("read" with rows, then "check"). ``mapping`` is the
    confirmed column mapping (`spaces.mapping`); without one, headers are matched to the
    template's. Raises a ``ValueError`` (a plain message for the user) when the file cannot be
    read or its datum cannot be told; problems in its content are in the plan's report.
    """
    revision = repo.revision()
    stored = repo.load_inventory()
    guess = probe(data, filename, settings.limits).guess if datum is None else None
    upload = read_inventory_file(
        data, filename, table=table, mapping=mapping, limits=settings.limits, progress=progress
    )
    if progress is not None:
        progress("check", 0, None)
    return plan_import(
        upload,
        stored=stored,
        revision=revision,
        vocabs=vocabs_for(settings),
        datum=datum,
        actor=actor,
        source=source,
        limits=settings.limits,
        guessed=guess,
    )


def propose_mapping(
    settings: Settings, data: bytes, filename: str, *, table: str | None = None
) -> Proposal:
    """The proposed column and value mapping of a file (`spaces.mapping.propose`).

    Raises ``ValueError`` (a plain message) when the file cannot be read.
    """
    grids = file_grids(data, filename)
    tables = dict.fromkeys(grids, table) if table else None
    return propose(grids, vocabs=vocabs_for(settings), filename=filename, tables=tables)


def saved_mapping(
    repo: Repository, actor: Actor, proposal: Proposal, *, unit: str | None = None
) -> Profile | None:
    """The newest profile of the actor's unit (a planner: ``unit``) saved for files with the
    proposal's headers; None when there is none or the actor imports nothing."""
    if not allowed(actor, "edit.inventory"):
        return None
    unit = actor.unit if actor.role == "steward" else unit
    if unit is None:
        return None
    found = repo.mapping_profiles(actor=actor, unit=unit, signature=proposal.signature)
    return found[0] if found else None


def named_mapping(repo: Repository, actor: Actor, name: str) -> Profile:
    """The profile called ``name`` of the actor's unit (a planner: of any unit, if only one
    unit has that name). Raises ``ValueError`` naming the profiles there are."""
    profiles = repo.mapping_profiles(actor=actor)
    hits = [p for p in profiles if p.name == name]
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(sorted({f"{p.unit}/{p.name}" for p in profiles})) or "none"
    if hits:
        raise ValueError(f"several units have a mapping called {name!r}: {known}")
    raise ValueError(f"no saved mapping called {name!r}; saved: {known}")


def commit_import(repo: Repository, plan: ImportPlan, actor: Actor) -> WriteResult:
    """Write a checked plan, all or nothing; refused if the store changed since the plan."""
    if not plan.ok:
        raise InventoryError(plan.errors)
    return repo.commit(
        plan.inventory,
        actor=actor,
        expected_revision=plan.revision,
        note=f"import {plan.filename}",
    )


def prepare_layer_import(
    repo: Repository,
    data: bytes,
    filename: str,
    *,
    layer: str,
    datum: str | None = None,
    source: str | None = None,
    limits: ImportLimits | None = None,
) -> LayerPlan:
    """Read an official layer file and plan replacing ``layer`` with it; writes nothing."""
    revision = repo.revision()
    datum = datum or probe(data, filename, limits).guess  # e.g. a KML saved by Amap: GCJ-02
    return plan_layer_import(
        read_vector(data, filename, limits=limits),
        filename=filename,
        layer=layer,
        stored=repo.load_layers(),
        revision=revision,
        datum=datum,
        source=source,
    )


def commit_layer_import(repo: Repository, plan: LayerPlan, actor: Actor) -> WriteResult:
    """Replace the layer with the plan's features, all or nothing."""
    if not plan.ok:
        raise ValueError("; ".join(plan.errors))
    return repo.replace_layers(
        plan.features,
        only=[plan.layer],
        actor=actor,
        expected_revision=plan.revision,
        note=f"official layer {plan.layer} from {plan.filename}",
    )


def export(repo: Repository, fmt: str, *, words: SheetWords) -> Export:
    """The stored inventory and layers as a GeoPackage, zipped GeoJSON or Excel workbook.

    ``words`` are the workbook's headers, notes and labels in one language
    (`words.imports.sheet_words`); the GIS formats keep codes and field names.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    inventory = repo.load_inventory()
    if fmt == "gpkg":
        data = export_gpkg(inventory, repo.load_layers())
    elif fmt == "geojson":
        data = export_geojson(inventory, repo.load_layers())
    else:
        data = export_xlsx(inventory, words)
    mime, ending = FORMATS[fmt]
    return Export(data, f"carriers-r{repo.revision()}{ending}", mime)


def template(words: SheetWords) -> Export:
    """The import template workbook, in the language of ``words`` (`words.imports.sheet_words`)."""
    return Export(template_xlsx(words), words.template_file, FORMATS["xlsx"][0])
