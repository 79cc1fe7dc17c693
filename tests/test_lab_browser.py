"""The notebooks where readers and students run them: JupyterLab, in a real browser.

JupyterLab (the lock's, with jupyterlab-myst) is started on 127.0.0.1 with a token,
on a copy of the student edition, to which the instructor's chapter is added. In
headless Chromium, each notebook is opened, run with Run > Run All Cells, and
saved; then the saved file must show every code cell executed, and errors only in
the cells tagged raises-exception (the article's patterns; in the student edition,
the checks, which fail on their stubs). An exercise's prompt must show its title
and no raw MyST (``:label:``, ``:class:``, a directive's fence): rendered by
jupyterlab-myst in the instructor's notebook, plain CommonMark in the student
edition. Screenshots for review go to _build/screenshots/.

One small chapter (00_pipeline_basics) keeps it within the suite's budget; the
student edition's Markdown of every chapter is checked without a browser in
tests/test_classroom.py.
"""
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import bookutils
import commonmark
import convention
import edition
from conftest import ROOT
from test_site_browser import CHROMIUM_ARGS, SCREENSHOTS, chromium_or_skip

CHAPTER = "00_pipeline_basics"
INSTRUCTOR = f"{CHAPTER}.instructor.ipynb"
RAW_MYST = re.compile(r":label:|:class:|```|\{exercise\}|\{solution-|\{glue|\{ref\}|\{doc\}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    executable = chromium_or_skip()
    root = tmp_path_factory.mktemp("lab")
    student = root / "student"
    edition.build(student, root / "student.zip")
    shutil.copy2(ROOT / "notebooks" / f"{CHAPTER}.ipynb", student / "notebooks" / INSTRUCTOR)
    for name in (INSTRUCTOR, f"{CHAPTER}.ipynb"):      # nothing executed yet: Run All must do it all
        path = student / "notebooks" / name
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, path)
    home = root / "home"
    # Every cell rendered, not only those in view (JupyterLab's default windowing would
    # leave the exercises further down unrendered until scrolled to).
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    notices = home / "settings" / "@jupyterlab" / "apputils-extension"     # no question about news
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port, token = bookutils.free_port(), secrets.token_hex(16)
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTER_PATH": str(ROOT / ".venv" / "share" / "jupyter")}
    command = [str(ROOT / ".venv" / "bin" / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={student}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.getuid() == 0:
        command.append("--allow-root")    # the test machine's container runs as root
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start: " + server.stderr.read().decode()[-2000:])
                time.sleep(0.5)
        from playwright.sync_api import sync_playwright  # noqa: E402

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield {"url": url, "token": token, "folder": student / "notebooks", "browser": browser}
            browser.close()
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


def run_all_and_save(lab, name: str, shot: str):
    """Open `name` in JupyterLab, Run All Cells, save; the saved notebook, and the
    page (still open) for what it shows."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = lab["browser"].new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    workspace = re.sub(r"\W", "-", name)               # a workspace of its own: this notebook alone
    page.goto(f"{lab['url']}/lab/workspaces/{workspace}/tree/notebooks/{name}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    saved_before = (lab["folder"] / name).stat().st_mtime_ns

    def accept_kernel_dialog() -> bool:
        """JupyterLab asks for a kernel when the session lost its own (seen when the
        kernel starts slowly on a busy machine): take the one the notebook names."""
        dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        if dialog.count() and dialog.first.is_visible():
            dialog.first.locator(".jp-Dialog-button.jp-mod-accept").click()
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
            return True
        return False

    def run_all():
        accept_kernel_dialog()
        page.keyboard.press("Escape")                # no menu or dialog left open
        try:
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click(timeout=5_000)
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click(timeout=5_000)
        except PlaywrightTimeout:                    # something covered the menu: try again
            page.screenshot(path=str(SCREENSHOTS / f"covered-{shot}"))

    # The indicator says idle a moment before the kernel's session is connected, and a
    # Run All sent then runs nothing: send it again until the first cell starts.
    for _ in range(10):
        run_all()
        started = time.monotonic() + 3
        while time.monotonic() < started and not re.search(
                r"\d|\*", page.locator(".jp-CodeCell .jp-InputPrompt").first.inner_text()):
            time.sleep(0.2)
        if re.search(r"\d|\*", page.locator(".jp-CodeCell .jp-InputPrompt").first.inner_text()):
            break
    deadline = time.monotonic() + 180
    progress = (None, time.monotonic())            # (cells still pending, since when)
    while True:                 # until every code cell shows the number of its run
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        pending = [p for p in prompts if not re.search(r"\d", p)]
        if prompts and not pending:
            break
        if accept_kernel_dialog():                       # a new kernel: run everything again
            run_all()
        if len(pending) != progress[0]:
            progress = (len(pending), time.monotonic())
        elif time.monotonic() - progress[1] > 20 and not any("*" in p for p in prompts):
            # nothing runs or waits to run, yet cells have not run: a Run All sent while
            # the kernel's session reconnected was lost (seen on a busy machine)
            run_all()
            progress = (len(pending), time.monotonic())
        if time.monotonic() > deadline:
            page.screenshot(path=str(SCREENSHOTS / f"pending-{shot}"))
            pytest.fail(f"{name}: {len(pending)} of {len(prompts)} code cells did not run: {pending[:5]}")
        time.sleep(0.5)
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while (lab["folder"] / name).stat().st_mtime_ns == saved_before:
        assert time.monotonic() < deadline, f"{name}: not saved"
        time.sleep(0.2)
    time.sleep(0.5)                                  # the file is written in one go, then renamed
    exercise = page.locator(".jp-MarkdownCell", has_text="Even squares").first
    exercise.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / shot))
    outside = [url for url in requests if not url.startswith(lab["url"]) and not url.startswith("data:")]
    assert not outside, f"the page requested other hosts: {outside[:5]}"
    return nbformat.read(lab["folder"] / name, as_version=4), page, context


def assert_ran_cleanly(nb, name):
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    not_run = [index for index, cell in enumerate(code) if cell.execution_count is None]
    assert not not_run, f"{name}: code cells {not_run} did not run"
    for index, cell in enumerate(code):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors and "raises-exception" not in convention.tags(cell):
            pytest.fail(f"{name}: code cell {index} raised {errors[0].ename}: {errors[0].evalue}")


@pytest.mark.parametrize("name", [INSTRUCTOR, f"{CHAPTER}.ipynb"], ids=["instructor", "student edition"])
def test_run_all_in_jupyterlab_and_the_exercises_read_cleanly(lab, name):
    shot = "lab-instructor.png" if name == INSTRUCTOR else "lab-student.png"
    nb, page, context = run_all_and_save(lab, name, shot)
    try:
        assert_ran_cleanly(nb, name)
        instructor = nbformat.read(ROOT / "notebooks" / f"{CHAPTER}.ipynb", as_version=4)
        for exercise in convention.exercises(instructor):
            cell = page.locator(".jp-MarkdownCell", has_text=exercise.title).first
            shown = cell.inner_text()
            assert exercise.title in shown, f"{name}: the exercise's title is not shown"
            assert not RAW_MYST.search(shown), f"{name}: raw MyST shows in {exercise.label!r}: {shown[:300]!r}"
        glued_cell = page.locator(".jp-MarkdownCell", has_text="computed in the cell above").first
        glued_cell.scroll_into_view_if_needed()
        glued_cell.screenshot(path=str(SCREENSHOTS / shot.replace(".png", "-glue.png")))
        glued = " ".join(glued_cell.inner_text().split())
        assert not RAW_MYST.search(glued), glued[:300]
        if name == INSTRUCTOR:         # jupyterlab-myst has no glue: the sentence still reads, naming the value
            assert "test accuracy basics_test_accuracy," in glued, glued[:300]
        else:                          # the stored run's value, written in
            stored = commonmark.glued_values(instructor)["basics_test_accuracy"]
            assert f"test accuracy {stored}," in glued, glued[:300]
    finally:
        context.close()
