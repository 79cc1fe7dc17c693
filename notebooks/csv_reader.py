"""The CSV chapter's recommended reader (notebooks/03_csv_files.ipynb shows this
code): check a CSV file against a declared schema once, in one pass with Python's
``csv`` module, and stream the rows that pass into training with the chapter's fast
reader, *batch, then decode*.

Why two parsers. ``tf.io.decode_csv`` understands CSV quoting, but it fails a whole
batch at the first bad row and names a record within that batch, not a line of the
file; ``TextLineDataset`` splits a quoted field that holds a line break; and neither
says anything about encodings. Python's ``csv`` module reads RFC 4180 files record
by record, knows the line each record starts on, and leaves every decision to the
caller. So the check runs once per file, in Python, and writes the rows that pass,
with only the columns the model uses, to a clean copy in a scratch folder; the
training pipeline reads that copy every epoch with ``decode_csv``. Every value in
the copy has been checked, so nothing can fail later, during training, in a row
that the report called valid.
"""
from __future__ import annotations

import codecs
import csv
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tensorflow as tf

REQUIRED = object()          # Column.missing: a missing value rejects the row
# ASCII digits only: Python's \d and float() accept other scripts' digits ("١٢"),
# which decode_csv does not.
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", re.ASCII)
INTEGER = re.compile(r"[-+]?\d+", re.ASCII)
# the largest float32 plus half a step: above, it rounds to inf
FLOAT32_LIMIT = 3.4028235677973366e38
SHOWN_LINES = 5              # line numbers listed per reason in a report


class CSVError(ValueError):
    """A file that cannot be read at all; the message names the file, the line
    where it can, and the fix."""


@dataclass(frozen=True)
class Column:
    """One column of a file: its name, its type (float, int or str), the values a
    label may take (a set, or a range), and what a missing value becomes
    (``REQUIRED``: the row is rejected)."""

    name: str
    kind: type = str
    allowed: frozenset | range | None = None
    missing: object = REQUIRED


@dataclass(frozen=True)
class Schema:
    """What a file must look like: every column of its header, in order; the
    columns the pipeline delivers (``use``), of which one is the label; and the
    strings that mean "missing" (``na``)."""

    columns: tuple[Column, ...]
    use: tuple[str, ...]
    label: str
    na: tuple[str, ...] = ()

    def __post_init__(self):
        names = [c.name for c in self.columns]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"schema: columns named twice: {duplicates}")
        unknown = [name for name in self.use if name not in names]
        if unknown or self.label not in self.use:
            raise ValueError(f"schema: {unknown or self.label!r} "
                             "not among the columns used")
        for column in self.columns:
            if column.kind not in (float, int, str):
                raise ValueError(f"schema: column {column.name!r} "
                                 f"has type {column.kind!r}; "
                                 "use float, int or str")
            if column.missing is not REQUIRED:
                _check_replacement(column)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class Report:
    """What the check found in one file: records read and kept, the records
    skipped for each reason with their first line numbers, and notes on what was
    handled (a byte-order mark)."""

    path: str
    read: int = 0
    kept: int = 0
    # reason -> line numbers
    skipped: dict[str, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str, line: int) -> None:
        self.skipped.setdefault(reason, []).append(line)

    def counts(self) -> dict[str, int]:
        return {reason: len(lines) for reason, lines in self.skipped.items()}

    def __str__(self) -> str:
        name = os.path.basename(self.path)
        out = [f"{name}: {self.read} rows read, {self.kept} kept"]
        for reason, lines in sorted(self.skipped.items(),
                                    key=lambda item: -len(item[1])):
            more = ", …" if len(lines) > SHOWN_LINES else ""
            shown = ", ".join(map(str, lines[:SHOWN_LINES])) + more
            out.append(f"  skipped {len(lines)}: {reason} "
                       f"(line{'s' if len(lines) > 1 else ''} {shown})")
        out += [f"  note: {note}" for note in self.notes]
        return "\n".join(out)


