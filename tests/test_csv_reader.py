"""notebooks/csv_reader.py, the CSV chapter's recommended reader, on every kind of
bad input the chapter's table lists, each in a small file made here: every case
ends in counted handling (a reason and the line numbers in the report) or an
error naming the file and the line; and every row the report keeps goes through
the training pipeline without an error, with the values of the file."""
import math

import numpy as np
import pytest

import csv_reader
from csv_reader import Column, CSVError, Schema

SCHEMA = Schema(
    columns=(Column("x", float), Column("y", float), Column("name", str, missing="(none)"),
             Column("label", int, allowed=frozenset({0, 1}))),
    use=("x", "y", "name", "label"), label="label", na=("NA",))
HEADER = "x,y,name,label\n"


def write(tmp_path, text, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def read(tmp_path, text, **kwargs):
    """(rows as Python tuples, report): the whole pipeline, iterated to the end."""
    dataset, report = csv_reader.read_csv_checked(write(tmp_path, text), SCHEMA, batch_size=2,
                                                  out_dir=tmp_path, **kwargs)
    rows = []
    for features, labels in dataset.as_numpy_iterator():
        for i in range(len(labels)):
            rows.append((float(features["x"][i]), float(features["y"][i]),
                         features["name"][i].decode(), int(labels[i])))
    assert len(rows) == report.kept
    return rows, report


def test_a_clean_file(tmp_path):
    rows, report = read(tmp_path, HEADER + "1.5,2,a,0\n-3e2,.5,b,1\n")
    assert rows == [(1.5, 2.0, "a", 0), (-300.0, 0.5, "b", 1)]
    assert (report.read, report.kept, report.skipped, report.notes) == (2, 2, {}, [])
    assert str(report) == "data.csv: 2 rows read, 2 kept"


def test_quoted_numbers_quoted_commas_and_doubled_quotes(tmp_path):
    rows, report = read(tmp_path, HEADER + '"1.5","2.0","Smith, Jo",1\n3,4,"say ""hi""",0\n')
    assert rows == [(1.5, 2.0, "Smith, Jo", 1), (3.0, 4.0, 'say "hi"', 0)]
    assert report.skipped == {}


def test_crlf_and_a_last_line_without_a_newline(tmp_path):
    rows, report = read(tmp_path, "x,y,name,label\r\n1,2,a,0\r\n3,4,b,1")
    assert rows == [(1.0, 2.0, "a", 0), (3.0, 4.0, "b", 1)] and report.skipped == {}


def test_labels_outside_the_classes_and_float_labels_are_counted_with_lines(tmp_path):
    rows, report = read(tmp_path, HEADER + "1,2,a,0\n1,2,b,2\n1,2,c,-1\n1,2,d,1.0\n1,2,e,yes\n1,2,f,1\n")
    assert [r[2] for r in rows] == ["a", "f"]
    assert report.skipped == {"label '2' not allowed": [3], "label '-1' not allowed": [4],
                              "a decimal number in the integer column label": [5],
                              "not a number in the integer column label": [6]}


def test_inf_nan_and_overflow_are_not_finite(tmp_path):
    rows, report = read(tmp_path, HEADER + "1,2,a,0\ninf,2,b,0\n1,nan,c,0\n1e999,2,d,0\n1e39,2,e,0\n1,2,f,1\n")
    assert [r[2] for r in rows] == ["a", "f"]
    # "inf" and "nan" are not numbers to the reader's pattern; 1e999 is one, but not
    # finite; 1e39 is finite in Python but would be inf as a float32.
    assert report.skipped == {"not a number in x": [3], "not a number in y": [4],
                              "not a finite number in x": [5], "out of float32's range in x": [6]}


def test_missing_values_required_or_replaced(tmp_path):
    rows, report = read(tmp_path, HEADER + "NA,2,a,0\n1,,b,0\n1,2,NA,1\n1,2,,0\n")
    assert rows == [(1.0, 2.0, "(none)", 1), (1.0, 2.0, "", 0)]
    assert report.skipped == {"missing x": [2], "missing y": [3]}


def test_blank_lines_and_wrong_field_counts(tmp_path):
    rows, report = read(tmp_path, HEADER + "1,2,a,0\n\n   \n1,2,b\n1,2,c,0,9\n1,2,d,1\n\n")
    assert [r[2] for r in rows] == ["a", "d"]
    assert report.skipped == {"blank line": [3, 4, 8], "3 fields, expected 4": [5],
                              "5 fields, expected 4": [6]}
    assert "skipped 3: blank line (lines 3, 4, 8)" in str(report)


def test_line_numbers_count_physical_lines_across_a_quoted_line_break(tmp_path):
    rows, report = read(tmp_path, HEADER + '1,2,"two\nlines",0\n1,2,b,7\n1,2,c,1\n')
    assert rows == [(1.0, 2.0, "c", 1)]
    # The first record spans lines 2-3 (its line break would split it for a line reader).
    assert report.skipped == {"line break inside name": [2], "label '7' not allowed": [4]}


def test_a_report_lists_the_first_five_lines_of_a_reason(tmp_path):
    rows, report = read(tmp_path, HEADER + "1,2,a,0\n" + "1,2,b,3\n" * 7)
    assert len(report.skipped["label '3' not allowed"]) == 7
    assert "skipped 7: label '3' not allowed (lines 3, 4, 5, 6, 7, …)" in str(report)


def test_a_utf8_byte_order_mark_is_skipped_and_noted(tmp_path):
    rows, report = read(tmp_path, b"\xef\xbb\xbf" + (HEADER + "1,2,a,0\n").encode())
    assert rows == [(1.0, 2.0, "a", 0)]
    assert report.notes and "byte-order mark" in report.notes[0]
    assert "note: a UTF-8 byte-order mark" in str(report)


def test_latin1_is_an_error_naming_file_line_and_fix_or_read_when_declared(tmp_path):
    text = HEADER + "1,2,ok,0\n1,2,Jos\u00e9,1\n"
    with pytest.raises(CSVError, match=r"^data\.csv:3: not utf-8 \(byte 0xe9 at column 8\).*"
                                       r"encoding='latin-1'"):
        read(tmp_path, text.encode("latin-1"))
    rows, _ = read(tmp_path, text.encode("latin-1"), encoding="latin-1")
    assert rows[1][2] == "Jos\u00e9"


def test_utf16_is_named(tmp_path):
    with pytest.raises(CSVError, match=r"data\.csv:1: the file is UTF-16.*save it as UTF-8"):
        read(tmp_path, (HEADER + "1,2,a,0\n").encode("utf-16"))


@pytest.mark.parametrize("text, message", [
    ("", r"^data\.csv: the file is empty; expected the header line 'x,y,name,label'$"),
    (HEADER, r"data\.csv: no rows after the header"),
    ("x;y;name;label\n1;2;a;0\n", r"data\.csv:1: .*looks ';'-delimited: pass delimiter=';'"),
    ("x,y,label\n1,2,0\n", r"data\.csv:1: unexpected header: missing columns \['name'\], unknown columns \[\]"),
    ("y,x,name,label\n1,2,a,0\n", r"data\.csv:1: the header has the expected columns in another order"),
    (HEADER + '1,2,"open,0\n1,2,b,1\n', r"data\.csv:2: not valid CSV from this line on"),
    (HEADER + "1,2,a,5\n\n", r"(?s)^data\.csv: no valid rows\ndata\.csv: 2 rows read, 0 kept"),
], ids=["empty", "header-only", "semicolons", "missing-column", "column-order", "unclosed-quote", "no-valid-row"])
def test_files_that_cannot_be_read_are_errors_naming_the_file(tmp_path, text, message):
    with pytest.raises(CSVError, match=message):
        read(tmp_path, text)


def test_semicolons_read_when_declared(tmp_path):
    rows, _ = read(tmp_path, "x;y;name;label\n1,5;2;a;0\n3;4;b;1\n", delimiter=";")
    # "1,5" (a decimal comma) is not a number to this reader: counted, not misread.
    assert rows == [(3.0, 4.0, "b", 1)]


def test_a_missing_file(tmp_path):
    with pytest.raises(CSVError, match=r"^nope\.csv: no such file$"):
        csv_reader.check_csv(tmp_path / "nope.csv", SCHEMA, out_dir=tmp_path)


def test_every_number_the_check_accepts_decodes_to_the_same_float32(tmp_path):
    """The clean copy keeps each number's text; decode_csv must read it as the
    value the check accepted, float32-rounded."""
    numbers = ["0", "-0", "+1", "1.", ".5", "1e3", "1E-3", "-2.5e+2", "3.4028234e38", "1.17549435e-38",
               "123456789", "0.1", "7.000000001", "1e-50"]
    text = HEADER + "".join(f"{n},0,a,1\n" for n in numbers)
    rows, report = read(tmp_path, text)
    assert report.kept == len(numbers)
    assert [r[0] for r in rows] == [float(np.float32(float(n))) for n in numbers]
    assert not any(math.isinf(r[0]) for r in rows)


def test_the_schema_is_checked_itself():
    with pytest.raises(ValueError, match="not among the columns used"):
        Schema(columns=(Column("a", float),), use=("a",), label="b")
    with pytest.raises(ValueError, match="use float, int or str"):
        Schema(columns=(Column("a", bool),), use=("a",), label="a")


def test_a_missing_number_replaced_by_nan_reaches_the_pipeline_as_nan(tmp_path):
    schema = Schema(columns=(Column("x", float, missing=float("nan")), Column("label", int)),
                    use=("x", "label"), label="label", na=("NA",))
    dataset, report = csv_reader.read_csv_checked(write(tmp_path, "x,label\nNA,1\n2.5,0\n,1\n"), schema,
                                                  out_dir=tmp_path)
    (features, labels), = dataset.as_numpy_iterator()
    assert report.kept == 3 and labels.tolist() == [1, 0, 1]
    assert math.isnan(features["x"][0]) and features["x"][1] == 2.5 and math.isnan(features["x"][2])
