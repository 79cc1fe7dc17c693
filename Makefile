# Feeding Keras with tf.data: build, test and run the book.
# `make book` and `make test` are the only set-up commands a reader needs.

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb)) $(sort $(wildcard notebooks/appendix_*.ipynb))
PORT   ?= 8000
# The full test suite, in two phases (`make test`), split by one rule: a test file or
# a notebook marked needs_free_cores (tests/conftest.py; a notebook says so in its
# metadata) runs alone, first, because its timing claims need a core free when a
# thread wakes (prefetch's overlap, a parallel map); only its exercises' wrong answers
# run beside the other phase. Everything else runs two at a time (pytest-xdist, one
# worker per core; a file stays on one worker), longest first by the durations the
# last run recorded (conftest.py). nbval runs in strict mode; pytest-timeout ends any
# single test after 15 min.
#
# Each notebook runs in the kernel its metadata names, from this venv (JUPYTER_PATH
# below puts the venv's kernel specs before a user's): python3, or for the chapter
# 05_beyond_one_machine, whose servers must be reachable from this machine only,
# book-loopback (notebooks/bookutils/loopback_kernel.py: a network namespace with
# only a loopback interface).
NBVAL_ARGS := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	--nbval-cell-timeout=600 --timeout=900 --durations=40

PYTEST_PARALLEL ?= $(NOTEBOOKS) tests $(NBVAL_ARGS) -m "not needs_free_cores" \
	-n 2 --dist loadfile --no-loadscope-reorder
PYTEST_ALONE ?= $(NOTEBOOKS) tests $(NBVAL_ARGS) -m needs_free_cores

export JUPYTER_PATH := $(abspath $(VENV))/share/jupyter
LOOPBACK_KERNEL := $(VENV)/share/jupyter/kernels/book-loopback/kernel.json


.PHONY: help book pdf test serve lab notebooks student grade durations lock clean tf24 tf24-record xprof

help:
	@echo "make book       build the site into _build/html, with its PDF edition (installs .venv first)"
	@echo "make pdf        print the built site to $(PDF) (Debian's chromium; offline)"
	@echo "make test       run the whole test suite (nbval re-executes every notebook)"
	@echo "make serve      serve the built site on http://127.0.0.1:$(PORT)"
	@echo "make lab        JupyterLab on notebooks/ (with the kernel \"Python 3 (loopback only)\"; as root: ALLOW_ROOT=1)"
	@echo "make notebooks  re-execute every notebook in place (ONLY=stem...): the one way outputs are made"
	@echo "make student    write the student edition (no solutions) to _build/student/ and .zip"
	@echo "make grade SUBMISSIONS=dir   grade a class's notebooks into grades.csv"
	@echo "make tf24       a Python 3.8 venv with TensorFlow 2.4.1 (the article's version) in $(TF24_VENV)"
	@echo "make xprof      TensorBoard's profile plugin in $(XPROF_VENV): its verdict on the chapter pipelines"
	@echo "make lock       regenerate requirements.txt from requirements.in in a clean venv (UPGRADE=1: newest versions)"
	@echo "make durations  keep the last test run's file durations (tests/durations.json) for a fresh clone's test order"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' was not found. The book needs Python 3.11:"; \
	  echo "  install it (python.org, pyenv, or your package manager), or point"; \
	  echo "  make at it: make PYTHON=/path/to/python3.11 book"; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else \
	  "error: requirements.txt is locked for Python 3.11, but $(PYTHON) is %d.%d; " \
	  "use make PYTHON=python3.11 (see README: supported versions)" % v)'
	$(PYTHON) -m venv $(VENV)

# The lock is installed with uv (from PyPI, pinned here like pip), which installs the
# same pinned wheels as pip in a fraction of the time: 2 + 12 s against pip's 25 s on
# this machine, on a cold venv (uv links from its cache; --link-mode=copy keeps the venv
# independent of it). Behind a package mirror, set UV_INDEX_URL (uv does not read pip's
# configuration), or install with pip: make INSTALLER=pip.
INSTALLER ?= uv
$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
ifeq ($(INSTALLER),uv)
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip install --quiet --link-mode=copy --python $(BIN)/python -r requirements.txt
else
	$(BIN)/python -m pip install --quiet --no-compile -r requirements.txt
