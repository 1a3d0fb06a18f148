"""CLI commands to move data: import (checked, then committed), export, template, audit, undo."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from access.permissions import require
from geodata.crs import DATUMS
from geodata.layers import LAYERS
from geodata.offsets import DatumError
from services.context import actor_for, vocabs_for
from services.transfer import (
    FORMATS,
    commit_import,
    commit_layer_import,
    export,
    named_mapping,
    prepare_import,
    prepare_layer_import,
    propose_mapping,
    saved_mapping,
    template,
)
from settings import Settings
from spaces.datum import CHOICES, probe
from spaces.export import csv_bytes, excel_bytes
from spaces.mapping import Mapping
from store.bootstrap import open_store
from words import t
from words.imports import (
    file_error_columns,
    file_error_json,
    file_error_text,
    import_report,
    import_summary,
    sheet_words,
)

SHOWN = 20  # problems printed in text mode; --report writes them all


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add import, export, template, audit and undo to the CLI."""
    imp = subparsers.add_parser(
        "import",
        help="check a file (Excel, CSV, GeoJSON, GeoPackage, zipped Shapefile, KML) and, with "
        "--commit, write it; exit 1 when it has errors (nothing is written)",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--datum",
        choices=list(DATUMS),
        help="the coordinates' datum; required for coordinates whose datum the file does not "
        "name (e.g. picked on a map app: GCJ-02 for AutoNavi/Tencent, BD-09 for Baidu)",
    )
    imp.add_argument("--commit", action="store_true", help="write it if it has no errors")
    imp.add_argument("--json", action="store_true", help="print JSON instead of text")
    imp.add_argument("--table", help="the table a single-table file (e.g. CSV) holds")
    imp.add_argument("--layer", choices=LAYERS, help="replace this base layer with the file")
    imp.add_argument("--source", help="provenance of new records or of the layer's features")
    imp.add_argument("--report", type=Path, help="write the full report (.xlsx or .csv)")
    imp.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language")
    imp.add_argument(
        "--mapping",
        metavar="NAME|FILE.json",
        help="the column mapping: a saved profile of your unit, or a mapping file (see "
        "--write-mapping); by default your unit's profile saved for these headers, if any",
    )
    imp.add_argument(
        "--write-mapping",
        type=Path,
        metavar="FILE.json",
        help="write the proposed column mapping (or the saved one) to edit, and stop",
    )
    imp.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="with --commit: save the mapping used as your unit's profile NAME",
    )
    imp.add_argument("--unit", help="a planner's unit for --mapping/--save-mapping profiles")
    imp.set_defaults(func=_import)

    exp = subparsers.add_parser("export", help="write the inventory and layers to a file")
    exp.add_argument("out", type=Path, help="output file: .gpkg, .zip (GeoJSON) or .xlsx")
    exp.add_argument("--lang", choices=("zh", "en"), default="zh")
    exp.set_defaults(func=_export)

    tpl = subparsers.add_parser("template", help="write the Excel import template")
    tpl.add_argument("out", type=Path)
    tpl.add_argument("--lang", choices=("zh", "en"), default="zh")
    tpl.set_defaults(func=_template)

    audit = subparsers.add_parser(
        "audit",
        help="list the audit log, newest first (a steward's: their own unit's records only)",
    )
    audit.add_argument("--table")
    audit.add_argument("--record")
    audit.add_argument("--actor", help="only the entries of this name (who changed it)")
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(func=_audit)

    undo = subparsers.add_parser("undo", help="undo one audited change by its number")
    undo.add_argument("audit_id", type=int)
    undo.set_defaults(func=_undo)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise ValueError(f"{path}: cannot be read ({e.strerror})") from None


