"""`tenderwatch export-dataset`: the research dataset (one row per notice, Parquet or CSV) and its data dictionary."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import click

from models import config
from models.safe import csv_row
from storage import dataset
from storage.stats import Filters
from tenderwatch.commands import options

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(dataset.NAMES)
        for row in rows:
            cells = csv_row({name: row[name] for name in dataset.NAMES})  # no cell a spreadsheet would run
            writer.writerow([_csv_value(cells[name]) for name in dataset.NAMES])


def write_parquet(rows: list[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32(), "datetime": pa.timestamp("s")}
    convert = {"date": lambda v: date.fromisoformat(v), "datetime": lambda v: datetime.fromisoformat(v)}
    arrays = []
    for column in dataset.COLUMNS:
        to = convert.get(column.type, lambda v: v)
        arrays.append(pa.array([None if r[column.name] is None else to(r[column.name]) for r in rows],
                               types[column.type]))
    table = pa.Table.from_arrays(arrays, schema=pa.schema([(c.name, types[c.type]) for c in dataset.COLUMNS]))
    pq.write_table(table, path)


def dictionary_paths(out: Path) -> tuple[Path, Path]:
    """OUT.dictionary.json and OUT.dictionary.md (notices.parquet -> notices.parquet.dictionary.json)."""
    return out.with_name(out.name + ".dictionary.json"), out.with_name(out.name + ".dictionary.md")


@click.command("export-dataset")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]),
              help="Default: from OUT's extension (.parquet, .csv).")
@options.notice_filters
@options.scope_options(None)
@click.pass_obj
def export_dataset(app, out, fmt, since, until, region, source, country, notice_type, min_amount,
                   comparable) -> int:
    """Write the research dataset to OUT: one row per notice (dates, buyer, region, department, CPV, amount where
    known, considerations with origin, lever and confidence, classifier version), rows in a stable order, and its
    data dictionary beside it (OUT.dictionary.json and OUT.dictionary.md). Every country by default.

    One row per notice; procedure_key groups the notices of one procedure (group by it for one row per procedure).

    \b
    Examples:
      tenderwatch export-dataset notices.parquet
      tenderwatch export-dataset notices.csv --since 2019-01-01 --country FR
      tenderwatch export-dataset comparable.parquet --comparable
    """
    fmt = fmt or FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise click.UsageError(f"cannot tell the format of {out.name}: name it .parquet or .csv, or give --format")
    if not out.expanduser().resolve().parent.is_dir():
        raise click.BadParameter(f"no folder {out.parent} for {out}", param_hint="OUT")
    options.date_range(since, until)
    filters = Filters(since=since, until=until, region=region, source=source,
                      **options.scope_filters(country, notice_type, min_amount, comparable, None))
    threshold = config.detection_threshold()
    with app.store().session() as session:
        options.check_source(session, source)
        rows = list(dataset.rows(session, filters, threshold))
    (write_parquet if fmt == "parquet" else write_csv)(rows, out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    versions = sorted({r["classifier_version"] for r in rows if r["classifier_version"]})
    doc = dataset.dictionary(len(rows), filters, threshold, versions, out.name, digest)
    json_path, md_path = dictionary_paths(out)
    json_path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(dataset.dictionary_markdown(doc), encoding="utf-8")
    procedures = len({r["procedure_key"] for r in rows})
    click.echo(f"{len(rows)} notices of {procedures} procedures written to {out} ({fmt}); one row per notice, "
               f"grouped by procedure_key")
    click.echo(f"data dictionary: {json_path} and {md_path}")
    return 0


COMMANDS = [export_dataset]