endif
	@# Neither byte-compiles on every core; compileall does (14 s on 2 cores). Without
	@# it, with PYTHONDONTWRITEBYTECODE set, every process would compile what it imports.
	@# The packages' own test suites (tests/) and pip, which nothing imports, are skipped
	@# (18 s with them).
	$(BIN)/python -m compileall -qq -j 0 -x '/(tests|pip)/' "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
	@touch $@

# The kernel "Python 3 (loopback only)", for the chapters that start servers.
$(LOOPBACK_KERNEL): notebooks/bookutils/loopback_kernel.py | $(STAMP)
	$(BIN)/python notebooks/bookutils/loopback_kernel.py install $(VENV)

# The PDF edition is printed from the built site by the system's Chromium
# (book/pdf_edition.py) and copied into the site, whose download menu links it.
PDF := _build/pdf/feeding-keras-with-tf-data.pdf

book: $(STAMP)
	rm -rf _build/html _build/.doctrees
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python book/pdf_edition.py --html _build/html --out $(PDF) --copy-to-site \
	  --skip-without-chromium
	@echo
	@echo "The site is in _build/html. Open _build/html/index.html, or run: make serve"

pdf: $(STAMP)
	@test -f _build/html/index.html || { echo "error: no site yet; run: make book"; exit 1; }
	$(BIN)/python book/pdf_edition.py --html _build/html --out $(PDF) --copy-to-site

# What needs free cores runs first, alone, its output kept in a log and printed at the
# end; the rest starts when the alone phase has only exercises' wrong answers left
# (tests/conftest.py creates $(FREE_CORES_DONE) then), and runs beside them.
FREE_CORES_DONE := _build/free-cores-done
ALONE_LOG := _build/test-alone.log
test: $(STAMP) $(LOOPBACK_KERNEL)
	@mkdir -p _build && rm -f $(FREE_CORES_DONE)
	@echo "== alone, what needs free cores: $(BIN)/python -m pytest $(PYTEST_ALONE)"
	@echo "   (its output, in $(ALONE_LOG), follows the other phase's)"
	@BOOK_FREE_CORES_DONE=$(FREE_CORES_DONE) $(BIN)/python -m pytest $(PYTEST_ALONE) \
	  > $(ALONE_LOG) 2>&1 & alone=$$!; \
	while [ ! -e $(FREE_CORES_DONE) ] && kill -0 $$alone 2>/dev/null; do sleep 1; done; \
	echo "== two at a time (beside the alone phase's wrong answers)"; \
	$(BIN)/python -m pytest $(PYTEST_PARALLEL); two=$$?; \
	wait $$alone; one=$$?; \
	echo "== alone, what needs free cores: its output"; cat $(ALONE_LOG); \
	echo "== alone: exit $$one; two at a time: exit $$two"; \
	exit $$(( one || two ))

serve:
	@test -f _build/html/index.html || { echo "error: no site yet; run: make book"; exit 1; }
	@echo "Serving _build/html at http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# Jupyter refuses to start as root unless told --allow-root, and says so in one line
# among its start-up log. Inside a container, where root is the usual user and the
# container is the boundary, that is acceptable: make lab ALLOW_ROOT=1.
USER_ID ?= $(shell id -u)
lab: $(STAMP) $(LOOPBACK_KERNEL)
	@if [ "$(USER_ID)" = 0 ] && [ "$(ALLOW_ROOT)" != 1 ]; then \
	  echo "make lab: you are root, and Jupyter refuses to run as root: a notebook server"; \
	  echo "  runs any code its pages send, with the rights of its user. Run make lab as an"; \
	  echo "  ordinary user; or, inside a container (where running as root is usual and the"; \
	  echo "  container is the boundary), run: make lab ALLOW_ROOT=1"; exit 2; fi
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --notebook-dir=notebooks $(if $(filter 1,$(ALLOW_ROOT)),--allow-root)

# Executes every notebook in place (or those named: make notebooks ONLY="04_timing_prefetch"),
# and writes the teaching page's table of chapters with the run times just measured.
notebooks: $(STAMP) $(LOOPBACK_KERNEL)
	$(BIN)/python classroom/run_chapters.py $(ONLY)

student: $(STAMP)
	$(BIN)/python classroom/edition.py --out _build/student