def _import(args: argparse.Namespace, settings: Settings) -> int:
    actor = actor_for(settings)
    if args.commit:  # refused before the file is read; the store asks again
        require(actor, "replace.layers" if args.layer else "edit.inventory")
    repo = open_store(settings)
    data = _read(args.file)
    if args.layer:
        return _import_layer(args, settings, repo, data)
    mapping = None
    try:
        mapping, how = _mapping(args, settings, repo, actor, data)
        if args.write_mapping:
            return 0
        if args.datum is None:  # asked from the file's first rows, before the whole file is read
            found = probe(data, args.file.name, settings.limits)
            if found.needs_answer:
                error = DatumError(f"{args.file.name}: the file does not say its datum")
                error.params["detail"] = f"--datum {'|'.join(CHOICES)}"
                raise error
            if found.guess:
                print(
                    f"{args.file.name}: datum {found.guess} guessed from the file ({found.clue}); "
                    "give --datum to choose another",
                    file=sys.stderr,
                )
        plan = prepare_import(
            repo,
            settings,
            data,
            args.file.name,
            actor=actor,
            datum=args.datum,
            table=args.table,
            source=args.source,
            mapping=mapping,
        )
    except ValueError as e:  # the file is refused as a whole: nothing was read or written
        return _refused(e, args, mapped=mapping is not None)
    report = import_report(plan, args.lang, units=settings.units)
    if args.report:
        _write_report(args.report, report)
    committed = None
    if args.commit and plan.ok and not plan.diff.is_empty():
        committed = commit_import(repo, plan, actor).revision
    if committed is not None and args.save_mapping and mapping is not None:
        repo.save_mapping_profile(args.save_mapping, mapping, actor=actor, unit=args.unit)
        how += f"; saved as {args.save_mapping!r}"
    if how and not args.json:
        print(f"column mapping: {how}")
    if args.json:
        out = {**_plan_json(plan, report, committed), "mapping": how}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_plan(plan, report, committed, args)
    return 0 if plan.ok else 1


def _refused(error: ValueError, args: argparse.Namespace, *, mapped: bool = False) -> int:
    """A refused file in ``--lang``: JSON with its code, message and columns, or text; exit
    2, as for any input the command cannot take (1 is a file read with errors). A file with no
    table read without a mapping is told how to map its own columns."""
    if args.json:
        print(
            json.dumps(
                file_error_json(error, args.lang, file=args.file.name), ensure_ascii=False, indent=2
            )
        )
        return 2
    print(f"error: {file_error_text(error, args.lang)}", file=sys.stderr)
    recognised, unrecognised = file_error_columns(error, args.lang)
    sep = ", " if args.lang == "en" else "、"
    if recognised:
        print(t("file_recognised", args.lang).format(columns=sep.join(recognised)), file=sys.stderr)
    if unrecognised:
        print(
            t("file_unrecognised", args.lang).format(columns=sep.join(unrecognised)),
            file=sys.stderr,
        )
    if getattr(error, "code", None) == "no_table" and not mapped:
        print(t("cli_mapping_hint", args.lang).format(file=args.file), file=sys.stderr)
    return 2


def _mapping(
    args: argparse.Namespace, settings: Settings, repo: Any, actor: Any, data: bytes
) -> tuple[Mapping | None, str]:
    """The mapping to read the file with, and how it was chosen (for the output).

    ``--mapping`` names a JSON file or a saved profile; without it, the unit's profile saved for
    these headers is used when there is one, else the template's headers are matched. With
    ``--write-mapping`` the proposal (or the saved profile) is written to edit.
    """
    given = args.mapping
    if given and (given.lower().endswith(".json") or Path(given).is_file()):
        try:
            text = Path(given).read_bytes()
        except OSError as e:
            raise ValueError(f"{given}: cannot be read ({e.strerror})") from None
        mapping, how = Mapping.from_json(text), f"file {given}"
    elif given:
        profile = named_mapping(repo, actor, given)
        mapping, how = profile.mapping, f"profile {profile.unit}/{profile.name}"
    else:
        mapping, how = None, ""
    if mapping is not None and not args.write_mapping:
        return mapping, how
    proposal = propose_mapping(settings, data, args.file.name, table=args.table)
    if mapping is None:
        saved = saved_mapping(repo, actor, proposal, unit=args.unit)
        if saved is not None:
            mapping, how = saved.mapping, f"profile {saved.unit}/{saved.name} (same headers)"
    if args.write_mapping:
        out = mapping or proposal.mapping()
        args.write_mapping.write_text(out.to_json() + "\n", encoding="utf-8")
        _print_proposal(proposal)
        print(
            f"wrote {args.write_mapping} ({how or 'proposed'}): edit it, then run again with "
            f"--mapping {args.write_mapping}"
        )
    return mapping, how


def _print_proposal(proposal: Any) -> None:
    for sheet in proposal.sheets:
        print(
            f"sheet {sheet.sheet or proposal.filename!r} ({sheet.table}), header row "
            f"{sheet.header_row}:"
        )
        for c in sheet.columns:
            target = c.target or "not imported"
            sample = ", ".join(c.samples)
            print(f"  {c.header!r:24} -> {target:32} {c.confidence:4.2f}  e.g. {sample}")
    for v in proposal.values:
        print(f"  {v.vocabulary} {v.word!r} -> {v.code or '?'} ({v.confidence:.2f}, {v.count}x)")
    if proposal.skipped:
        print(f"not read: {', '.join(proposal.skipped)}")