def _decoded_lines(path: str, encoding: str, report: Report):
    """The file's lines as text, line endings kept (the csv module handles them);
    a byte that does not decode is an error naming the line."""
    with open(path, "rb") as raw:
        head = raw.read(4)
        raw.seek(0)
        for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"),
                          (codecs.BOM_UTF32_BE, "UTF-32"),
                          (codecs.BOM_UTF16_LE, "UTF-16"),
                          (codecs.BOM_UTF16_BE, "UTF-16")):
            declared = encoding.lower().replace("_", "-")
            if head.startswith(bom) and not declared.startswith(name.lower()):
                raise CSVError(f"{os.path.basename(path)}:1: the file "
                               f"is {name} (it starts with a {name} "
                               "byte-order mark); save it as UTF-8")
        for number, line in enumerate(raw, start=1):
            if number == 1 and encoding.lower().replace("_", "-") in ("utf-8", "utf8") \
                    and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
                report.notes.append("a UTF-8 byte-order mark opened "
                                    "the file (Excel and Notepad write "
                                    "one); it was skipped")
            try:
                yield line.decode(encoding)
            except UnicodeDecodeError as err:
                byte = line[err.start:err.start + 1].hex()
                raise CSVError(f"{os.path.basename(path)}:{number}: "
                               f"not {encoding} (byte 0x{byte} at "
                               f"column {err.start + 1}); the file "
                               "is probably Windows-1252 or Latin-1: "
                               "save it as UTF-8, or pass "
                               "encoding='cp1252' (or 'latin-1')") from None


def _check_replacement(column: Column) -> None:
    """A declared replacement for missing values passes the column's own checks
    (NaN is allowed for a float column: declaring it is an explicit choice)."""
    value = column.missing
    if column.kind is float and isinstance(value, float) and math.isnan(value):
        return
    kinds = {float: (int, float), int: (int,), str: (str,)}[column.kind]
    if not isinstance(value, kinds) or isinstance(value, bool):
        raise ValueError(f"schema: column {column.name!r}: missing={value!r} "
                         f"is not of type {column.kind.__name__}")
    _, reason = _value(Column(column.name, column.kind, column.allowed), str(value), ())
    if reason:
        raise ValueError(f"schema: column {column.name!r}: "
                         f"missing={value!r} fails the column's "
                         f"own check ({reason})")


def _value(column: Column, text: str, na: tuple[str, ...]):
    """(value, None) or (None, reason) for one field."""
    if text in na or (column.kind is not str and text == ""):
        if column.missing is REQUIRED:
            return None, f"missing {column.name}"
        return (repr(float(column.missing))
                if column.kind is float else column.missing), None
    if column.kind is float:
        if not NUMBER.fullmatch(text):
            return None, f"not a number in {column.name}"
        if not math.isfinite(float(text)):
            return None, f"not a finite number in {column.name}"
        if abs(float(text)) >= FLOAT32_LIMIT:
            return None, f"out of float32's range in {column.name}"
        value = text
    elif column.kind is int:
        if not INTEGER.fullmatch(text):
            kind = "a decimal number" if NUMBER.fullmatch(text) else "not a number"
            return None, f"{kind} in the integer column {column.name}"
        if len(text.lstrip("+-").lstrip("0")) > 10:
            return None, f"integer out of int32's range in {column.name}"
        value = int(text)
        if not -2**31 <= value < 2**31:
            return None, f"integer out of int32's range in {column.name}"
    else:
        if "\n" in text or "\r" in text:
            return None, f"line break inside {column.name}"
        value = text
    if column.allowed is not None:
        number = (int(value) if column.kind is int
                  else float(value) if column.kind is float else value)
        if number not in column.allowed:
            return None, f"{column.name} {text!r} not allowed"
    return value, None


