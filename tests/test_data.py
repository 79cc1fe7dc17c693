"""The shipped data: every file is the one data/README.md documents.

A missing or altered file fails with the file's name and its expected sha256.
"""
import csv
import hashlib
import re
from collections import Counter

import numpy as np
import pytest

from conftest import ROOT

DATA = ROOT / "data"
ROW = re.compile(r"^\| `(?P<name>[^`]+)` \| `(?P<sha>[0-9a-f]{64})` \| (?P<size>\d+) \|")


def documented_files():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    rows = [m.groupdict() for m in map(ROW.match, text.splitlines()) if m]
    assert rows, "data/README.md has no file table"
    return rows


def test_readme_lists_every_data_file():
    listed = {row["name"] for row in documented_files()}
    shipped = {p.name for p in DATA.iterdir()
               if p.is_file() and p.suffix in {".csv", ".npz"}}
    assert shipped == listed, (f"not in data/README.md: {sorted(shipped - listed)}; "
                               f"listed but missing: {sorted(listed - shipped)}")


def file_problem(directory, row):
    """None if the file matches its README row, else a message naming the file
    and the expected hash."""
    path = directory / row["name"]
    if not path.is_file():
        return (f"data/{row['name']} is missing; expected sha256 {row['sha']} "
                "(regenerate: see data/README.md)")
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if digest != row["sha"] or len(content) != int(row["size"]):
        return (f"data/{row['name']} was altered: sha256 {digest} ({len(content)} bytes), "
                f"expected {row['sha']} ({row['size']} bytes)")
    return None


@pytest.mark.parametrize("row", documented_files(), ids=lambda r: r["name"])
def test_sha256_matches_readme(row):
    problem = file_problem(DATA, row)
    assert problem is None, problem


def test_missing_or_altered_file_is_named_with_its_hash(tmp_path):
    row = next(r for r in documented_files() if r["name"] == "breast_cancer_test.csv")
    assert "is missing; expected sha256 " + row["sha"] in file_problem(tmp_path, row)
    altered = (DATA / row["name"]).read_bytes().replace(b"17.99", b"17.98", 1)
    (tmp_path / row["name"]).write_bytes(altered)
    message = file_problem(tmp_path, row)
    assert message.startswith("data/breast_cancer_test.csv was altered") and row["sha"] in message


def read_csv(name):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def test_digits_shapes_and_labels():
    with np.load(DATA / "digits.npz") as d:
        assert sorted(d.files) == ["x_test", "x_train", "y_test", "y_train"]
        assert d["x_train"].shape == (1438, 8, 8) and d["x_train"].dtype == np.uint8
        assert d["x_test"].shape == (359, 8, 8)
        assert d["x_train"].max() == 16 and d["x_train"].min() == 0
        assert np.bincount(d["y_train"]).tolist() == [142, 146, 142, 146, 145, 146, 145, 143, 139, 144]
        assert np.bincount(d["y_test"]).tolist() == [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]


@pytest.mark.parametrize("name, rows, benign, malignant",
                         [("breast_cancer_train.csv", 456, 286, 170),
                          ("breast_cancer_test.csv", 113, 71, 42)])
def test_breast_cancer(name, rows, benign, malignant):
    header, body = read_csv(name)
    assert len(header) == 31 and header[-1] == "malignant"
    assert len(body) == rows and all(len(r) == 31 for r in body)
    assert Counter(r[-1] for r in body) == {"0": benign, "1": malignant}
    float(body[0][0])  # features are numeric text


@pytest.mark.parametrize("name, rows, great, other",
                         [("reviews_train.csv", 4000, 2600, 1400),
                          ("reviews_test.csv", 1000, 658, 342)])
def test_reviews(name, rows, great, other):
    header, body = read_csv(name)
    assert header == ["product", "review", "score"]
    assert len(body) == rows
    assert Counter(r[2] for r in body) == {"great": great, "other": other}


def test_penguins_raw():
    header, body = read_csv("penguins-raw.csv")
    assert len(header) == 17 and header[2] == "Species"
    assert len(body) == 344
    assert Counter(r[2].split()[0] for r in body) == {"Adelie": 152, "Gentoo": 124, "Chinstrap": 68}
    assert any(v == "NA" for r in body for v in r), "the raw table keeps its NA values"