def _import_layer(args: argparse.Namespace, settings: Settings, repo: Any, data: bytes) -> int:
    plan = prepare_layer_import(
        repo,
        data,
        args.file.name,
        layer=args.layer,
        datum=args.datum,
        source=args.source,
        limits=settings.limits,
    )
    committed = None
    if args.commit and plan.ok:
        committed = commit_layer_import(repo, plan, actor_for(settings)).revision
    if args.json:
        out = {
            "file": args.file.name,
            "layer": plan.layer,
            "datum": plan.datum,
            "ok": plan.ok,
            "committed": committed is not None,
            "revision": committed,
            "features": json.loads(plan.table().to_json(orient="records", force_ascii=False)),
            "replaces": list(plan.replaced),
            "errors": list(plan.errors),
            "warnings": list(plan.warnings),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(
            f"{args.file.name}: {len(plan.features)} feature(s) for layer {plan.layer} "
            f"(datum {plan.datum}), replacing {len(plan.replaced)}"
        )
        for line in (*plan.errors, *plan.warnings):
            print(f"  {line}")
        print(_outcome(plan.ok, committed, args.commit))
    return 0 if plan.ok else 1


def _outcome(ok: bool, committed: int | None, asked: bool) -> str:
    if committed is not None:
        return f"committed: store revision {committed}"
    if not ok:
        return "not written: fix the errors and run again"
    if asked:
        return "nothing to write: the store already holds this"
    return "checked, nothing written: add --commit to write it"


def _plan_json(plan: Any, report: pd.DataFrame, committed: int | None) -> dict[str, Any]:
    return {
        "file": plan.filename,
        "datum": plan.datum,
        "datum_from": plan.datum_how,
        "ok": plan.ok,
        "committed": committed is not None,
        "revision": committed,
        "errors": len(plan.errors),
        "warnings": len(plan.warnings),
        "summary": plan.diff.summary().to_dict("records"),
        "changes": plan.diff.records().to_dict("records"),
        "report": json.loads(report.to_json(orient="records", force_ascii=False)),
        "skipped": list(plan.skipped),
    }


def _print_plan(plan: Any, report: pd.DataFrame, committed: int | None, args: Any) -> None:
    print(f"{plan.filename}: datum {plan.datum or '-'} ({plan.datum_how or 'no coordinates'})")
    print(import_summary(plan, args.lang).to_string(index=False))
    if len(report):
        print(f"\n{len(plan.errors)} error(s), {len(plan.warnings)} warning(s):")
        print(report.head(SHOWN).to_string(index=False))
        if len(report) > SHOWN:
            print(f"... and {len(report) - SHOWN} more (use --report FILE for all)")
    print(_outcome(plan.ok, committed, args.commit))


def _write_report(path: Path, report: pd.DataFrame) -> None:
    data = csv_bytes(report) if path.suffix.lower() == ".csv" else excel_bytes({"report": report})
    path.write_bytes(data)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    suffix = args.out.name.lower()
    fmt = next(
        (f for f, (_, ending) in FORMATS.items() if suffix.endswith(ending)),
        "geojson" if suffix.endswith(".zip") else None,
    )
    if fmt is None:
        raise ValueError(f"{args.out}: name it .gpkg, .zip (GeoJSON) or .xlsx")
    words = sheet_words(vocabs_for(settings), args.lang)
    out = export(open_store(settings), fmt, words=words)
    args.out.write_bytes(out.data)
    print(f"wrote {args.out} ({len(out.data):,} bytes)")
    return 0


def _template(args: argparse.Namespace, settings: Settings) -> int:
    args.out.write_bytes(template(sheet_words(vocabs_for(settings), args.lang)).data)
    print(f"wrote {args.out}")
    return 0


def _audit(args: argparse.Namespace, settings: Settings) -> int:
    log = open_store(settings).audit_log(
        actor=actor_for(settings),
        table=args.table,
        record_id=args.record,
        by=args.actor,
        limit=args.limit,
    )
    columns = ["changed_at", "actor", "unit", "action", "table_name", "record_id", "fields"]
    if args.json:
        print(log.reset_index().to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        print(log[[*columns, "undo_of"]].to_string())
    return 0


def _undo(args: argparse.Namespace, settings: Settings) -> int:
    result = open_store(settings).undo(args.audit_id, actor=actor_for(settings))
    print(f"undid change #{args.audit_id}: store revision {result.revision}")
    return 0