def check_csv(path, schema: Schema, *, delimiter: str = ",", encoding: str = "utf-8",
              out_dir=None) -> tuple[str, Report]:
    """Check every record of ``path`` against ``schema``; write the records that
    pass, with the columns ``schema.use``, to a clean CSV in ``out_dir`` (a new
    scratch folder by default). Returns (path of the clean copy, report). Raises
    ``CSVError`` for a file that cannot be read at all: missing, empty, with a
    header other than the schema's, in another encoding, or with no valid row."""
    path = str(path)
    name = os.path.basename(path)
    if not os.path.isfile(path):
        raise CSVError(f"{name}: no such file")
    report = Report(path)
    by_name = {c.name: c for c in schema.columns}
    use = [schema.header.index(n) for n in schema.use]
    if out_dir is None:
        import bookutils
        out_dir = bookutils.scratch_dir("csv-checked")
    handle, clean = tempfile.mkstemp(prefix=f"{Path(name).stem}-",
                                     suffix=".checked.csv", dir=out_dir)
    with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(schema.use)
        records = csv.reader(_decoded_lines(path, encoding, report),
                             delimiter=delimiter, strict=True)
        previous_end = 0
        try:
            header = next(records, None)
            if header is None:
                expected = delimiter.join(schema.header)
                raise CSVError(f"{name}: the file is empty; expected the header line "
                               + (repr(expected) if len(expected) <= 60
                                  else repr(expected[:60]) + "…"))
            if header != schema.header:
                raise CSVError(_header_problem(name, header, schema.header, delimiter))
            previous_end = records.line_num
            for fields in records:
                line, previous_end = previous_end + 1, records.line_num
                report.read += 1
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    report.skip("blank line", line)
                    continue
                if len(fields) != len(schema.header):
                    report.skip(f"{len(fields)} "
                                f"field{'s' if len(fields) != 1 else ''}, "
                                f"expected {len(schema.header)}", line)
                    continue
                values, reason = [], None
                for index in use:
                    value, reason = _value(by_name[schema.header[index]], fields[index],
                                           schema.na)
                    if reason:
                        break
                    values.append(value)
                if reason:
                    report.skip(reason, line)
                    continue
                writer.writerow(values)
                report.kept += 1
        except csv.Error as err:
            raise CSVError(f"{name}:{previous_end + 1}: not valid "
                           f"CSV ({err}); {_csv_fix(str(err))}") from None
    if report.read == 0:
        raise CSVError(f"{name}: no rows after the header")
    if report.kept == 0:
        raise CSVError(f"{name}: no valid rows\n{report}")
    return clean, report


def _csv_fix(message: str) -> str:
    if "new-line character" in message:
        return ("a carriage return (\\r) inside an "
                "unquoted field, or \\r-only line endings: "
                "convert the line endings to \\n or \\r\\n")
    if "field larger than field limit" in message:
        return ("a field longer than csv.field_size_limit(); "
                "usually a quote that is not closed")
    return "look for a quote that is not closed on this line"


def _header_problem(name: str, found: list[str], expected: list[str],
                    delimiter: str) -> str:
    joined = delimiter.join(found)
    for other in ";\t|,":
        if other != delimiter and joined.count(other) >= len(expected) - 1:
            return (f"{name}:1: the header has {len(found)} field(s); the file looks "
                    f"{other!r}-delimited: pass delimiter={other!r}")
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    twice = sorted({c for c in found if found.count(c) > 1})
    if twice:
        return f"{name}:1: the header names columns twice: {twice}"
    if missing or extra:
        return (f"{name}:1: unexpected header: missing "
                f"columns {missing}, unknown columns {extra}")
    return f"{name}:1: the header has the expected columns in another order: {found}"


def read_csv_checked(path, schema: Schema, *, batch_size: int = 256,
                     delimiter: str = ",", encoding: str = "utf-8",
                     out_dir=None) -> tuple[tf.data.Dataset, Report]:
    """``check_csv``, then the chapter's *batch, then decode* reader over the clean
    copy: a dataset of ({column: batch}, label batch), and the report."""
    clean, report = check_csv(path, schema, delimiter=delimiter, encoding=encoding,
                              out_dir=out_dir)
    by_name = {c.name: c for c in schema.columns}
    dtypes = {float: tf.float32, int: tf.int32, str: tf.string}
    # Every field of the clean copy holds a checked value; a text value may be
    # empty, so text columns default to "" while number columns stay required.
    defaults = [tf.constant([""])
                if by_name[n].kind is str else tf.constant([], dtypes[by_name[n].kind])
                for n in schema.use]

    def decode(lines):
        columns = dict(zip(schema.use,
                           tf.io.decode_csv(lines, record_defaults=defaults)))
        label = columns.pop(schema.label)
        return columns, label

    dataset = (tf.data.TextLineDataset(clean).skip(1)
               .apply(tf.data.experimental.assert_cardinality(report.kept))
               .batch(batch_size)
               .map(decode, num_parallel_calls=tf.data.AUTOTUNE))
    return dataset, report
