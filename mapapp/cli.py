"""The ``borderatlas`` command line: a public contract (see the README) tests and users use.

Every command prints readable text by default and JSON with ``--json``; exit codes are 0 on
success, 1 on validation failure or a required match not found, 2 on bad usage.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date, datetime
from enum import Enum
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from loaders import __version__
from loaders._errors import BorderAtlasError, DataError, DataWarning
from loaders._io import DATA_DIR_ENV, DataSource
from loaders.vocabulary import EventKind
from mapapp.serve import (
    DEFAULT_HOST,
    has_display,
    launch,
    open_browser_when_ready,
    private_run_dir,
)

try:  # typer vendors click as typer._click since 0.2x; older releases use click itself
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    # The same module under its older name; to mypy, a second definition of click_errors.
    from click import exceptions as click_errors  # type: ignore[no-redef]

if TYPE_CHECKING:
    from loaders.geocode import GeocodeResult

app = typer.Typer(
    name="borderatlas",
    help="Vietnam's land borders with Laos and Cambodia: provinces, crossings, cooperation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class State:
    """Options shared by every command (set by the top-level callback)."""

    source: DataSource = DataSource()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"borderatlas {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar=DATA_DIR_ENV,
            help="A folder laid out like geodata/ whose files replace the embedded ones.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    try:
        State.source = DataSource.from_env(data_dir)
    except NotADirectoryError as error:
        raise typer.BadParameter(str(error), param_hint="--data-dir") from error


# --- helpers shared by the commands ---------------------------------------------------------

DateOption = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Units as they were on this date (YYYY-MM-DD; default: today).",
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
FromOption = Annotated[
    str | None, typer.Option("--from", help="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")
]


class BorderChoice(str, Enum):
    VN_LA = "VN-LA"
    VN_KH = "VN-KH"


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def _print_table(rows: list[dict[str, Any]], columns: list[str], header: bool = True) -> None:
    """A plain aligned table (no colours: it is often piped; record text cannot emit any)."""
    from mapapp.escaping import terminal_text as shown

    cells = [[("" if row.get(c) is None else shown(row.get(c))) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    if header:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _fail_on_data_error(error: BorderAtlasError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(1)


# --- commands ---------------------------------------------------------------------------------


@app.command()
def provinces(
    as_of: DateOption = None,
    border: Annotated[
        BorderChoice | None,
        typer.Option("--border", help="Only units running along this border."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the provinces (admin-1 units) of Vietnam, Laos and Cambodia on a date."""
    from loaders import boundaries

    source = State.source
    try:
        if border:
            units = boundaries.border_units(border.value, _day(as_of), source)
        else:
            units = boundaries.load_units(_day(as_of), source)
        rows = []
        for unit_id, geometry in zip(units["id"], units.geometry, strict=True):
            record = boundaries.get_unit(unit_id, source).model_dump(mode="json")
            record["area_km2"] = round(boundaries.geodesic_area_km2(geometry))
            record["current"] = boundaries.current_units_of(unit_id, source)
            if border:
                record["shared_km"] = round(float(units.loc[unit_id, "shared_km"]), 1)
            rows.append(record)
    except BorderAtlasError as error:
        raise _fail_on_data_error(error) from error
    if as_json:
        _print_json(rows)
        return
    columns = ["id", "name", "name_vi", "country", "kind", "iso_3166_2", "area_km2"]
    _print_table(rows, [*columns, "shared_km"] if border else columns)
    if border:
        _print_border_lengths([border.value])
    typer.echo(f"{len(rows)} units")


def _print_border_lengths(borders: list[str]) -> None:
    """One line per border: its length, how it was measured, the official figure, and why the
    two differ when they differ by more than the data allows."""
    from loaders import boundaries

    for border in borders:
        try:
            length = boundaries.border_length(border, State.source)
        except BorderAtlasError as error:
            raise _fail_on_data_error(error) from error
        line = f"{border} line: {length.km:,.0f} km ({boundaries.LENGTH_METHOD})"
        if length.official_km is not None:
            line += f"; official {length.official_km:,.0f} km"
        if length.approximate:
            line += f"; approximate: {length.approximate}"
        typer.echo(line)