grade: $(STAMP) $(LOOPBACK_KERNEL)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-of-student-folders [TIMEOUT=seconds] [NOTEBOOK_TIMEOUT=seconds] [NO_SANDBOX=1: trusted notebooks only]"; exit 2; }
	$(BIN)/python classroom/grade.py "$(SUBMISSIONS)" --csv grades.csv \
	  $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(NOTEBOOK_TIMEOUT),--notebook-timeout $(NOTEBOOK_TIMEOUT)) \
	  $(if $(and $(filter 1,$(NO_SANDBOX)),$(filter command line,$(origin NO_SANDBOX))),--no-sandbox)

# TensorFlow 2.4.1, the article's version, for the errata appendix: a Python 3.8
# virtualenv (TensorFlow 2.4.1 has no wheel for a newer Python). Python 3.8 is taken
# from PY38, else from pyenv (pyenv install 3.8), else python3.8 on the PATH.
TF24_VENV ?= .venv-tf24
TF24_LOCK := notebooks/article/requirements-tf24.txt
TF24_RESULTS := data/article/tensorflow-2.4.1.json
FIND_PY38 = py="$(PY38)"; \
	if [ -z "$$py" ] && command -v pyenv >/dev/null 2>&1; then \
	  prefix=$$(pyenv prefix 3.8 2>/dev/null) && py="$$prefix/bin/python3.8"; fi; \
	if [ -z "$$py" ]; then py=python3.8; fi; \
	"$$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 8))' 2>/dev/null || { \
	  echo "error: no Python 3.8 found (tried PY38, pyenv prefix 3.8, python3.8)."; \
	  echo "  install one (pyenv install 3.8) or point make at it: make PY38=/path/to/python3.8 tf24"; exit 1; }

tf24: $(TF24_VENV)/.installed

$(TF24_VENV)/.installed: $(TF24_LOCK)
	@$(FIND_PY38); echo "creating $(TF24_VENV) with $$py"; rm -rf $(TF24_VENV); "$$py" -m venv $(TF24_VENV)
	$(TF24_VENV)/bin/python -m pip install --quiet --no-compile -r $(TF24_LOCK)
	@touch $@

# Re-record the 2.4.1 side of the errata appendix (the appendix and its test read it).
tf24-record: tf24
	@mkdir -p $(dir $(TF24_RESULTS))
	$(TF24_VENV)/bin/python notebooks/article/article_cases.py --record > $(TF24_RESULTS).tmp
	mv $(TF24_RESULTS).tmp $(TF24_RESULTS)

# Optional, not part of `make test`: TensorBoard's profile plugin (xprof), which the
# book does not install (the timing chapter says why), in its own venv, run on traces of
# the chapter pipelines beside the book's own reading of the same traces.
XPROF_VENV ?= .venv-xprof

xprof: $(XPROF_VENV)/.installed
	$(XPROF_VENV)/bin/python benchmarks/xprof_verdict.py

$(XPROF_VENV)/.installed: requirements.txt requirements-xprof.txt | $(BIN)/python
	rm -rf $(XPROF_VENV); $(PYTHON) -m venv $(XPROF_VENV)
	$(XPROF_VENV)/bin/python -m pip install --quiet --upgrade pip==26.3
	$(XPROF_VENV)/bin/python -m pip install --quiet -r requirements-xprof.txt
	@touch $@

# The current lock constrains the new one, so that adding a package to
# requirements.in changes no other pin; `make lock UPGRADE=1` re-resolves everything.
LOCK_CONSTRAINTS = $(if $(UPGRADE),,-c requirements.txt)

# The test files' durations that a fresh clone orders the tests by: the last run's.
durations:
	@test -f _build/test-durations.json || { echo "error: no recorded durations yet; run: make test"; exit 1; }
	cp _build/test-durations.json tests/durations.json

lock:
	rm -rf _build/lockvenv
	$(PYTHON) -m venv _build/lockvenv
	_build/lockvenv/bin/python -m pip install --quiet --upgrade pip==26.3
	_build/lockvenv/bin/python -m pip install --quiet -r requirements.in $(LOCK_CONSTRAINTS)
	{ echo "# Complete lock for Python 3.11 on Linux x86-64, generated by 'make lock'"; \
	  echo "# from requirements.in in a clean venv. Do not edit by hand."; \
	  _build/lockvenv/bin/python -m pip freeze --all --exclude pip --exclude setuptools; } > requirements.txt
	rm -rf _build/lockvenv

clean:
	rm -rf _build .pytest_cache
