"""Write the student edition's zip into the built site, as student-edition.zip,
so the teaching page can link to it. The edition itself is made by
classroom/edition.py (the same code as `make student`)."""
import sys
import tempfile
from pathlib import Path


def write_student_zip(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.confdir)
    sys.path.insert(0, str(root / "classroom"))
    import edition

    with tempfile.TemporaryDirectory(prefix="student-edition-") as tmp:
        edition.build(Path(tmp) / "student", Path(app.outdir) / "student-edition.zip")


def setup(app):
    app.connect("build-finished", write_student_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
