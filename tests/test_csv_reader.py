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
                                       r"encoding='cp1252' \(or 'latin-1'\)"):
        read(tmp_path, text.encode("latin-1"))
    rows, _ = read(tmp_path, text.encode("latin-1"), encoding="latin-1")
    assert rows[1][2] == "Jos\u00e9"


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_utf16_and_utf32_are_named(tmp_path, encoding, name):
    with pytest.raises(CSVError, match=rf"data\.csv:1: the file is {name} .*save it as UTF-8"):
        read(tmp_path, (HEADER + "1,2,a,0\n").encode(encoding))


@pytest.mark.parametrize("text, message", [
    ("", r"^data\.csv: the file is empty; expected the header line 'x,y,name,label'$"),
    (HEADER, r"data\.csv: no rows after the header"),
    ("x;y;name;label\n1;2;a;0\n", r"data\.csv:1: .*looks ';'-delimited: pass delimiter=';'"),
    ("x,y,label\n1,2,0\n", r"data\.csv:1: unexpected header: missing columns \['name'\], unknown columns \[\]"),
    ("y,x,name,label\n1,2,a,0\n", r"data\.csv:1: the header has the expected columns in another order"),
    (HEADER + '1,2,"open,0\n1,2,b,1\n', r"data\.csv:2: not valid CSV .*a quote that is not closed"),
    (HEADER + "1,2,a\rb,0\n1,2,c,1\n", r"data\.csv:2: not valid CSV .*carriage return"),
    ("x,y,name,label\r1,2,a,0\r", r"data\.csv:1: not valid CSV .*\\r-only line endings"),
    ("x,y,x,label\n1,2,3,0\n", r"data\.csv:1: the header names columns twice: \['x'\]"),
    (HEADER + "1,2,a,5\n\n", r"(?s)^data\.csv: no valid rows\ndata\.csv: 2 rows read, 0 kept"),
], ids=["empty", "header-only", "semicolons", "missing-column", "column-order", "unclosed-quote",
        "stray-carriage-return", "carriage-return-line-endings", "duplicate-header", "no-valid-row"])
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


def test_digits_of_other_scripts_are_not_numbers(tmp_path):
    """Python's float() reads "١.٥" and "１２"; decode_csv does not: counted, never passed on."""
    rows, report = read(tmp_path, HEADER + "\u0661.\u0665,2,a,0\n\uff11\uff12,2,b,0\n1,2,c,\u0661\n1,2,d,1\n")
    assert [r[2] for r in rows] == ["d"]
    assert report.skipped == {"not a number in x": [2, 3], "not a number in the integer column label": [4]}


def test_integers_far_out_of_range_and_the_float32_limit(tmp_path):
    rows, report = read(tmp_path, HEADER + "3.4028235e38,1,a,0\n3.4028236e38,1,b,0\n"
                                  f"1,2,c,{'9' * 5000}\n1,2,d,{2**31}\n1,2,e,1\n")
    assert [r[2] for r in rows] == ["a", "e"]          # NumPy prints float32's maximum as 3.4028235e38
    assert report.skipped == {"out of float32's range in x": [3],
                              "integer out of int32's range in label": [4, 5]}


def test_two_files_of_the_same_name_get_their_own_clean_copies(tmp_path):
    (tmp_path / "train").mkdir()
    (tmp_path / "test").mkdir()
    train = write(tmp_path / "train", HEADER + "1,2,train,0\n")
    test = write(tmp_path / "test", HEADER + "3,4,test,1\n")
    train_ds, _ = csv_reader.read_csv_checked(train, SCHEMA, out_dir=tmp_path)
    test_ds, _ = csv_reader.read_csv_checked(test, SCHEMA, out_dir=tmp_path)
    assert [f["name"][0] for f, _ in train_ds.as_numpy_iterator()] == [b"train"]
    assert [f["name"][0] for f, _ in test_ds.as_numpy_iterator()] == [b"test"]


@pytest.mark.parametrize("column, message", [
    (Column("y", int, allowed=frozenset({0, 1}), missing=-1), "missing=-1 fails the column's own check"),
    (Column("y", int, missing=None), "missing=None is not of type int"),
    (Column("y", float, missing="abc"), "missing='abc' is not of type float"),
    (Column("y", str, missing="two\nlines"), "line break"),
], ids=["label-not-allowed", "none", "text-for-float", "line-break"])
def test_a_replacement_for_missing_values_passes_the_column_checks(column, message):
    with pytest.raises(ValueError, match=message):
        Schema(columns=(Column("x", float), column), use=("x", "y"), label="y")


def test_columns_named_twice_in_a_schema():
    with pytest.raises(ValueError, match=r"columns named twice: \['x'\]"):
        Schema(columns=(Column("x", float), Column("x", str)), use=("x",), label="x")