@app.command()
def validate(as_json: JsonFlag = False) -> None:
    """Check every data file and report every problem; exit 1 if there is any."""
    from loaders.checks import validate as run_checks

    problems = run_checks(State.source)
    if as_json:
        _print_json([p.to_dict() for p in problems])
    else:
        for problem in problems:
            typer.echo(str(problem))
        typer.echo(f"{len(problems)} problem(s)" if problems else "all data checks passed")
    if problems:
        raise typer.Exit(1)


def _period_bound(text: str | None, option: str, *, last: bool = False) -> date | None:
    """``--from``/``--to`` (YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD) as the first or last day of
    that period; a malformed date is bad usage (exit 2)."""
    from loaders.events import parse_partial_date

    if text is None:
        return None
    try:
        period = parse_partial_date(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=option) from error
    return period.end if last else period.start


def _warn_left_out(problems: list[Any]) -> None:
    if problems:
        typer.echo(
            f"warning: {len(problems)} problem(s) in the record files; unreadable records are "
            "left out (run `borderatlas validate`)",
            err=True,
        )


@app.command()
def events(
    province: Annotated[
        str | None,
        typer.Option("--province", help="A unit id; includes the units it was made from."),
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    kind: Annotated[EventKind | None, typer.Option("--kind", help="Only this kind.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List cooperation events, newest first; --province follows that unit's lineage."""
    from loaders.events import Event
    from loaders.history import UnknownUnitError, unit_history
    from loaders.index import RecordIndex

    first, last = _period_bound(start, "--from"), _period_bound(end, "--to", last=True)
    kinds = None if kind is None else [kind]
    index = RecordIndex(State.source)
    _sync_with_progress(index)
    _warn_left_out(index.problems())
    via: dict[str, str] = {}
    if province is None:
        found = index.events(start=first, end=last, kinds=kinds)
    else:
        try:
            history = unit_history(
                province,
                State.source,
                start=first,
                end=last,
                kinds=kinds,
                include_agreements=False,
                index=index,
            )
        except UnknownUnitError as error:
            typer.echo(f"error: {error.args[0]}", err=True)
            raise typer.Exit(1) from error
        found = [entry.record for entry in history if isinstance(entry.record, Event)]
        via = {entry.record.id: entry.via for entry in history if entry.via != province}
    if as_json:
        _print_json([event.model_dump(mode="json") for event in found])
        return
    rows = [
        {
            "date": event.date,
            "kind": event.kind.value,
            "id": event.id,
            "provinces": ", ".join(u for side in event.provinces.values() for u in side),
            "via": via.get(event.id),
            "title": event.title.en,
        }
        for event in found
    ]
    columns = ["date", "kind", "id", "provinces", "title"]
    _print_table(rows, [*columns[:4], "via", "title"] if via else columns)
    typer.echo(f"{len(rows)} events")


SEARCH_KINDS = [kind.value for kind in EventKind] + ["agreement"]


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find; accents and case optional.")],
    start: FromOption = None,
    end: ToOption = None,
    province: Annotated[
        str | None,
        typer.Option("--province", help="A unit id or name; includes the units it was made from."),
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"Only this kind: {', '.join(SEARCH_KINDS)}.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most N results.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Full-text search over events and agreements (titles, summaries, people, notes, places),
    in Vietnamese and English, best match first, with the matched words in context."""
    from loaders.events import Event
    from loaders.history import UnknownPlaceError, units_for
    from loaders.index import RecordIndex

    if kind is not None and kind not in SEARCH_KINDS:
        raise typer.BadParameter(
            f"{kind!r} is not one of {', '.join(SEARCH_KINDS)}", param_hint="--kind"
        )
    first, last = _period_bound(start, "--from"), _period_bound(end, "--to", last=True)
    index = RecordIndex(State.source)
    try:
        units = None if province is None else units_for(province, State.source)
    except UnknownPlaceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    _sync_with_progress(index)
    _warn_left_out(index.problems())
    kinds = None if kind is None else [kind]
    hits = index.search(text, units=units, start=first, end=last, kinds=kinds, limit=limit)
    if as_json:
        _print_json([_hit_json(hit) for hit in hits])
        return
    for hit in hits:
        when = hit.date or "undated"
        kind_label = hit.record.kind.value if isinstance(hit.record, Event) else hit.kind
        typer.echo(f"{when}  {kind_label}  {hit.id}")
        typer.echo(f"    {hit.record.title.en}")
        typer.echo(f"    {hit.snippet_text()}")
    typer.echo(f"{len(hits)} result(s)" + (f" (the best {limit})" if len(hits) == limit else ""))


def _sync_with_progress(index: Any) -> None:
    """Bring the index up to date, with a progress bar on stderr when many files are read."""
    from loaders.index import PROGRESS_FROM

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= PROGRESS_FROM:
            bar = typer.progressbar(length=total, label="indexing records", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(1)

    try:
        index.sync(progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _hit_json(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.id,
        "kind": hit.kind,
        "date": str(hit.date) if hit.date else None,
        "title": hit.record.title.model_dump(),
        "snippet": hit.snippet_text(),
        "matched": [word for word, matched in hit.snippet if matched],
        "score": round(hit.score, 4),
    }


@app.command()
def agreements(as_json: JsonFlag = False) -> None:
    """List treaties, agreements, memoranda, minutes and plans, by id."""
    from loaders.events import read_agreements

    found, problems = read_agreements(State.source)
    _warn_left_out(problems)
    found = sorted(found, key=lambda agreement: agreement.id)
    if as_json:
        _print_json([agreement.model_dump(mode="json") for agreement in found])
        return
    rows = [
        {
            "id": agreement.id,
            "type": agreement.type.value,
            "signed": agreement.signed or "undated",
            "status": agreement.status.value,
            "parties": ", ".join(agreement.parties.provinces or agreement.parties.countries),
            "title": agreement.title.en,
        }
        for agreement in found
    ]
    _print_table(rows, ["id", "type", "signed", "status", "parties", "title"])
    typer.echo(f"{len(rows)} agreements")


@app.command()
def coverage(as_json: JsonFlag = False) -> None:
    """How complete the history is: per border unit, year, series and source language."""
    from loaders.coverage import MIN_EVENTS_PER_UNIT, MIN_YEARS_PER_UNIT
    from loaders.coverage import coverage as measure

    report = measure(State.source)
    if as_json:
        _print_json(report.to_dict())
        return
    typer.echo(
        f"{report.events} events ({report.national_events} name no province), "
        f"{report.agreements} agreements\n"
    )
    for heading, group in (
        ("Border units of 2024", report.units_2024),
        ("Their units today", report.units_today),
    ):
        typer.echo(
            f"{heading} (minimum {MIN_EVENTS_PER_UNIT} events over {MIN_YEARS_PER_UNIT} years):"
        )
        rows = [
            {
                **asdict(u),
                "years": f"{len(u.years)} ({_span(u.years)})",
                "ok": "yes" if u.sufficient else "NO",
            }
            for u in group
        ]
        _print_table(rows, ["unit", "name", "country", "events", "agreements", "years", "ok"])
        typer.echo("")
    typer.echo("Series:")
    rows = [
        {
            **asdict(s),
            "ordinals": _ranges(s.ordinals),
            "missing": _ranges(s.missing),
            "years": _span(s.years),
        }
        for s in report.series
    ]
    _print_table(rows, ["series", "sessions", "ordinals", "missing", "years"])
    typer.echo("\nPer year:")
    _print_table(
        [{"year": y, **n} for y, n in report.years.items()], ["year", "events", "agreements"]
    )
    typer.echo("\nSources per language:")
    _print_table(
        [{"language": k, "sources": n} for k, n in report.languages.items()],
        ["language", "sources"],
    )


def _span(years: tuple[int, ...]) -> str:
    return f"{years[0]}–{years[-1]}" if years else ""


def _ranges(numbers: tuple[int, ...]) -> str:
    """``(1, 2, 3, 7, 9, 10)`` -> ``"1–3, 7, 9–10"``."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@app.command()
def crossings(
    border: Annotated[
        BorderChoice | None,
        typer.Option("--border", help="Only crossings on this border."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the border crossings (JSON: a GeoJSON FeatureCollection of points)."""
    from loaders.crossings import feature_collection, read_crossings

    try:
        found, errors = read_crossings(State.source)
    except BorderAtlasError as error:
        raise _fail_on_data_error(error) from error
    _warn_left_out(errors)
    found = [c for c in found if border is None or c.border == border.value]
    if as_json:
        _print_json(feature_collection(found))
        return
    rows = [
        {
            "id": c.id,
            "border": c.border,
            "class": c.crossing_class,
            "status": c.status,
            "province": c.province_today,
            "faces": c.foreign_province,
            "lon": f"{c.lon:.4f}",
            "lat": f"{c.lat:.4f}",
            "confidence": c.confidence,
        }
        for c in found
    ]
    columns = ["id", "border", "class", "status", "province", "faces", "lon", "lat", "confidence"]
    _print_table(rows, columns)
    _print_border_lengths([border.value] if border else [b.value for b in BorderChoice])
    typer.echo(f"{len(rows)} crossings")


def _period(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    return _period_bound(start, "--from"), _period_bound(end, "--to", last=True)


@app.command()
def export(
    out: Annotated[str, typer.Argument(help="The HTML file to write.")],
    countries: Annotated[
        str, typer.Option("--countries", help="Countries to show, e.g. VN,LA,KH.")
    ] = "VN,LA,KH",
    start: Annotated[
        str | None, typer.Option("--from", help="Period start (YYYY[-MM[-DD]]).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Period end (YYYY[-MM[-DD]]).")] = None,
    as_of: DateOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Interface language: vi or en.")] = "en",
    self_contained: Annotated[
        bool,
        typer.Option("--self-contained", help="Inline every script and style into one file."),
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace OUT if it exists.")
    ] = False,
) -> None:
    """Write the map (the same one the app shows for this selection) as HTML."""
    from loaders.atlas import Selection, load_atlas
    from mapapp.build import MapOptions
    from mapapp.export import export_map
    from mapapp.i18n import LANGS

    if lang not in LANGS:  # narrows str to Lang
        raise typer.BadParameter("expected vi or en", param_hint="--lang")
    if out.endswith(("/", os.sep)) or Path(out).is_dir():
        raise typer.BadParameter(
            f"{out} is a directory: give the HTML file to write", param_hint="OUT"
        )
    if not Path(out).parent.is_dir():  # a typo in the path, not a folder to create silently
        raise typer.BadParameter(
            f"folder {Path(out).parent} does not exist: create it first", param_hint="OUT"
        )
    codes = tuple(c.strip().upper() for c in countries.split(",") if c.strip())
    if not codes:
        raise typer.BadParameter(
            "name at least one country: VN, LA or KH", param_hint="--countries"
        )
    first, last = _period(start, end)
    try:
        selection = Selection(countries=codes, start=first, end=last, as_of=_day(as_of))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    try:
        written = export_map(
            Path(out),
            selection,
            MapOptions(lang=lang),
            self_contained=self_contained,
            overwrite=overwrite,
            data=load_atlas(State.source),
        )
    except FileExistsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    except OSError as error:  # a read-only mount, a full disk: one line, nothing half-written
        typer.echo(f"error: {out}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from error
    except BorderAtlasError as error:
        raise _fail_on_data_error(error) from error
    size = written[0].stat().st_size
    extra = (
        f" and {len(written) - 1} asset files in {written[1].parent}" if len(written) > 1 else ""
    )
    typer.echo(f"wrote {written[0]} ({size / 1e6:.2f} MB){extra}")


# --- optional boundary sources (loaders/download.py, loaders/boundary_import.py) -------------


class RemoteSourceChoice(str, Enum):
    GEOBOUNDARIES = "geoboundaries"
    GADM = "gadm"


class ImportFormat(str, Enum):
    GEOBOUNDARIES = "geoboundaries"
    GADM = "gadm"
    GENERIC = "generic"


# Not DateOption: an imported file shows the units of its own date, not today's.
SourceDateOption = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="The date the file's units are of (YYYY-MM-DD; default 2024-12-31, before the "
        "2025 changes that GADM 4.1 and geoBoundaries predate).",
    ),
]
FIELD_KEYS = {
    "id": "unit_id",
    "iso": "iso",
    "name": "names",
    "alt-name": "alt_names",
    "country": "country",
    "feature-id": "feature_id",
}


def _field_map(pairs: list[str]) -> Any:
    """``--field KEY=FIELD`` options as a ``FieldMap`` (names may repeat); bad ones exit 2."""
    from loaders.boundary_import import FieldMap

    values: dict[str, Any] = {"names": (), "alt_names": ()}
    for pair in pairs:
        key, _, column = pair.partition("=")
        if key.strip() not in FIELD_KEYS or not column.strip():
            keys = ", ".join(FIELD_KEYS)
            raise typer.BadParameter(
                f"{pair!r}: expected KEY=FIELD, KEY one of {keys}", param_hint="--field"
            )
        attr = FIELD_KEYS[key.strip()]
        if attr in ("names", "alt_names"):
            values[attr] = (*values[attr], column.strip())
        else:
            values[attr] = column.strip()
    return FieldMap(**values)


@app.command("boundaries-download")
def boundaries_download(
    source_name: Annotated[
        RemoteSourceChoice, typer.Argument(metavar="SOURCE", help="geoboundaries or gadm.")
    ],
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="VN, LA or KH (repeat or comma-separate; default: all)."),
    ] = None,
    accept_licence: Annotated[
        bool, typer.Option("--accept-licence", help="Accept the source's licence (GADM needs it).")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option("--cache-dir", help="Where files are kept (default ~/.cache/borderatlas)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Download official admin-1 boundaries (opt-in; the only command that uses the network)."""
    import functools

    from loaders.download import DownloadError, LicenceNotAccepted, download_source

    codes = [c.strip() for item in country or ["VN,LA,KH"] for c in item.split(",") if c.strip()]
    echo = functools.partial(typer.echo, err=as_json)  # with --json, stdout holds only JSON
    try:
        found = download_source(
            source_name.value, codes, cache_dir, accept_licence=accept_licence, echo=echo
        )
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--country") from error
    except LicenceNotAccepted as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    except (DownloadError, DataError) as error:  # DataError: a damaged checksums.json
        raise _fail_on_data_error(error) from error
    if as_json:
        _print_json([{**vars(d), "path": str(d.path)} for d in found])
        return
    files = " ".join(str(d.path) for d in found)
    typer.echo(
        f"next: borderatlas boundaries-import {files} --format {source_name.value} --out DIR"
    )


@app.command("boundaries-import")
def boundaries_import(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", exists=True, help="Files any OGR driver can read."),
    ],
    fmt: Annotated[ImportFormat, typer.Option("--format", help="The files' attribute layout.")],
    out: Annotated[
        Path, typer.Option("--out", help="Data directory to write (use it as --data-dir).")
    ],
    as_of: SourceDateOption = None,
    fields: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            help="generic format: KEY=FIELD, KEY one of id, iso, name, alt-name, country, "
            "feature-id (repeatable).",
        ),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Every feature lies in VN, LA or KH.")
    ] = None,
    layer: Annotated[
        str | None, typer.Option("--layer", help="Layer of a multi-layer file.")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing admin1.geojson in OUT.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Map a boundary file's features onto our units and write a data directory from them.

    Exit 1 when a feature matched no unit (or two features one unit); matched ones are written.
    """
    from loaders.boundary_import import ImportUsageError, import_files, write_data_dir

    generic = _field_map(fields or []) if fmt is ImportFormat.GENERIC else None
    if fields and generic is None:
        raise typer.BadParameter("only for --format generic", param_hint="--field")
    if out.exists() and not out.is_dir():
        message = f"{out} is a file: give the data directory to write"
        raise typer.BadParameter(message, param_hint="--out")
    try:
        result = import_files(
            files,
            fmt.value,
            fields=generic,
            as_of=_day(as_of),
            country=country,
            layer=layer,
            source=State.source,
        )
    except ImportUsageError as error:  # a --layer or field the file lacks
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    except BorderAtlasError as error:
        raise _fail_on_data_error(error) from error
    try:
        written = write_data_dir(result, out, overwrite=overwrite)
    except FileExistsError as error:
        typer.echo(f"error: {error} (pass --overwrite to replace it)", err=True)
        raise typer.Exit(1) from error
    except OSError as error:  # a read-only folder, a full disk: nothing was written
        typer.echo(f"error: {error.filename or out}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from error
    if as_json:
        _print_json(result.to_dict() | {"written": str(written.path), "filled": written.filled})
    else:
        _print_import(result, written)
    if not result.ok:
        raise typer.Exit(1)


def _print_import(result: Any, written: Any) -> None:
    rows = [
        {"feature": m.feature.label(), "iso": m.feature.iso, "unit": m.unit_id, "method": m.method}
        for m in result.matched
    ]
    _print_table(rows, ["feature", "iso", "unit", "method"])
    for item in result.unmatched:
        typer.echo(f"UNMATCHED {item.feature.label()}: {item.reason}")
    for dup in result.duplicates:
        labels = ", ".join(m.feature.label() for m in dup.features)
        typer.echo(f"DUPLICATE {dup.unit_id}: {labels} (none used)")
    for match in result.derived:
        typer.echo(
            f"not used: {match.feature.label()} is {match.unit_id}, which the loader dissolves "
            "from its parts"
        )
    if written.filled:
        typer.echo(f"{len(written.filled)} unit(s) had no feature; copied from the data in use")
    typer.echo(
        f"wrote {written.path}: {len(written.imported)} imported unit(s); "
        f"{len(result.unmatched)} unmatched, {len(result.duplicates)} duplicate(s)"
    )


@app.command("app")
def run_app(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to serve the app on.")
    ] = 8501,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. The default serves this machine only; the app has no "
            "login, so expose it (0.0.0.0) only behind a proxy that authenticates.",
        ),
    ] = DEFAULT_HOST,
    headless: Annotated[
        bool,
        typer.Option(
            "--headless",
            help="Do not open a browser window (none opens where "
            "there is no display: a server, a container).",
        ),
    ] = False,
) -> None:
    """Run the Streamlit app on the embedded data (or --data-dir)."""
    command = launch(port, private_run_dir(), host)
    env = dict(os.environ)
    if State.source.user_dir is not None:
        env[DATA_DIR_ENV] = str(State.source.user_dir)
    shown = "localhost" if host == DEFAULT_HOST else host
    url = f"http://{shown}:{port}"
    typer.echo(f"borderatlas app on {url} (Ctrl+C to stop)")
    if not headless and has_display():
        open_browser_when_ready(
            "127.0.0.1" if host in (DEFAULT_HOST, "0.0.0.0") else host, port, url
        )
    # Become the server (no child process): stopping `borderatlas app` stops Streamlit too.
    os.execve(command[0], command, env)


class CountryChoice(str, Enum):
    VN = "VN"
    LA = "LA"
    KH = "KH"


MAX_NAME_LINE = 1_000  # bytes: no place name is near this; a longer line is not a list of names
TABLE_BATCH = 1_000  # rows aligned together when a long table is printed as it is resolved


def _names_from_file(path: Path) -> Iterator[str]:
    """One name per line of a UTF-8 file (blank lines skipped), read as it is resolved.

    Bad input is bad usage, reported with its line: not UTF-8, or a line too long to be a name
    (a binary file, ``/dev/zero``), which is refused before it is held in memory.
    """
    try:
        stream = path.open("rb")
    except OSError as error:
        raise typer.BadParameter(f"{path}: {error.strerror}", param_hint="--file") from error
    with stream:
        for number, raw in enumerate(iter(lambda: stream.readline(MAX_NAME_LINE + 1), b""), 1):
            if len(raw) > MAX_NAME_LINE and not raw.endswith(b"\n"):
                message = (
                    f"{path}:{number}: line longer than {MAX_NAME_LINE:,} bytes; one name per line"
                )
                raise typer.BadParameter(message, param_hint="--file")
            try:
                name = raw.decode("utf-8").strip()
            except UnicodeDecodeError as error:
                message = f"{path}:{number}: not UTF-8 text; save the file as UTF-8"
                raise typer.BadParameter(message, param_hint="--file") from error
            if name:
                yield name


@app.command()
def geocode(
    names: Annotated[
        list[str] | None,
        typer.Argument(metavar="NAME", help="Place names (provinces, towns) to resolve."),
    ] = None,
    as_of: DateOption = None,
    country: Annotated[
        CountryChoice | None,
        typer.Option("--country", case_sensitive=False, help="Only units of this country."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Also read names from F, one per line (UTF-8).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Resolve place names to the unit they meant on a date; exit 1 if any is unmatched.

    Names from --file are read, resolved and printed in batches, so a file of millions of names
    starts printing at once and runs in bounded memory.
    """
    from loaders.geocode import geocode_stream

    if not names and not file:
        raise typer.BadParameter("give at least one NAME or --file F", param_hint="NAME")
    queries = chain(names or [], _names_from_file(file) if file else [])
    code = country.value if country else None
    try:
        results = geocode_stream(queries, _day(as_of), code, State.source)
        unmatched = _print_json_stream(results) if as_json else _print_geocode_table(results)
    except BorderAtlasError as error:
        raise _fail_on_data_error(error) from error
    if unmatched:
        raise typer.Exit(1)


def _print_json_stream(results: Iterable[GeocodeResult]) -> int:
    """A JSON array written one object at a time; returns how many were unmatched."""
    unmatched, separator = 0, "[\n"
    for result in results:
        item = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2)
        typer.echo(separator + textwrap.indent(item, "  "), nl=False)
        separator, unmatched = ",\n", unmatched + (result.status == "unmatched")
    typer.echo("[]" if separator == "[\n" else "\n]")
    return unmatched


def _print_geocode_table(results: Iterable[GeocodeResult]) -> int:
    """The results as a table, aligned in batches; returns how many were unmatched."""
    columns = ["query", "status", "id", "name_vi", "place", "current", "score", "note"]
    unmatched, header = 0, True
    results = iter(results)
    while batch := list(islice(results, TABLE_BATCH)):
        rows = [
            result.model_dump()
            | {
                "current": ", ".join(result.current),
                "place": result.place.name if result.place else None,
            }
            for result in batch
        ]
        _print_table(rows, columns, header=header)
        header, unmatched = False, unmatched + sum(r.status == "unmatched" for r in batch)
    return unmatched


@app.command()
def ingest(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="News articles as UTF-8 text files.")
    ],
    published: Annotated[
        datetime | None,
        typer.Option(
            "--published",
            formats=["%Y-%m-%d"],
            help="Publication date (YYYY-MM-DD): decides years the text leaves out.",
        ),
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="Write the draft as a new record in --data-dir.")
    ] = False,
    add_source: Annotated[
        bool,
        typer.Option(
            "--add-source",
            help="With --append: if the event is already recorded, "
            "add this article to its sources.",
        ),
    ] = False,
    url: Annotated[str | None, typer.Option("--url", help="The article's URL.")] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Who published the article.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Draft an event record from news articles (rules and gazetteer; nothing leaves the machine).

    Prints the draft with the evidence of every field.

    Exit 1 when a file cannot be read, no record can be drafted, or --append finds it recorded.
    """
    from loaders.ingest import Origin, ingest_file
    from loaders.ingest.append import append_draft

    if add_source and not append:
        raise typer.BadParameter("only with --append", param_hint="--add-source")
    if (url or publisher) and len(files) > 1:
        raise typer.BadParameter("give one FILE with --url/--publisher", param_hint="--url")
    if append and State.source.user_dir is None:
        typer.echo(
            "error: the embedded data is read-only; --append writes to a data directory: pass "
            "--data-dir DIR (or set BORDERATLAS_DATA_DIR)",
            err=True,
        )
        raise typer.Exit(2)
    results, failed = [], False
    for path in files:
        result: dict[str, Any] = {"file": str(path)}
        try:
            draft = ingest_file(
                path,
                _day(published),
                origin=Origin(url=url, publisher=publisher),
                source=State.source,
            )
        except BorderAtlasError as error:  # unreadable article, or broken data files
            typer.echo(f"error: {error}", err=True)
            results.append(result | {"error": str(error)})
            failed = True
            continue
        result["draft"] = draft.model_dump(mode="json")
        if draft.record is None:
            failed = True
        elif append:
            try:
                outcome = append_draft(draft.record, State.source, add_source=add_source)
            except BorderAtlasError as error:
                result["append"] = {"action": "failed", "messages": [f"error: {error}"]}
                failed = True
            else:
                result["append"] = {
                    "action": outcome.action,
                    "path": str(outcome.path) if outcome.path else None,
                    "event_id": outcome.event_id,
                    "messages": outcome.messages,
                }
                failed |= outcome.action == "refused"
        if not as_json:
            _print_draft(result, draft)
        results.append(result)
    if as_json:
        _print_json(results)
    if failed:
        raise typer.Exit(1)


def _print_draft(result: dict[str, Any], draft: Any) -> None:
    """The draft as a reader checks it: the record, then each field's evidence and confidence,
    then what the article only mentions, then problems and what --append did."""
    from loaders.ingest.append import to_yaml

    published = draft.published or "not given"
    typer.echo(f"== {result['file']} (language {draft.language}, published {published})")
    if draft.record is not None:
        typer.echo("draft record (generated by rule: review every field before use):")
        typer.echo(to_yaml(draft.record).rstrip())
    rows = [
        {
            "field": f.field,
            "confidence": f.confidence,
            "value": _short(f.value),
            "evidence": " | ".join(f"[{e.start}:{e.end}] {e.text!r}" for e in f.evidence),
        }
        for f in draft.findings
    ]
    typer.echo("evidence:")
    _print_table(rows, ["field", "confidence", "value", "evidence"])
    if draft.mentions:
        typer.echo("mentioned in the article, not the event's own:")
        mentions = [
            {"what": m.what, "role": m.role, "value": _short(m.value), "at": m.evidence[0].start}
            for m in draft.mentions
        ]
        _print_table(mentions, ["what", "role", "value", "at"])
    for warning in draft.warnings:
        typer.echo(f"warning: {warning}")
    for problem in draft.problems:
        typer.echo(f"error: no record drafted: {problem}", err=True)
    for message in result.get("append", {}).get("messages", []):
        typer.echo(message, err=message.startswith("error:"))
    if result.get("append", {}).get("path"):
        typer.echo(f"{result['append']['action']}: {result['append']['path']}")


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _sizes(text: str | None) -> tuple[int, ...] | None:
    """``--sizes 1000,10000`` as event counts; anything else is bad usage."""
    if text is None:
        return None
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise typer.BadParameter(f"expected counts like 1000,10000 (value: {text!r})")
    return sizes


@app.command()
def bench(
    as_json: JsonFlag = False,
    quick: Annotated[
        bool,
        typer.Option("--quick", help="A smaller run: 10k names, up to 10k events, no browser."),
    ] = False,
    seeds: Annotated[
        Path,
        typer.Option("--seeds", help="Folder of articles (*.txt) to time ingestion on."),
    ] = Path("seeds"),
    markdown: Annotated[
        Path | None,
        typer.Option("--markdown", help="Also write the table and the machine as Markdown."),
    ] = None,
    names: Annotated[int | None, typer.Option("--names", hidden=True, min=2)] = None,
    sizes: Annotated[str | None, typer.Option("--sizes", hidden=True)] = None,
) -> None:
    """Measure geocoding, loading, export, ingestion, the app and scale; print each figure next
    to its baseline and target (targets are reported, not enforced). Exit 1 if a step failed."""
    from dataclasses import replace

    # The bench ships beside the product (the top-level `bench` package), imported only here.
    from bench.config import FULL, QUICK
    from bench.report import COLUMNS, describe_machine, markdown_report, table_rows
    from bench.runner import check_tools, run_suite
    from loaders._io import write_atomic

    config = replace(QUICK if quick else FULL, seeds=seeds, data_dir=State.source.user_dir)
    if names is not None:
        config = replace(config, names=names, baseline_sample=min(names, config.baseline_sample))
    config = replace(config, sizes=_sizes(sizes) or config.sizes)
    check_tools(config)
    report = run_suite(config, progress=lambda message: typer.echo(message, err=True))
    if as_json:
        _print_json(report.to_dict())
    else:
        _print_table(table_rows(report.results), COLUMNS)
        typer.echo(f"machine: {describe_machine(report.machine)}")
    if markdown is not None:
        command = "borderatlas bench" + (" --quick" if quick else "")
        command += f" --seeds {seeds}" if seeds != Path("seeds") else ""
        write_atomic(markdown, markdown_report(report, command), overwrite=True)
    if report.failed:
        typer.echo(f"error: step(s) failed: {', '.join(report.failed)}", err=True)
        raise typer.Exit(1)


_PYTHON_SHOWWARNING = warnings.showwarning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """A data warning (a repaired file) is one line on stderr; others as Python shows them."""
    if issubclass(category, DataWarning):
        typer.echo(f"warning: {message}", err=True)
    else:
        _PYTHON_SHOWWARNING(message, category, filename, lineno, file, line)


def _usage_line(error: click_errors.UsageError) -> str:
    """Click's usage error (a box or three lines) as one line naming the command's help."""
    message = " ".join(error.format_message().split())
    command = error.ctx.command_path if error.ctx is not None else "borderatlas"
    return f"{message} (see '{command} --help')"


def main() -> None:
    """Entry point of the console script: whatever is wrong ends in ONE line on stderr, never a
    traceback. A data file too broken to use names the file (and line and field when known),
    exit 1; bad usage names the option, exit 2; a data file repaired on load is a warning line."""
    warnings.showwarning = _show_warning
    try:
        code = app(prog_name="borderatlas", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as error:  # plain `borderatlas`: the help
        error.show()
        raise SystemExit(error.exit_code) from None
    except click_errors.UsageError as error:
        typer.echo(f"error: {_usage_line(error)}", err=True)
        raise SystemExit(2) from None
    except click_errors.ClickException as error:
        typer.echo(f"error: {' '.join(error.format_message().split())}", err=True)
        raise SystemExit(error.exit_code) from None
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        raise SystemExit(1) from None
    except BorderAtlasError as error:
        typer.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
