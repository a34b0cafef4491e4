# Customer Segmentation with Machine Learning: the course's commands.
# `make lab` and `make test` do all set-up themselves on a fresh machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.course-installed
START_PAGE := lessons/00-welcome/00-welcome.ipynb
PYTEST_WORKERS ?= 2
# nbgrader runs `alembic` by name when it creates a gradebook, so the venv's
# bin/ must be on PATH for every command, not only the ones we spell out.
export PATH := $(abspath $(BIN)):$(PATH)
# One OpenMP/BLAS thread per kernel unless you say otherwise. The course's data is small, so
# threads buy nothing (solution 03: 6.9 s with one, 9.1 s with two on an idle 2-core machine) and
# cost a lot when cores are shared: 26.5 s with two while another job ran, and k-means' OpenMP
# threads spin against each other (seen: 10 s notebooks taking 90 s two at a time).
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.DEFAULT_GOAL := help
.PHONY: help setup lab test exercises data bench grade site clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"Python 3.11 or newer is needed, but $(PYTHON) is {v.major}.{v.minor}. Install a newer Python and run e.g. make PYTHON=python3.12 $(MAKECMDGOALS)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[dev]"
	$(BIN)/python -m course_utils setup
	@touch $(STAMP)

setup: $(STAMP) ## create .venv, install pinned packages and the course helpers
	@$(BIN)/python -m course_utils setup --quiet

# Jupyter refuses to start as root (a container, a CI box) without --allow-root: pass it only there.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

# LabApp, not ServerApp: `jupyter lab` replaces ServerApp.default_url with its own /lab, so the
# start page would never open (seen in the browser test, tests/test_browser_lab.py).
lab: setup ## set up, then open the course in JupyterLab
	$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/$(START_PAGE) $(ROOT_FLAG) $(LAB_ARGS)

test: setup ## set up, then run every test (notebooks, grading, data, hygiene)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

exercises: setup ## regenerate exercises/ from solutions/ with nbgrader
	$(BIN)/python -m course_utils exercises

data: setup ## rebuild the course company's datasets (SEED=, SCALE= to change)
	$(BIN)/python -m course_utils data $(if $(SEED),--seed $(SEED)) $(if $(SCALE),--scale $(SCALE))

grade: setup ## grade every submission of an assignment: make grade A=00-welcome
	@test -n "$(A)" || { echo "Say which assignment: make grade A=00-welcome"; exit 2; }
	$(BIN)/python -m course_utils grade $(A) $(GRADE_ARGS)

bench: setup ## time every lesson and solution notebook; table in bench/results.md
	$(BIN)/python -m course_utils bench

site: setup ## build the course website into site/_build/html (re-runs only changed lessons)
	$(BIN)/python -m course_utils site $(SITE_ARGS)

clean: ## remove the virtual environment (keeps all your notebooks and grades)
	rm -rf $(VENV)
