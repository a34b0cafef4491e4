# Customer Segmentation with Machine Learning: the course's commands.
# `make lab` and `make test` do all set-up themselves on a fresh machine.

PYTHON ?= python3
# The lowest Python every pin accepts (tests/tooling/test_python_minimum.py reads each pinned package's
# Requires-Python and checks this line; pyproject.toml's requires-python says the same).
PYTHON_MIN := 3.11
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
# Grading with a hub's shared environment (VENV=/srv/course-student/venv): its course packages are the
# students' copy, so say which course this is.
ifneq ($(wildcard $(VENV)/.course-shared),)
export COURSE_ROOT ?= $(CURDIR)
endif

.DEFAULT_GOAL := help
.PHONY: help setup lab test lint notebooks exercises data bench grade release collect feedback student-env site clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	@test ! -e $(VENV)/.course-shared || { echo "$(VENV) is a hub's shared environment (hub/build_student_env.py made it): rebuild it with make student-env, not here."; exit 1; }
	@$(PYTHON) course_tools/python_check.py --min $(PYTHON_MIN)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[tools,dev,hub]"
	$(BIN)/python -m course_tools setup
	@touch $(STAMP)

setup: $(STAMP) ## create .venv, install pinned packages and the course helpers
	@$(BIN)/python -m course_tools setup --quiet

# Jupyter refuses to start as root (a container, a CI box) without --allow-root: pass it only there.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

# Kernels never inherit NBGRADER_DB_URL (course_utils/kernel_env.py): a notebook, a student's
# included, must not see the gradebook's password even when your shell exports it.
# LabApp, not ServerApp: `jupyter lab` replaces ServerApp.default_url with its own /lab, so the
# start page would never open (seen in the browser test, tests/content/test_browser_lab.py).
lab: setup ## set up, then open the course in JupyterLab
	$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/$(START_PAGE) --KernelProvisionerFactory.default_provisioner_name=course-scrubbed $(ROOT_FLAG) $(LAB_ARGS)

test: setup ## set up, then run every test (notebooks, grading, data, hygiene)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

notebooks: setup ## write the lesson and solution notebooks from their text sources in notebook-sources/
	$(BIN)/python -m course_tools notebooks $(NOTEBOOKS_ARGS)

# Configuration in pyproject.toml ([tool.ruff], [tool.mypy]); `$(BIN)/ruff check --fix . && $(BIN)/ruff format .` repairs most.
lint: setup ## lint and format check (ruff), type check course_utils and course_tools (mypy)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

exercises: setup ## regenerate exercises/ from solutions/ with nbgrader
	$(BIN)/python -m course_tools exercises

data: setup ## rebuild the course company's datasets (SEED=, SCALE= to change)
	$(BIN)/python -m course_tools data $(if $(SEED),--seed $(SEED)) $(if $(SCALE),--scale $(SCALE))

grade: setup ## grade every submission of an assignment: make grade A=00-welcome
	@test -n "$(A)" || { echo "Say which assignment: make grade A=00-welcome"; exit 2; }
	$(BIN)/python -m course_tools grade $(A) $(GRADE_ARGS)

# nbgrader's exchange (a JupyterHub class, INSTRUCTORS.md section 2). The exchange folder is
# NBGRADER_EXCHANGE (default /srv/nbgrader/exchange), read by nbgrader_config.py.
release: setup ## release an assignment to the exchange: make release A=00-welcome
	@test -n "$(A)" || { echo "Say which assignment: make release A=00-welcome"; exit 2; }
	$(BIN)/nbgrader release_assignment $(A) $(NBGRADER_ARGS)

collect: setup ## copy the students' submissions from the exchange into submitted/: make collect A=00-welcome
	@test -n "$(A)" || { echo "Say which assignment: make collect A=00-welcome"; exit 2; }
	$(BIN)/nbgrader collect $(A) --update $(NBGRADER_ARGS)

# nbgrader release_feedback, skipping (and naming) submissions placed in submitted/ by hand (no exchange secret)
feedback: setup ## return the feedback make grade wrote to the students: make feedback A=00-welcome
	@test -n "$(A)" || { echo "Say which assignment: make feedback A=00-welcome"; exit 2; }
	$(BIN)/python -m course_tools.grading.feedback $(A) $(NBGRADER_ARGS)

# The students' side of a hub (hub/README.md): the course without solutions/, tests/ or .git, a venv
# every user can run, the students' nbgrader_config.py, instructor extensions disabled and locked.
student-env: ## build the students' environment for a hub: make student-env DEST=/srv/course-student
	@test -n "$(DEST)" || { echo "Say where: make student-env DEST=/srv/course-student [EXCHANGE=/srv/nbgrader/exchange]"; exit 2; }
	$(PYTHON) hub/build_student_env.py $(DEST) $(if $(EXCHANGE),--exchange $(EXCHANGE))

bench: setup ## time every lesson and solution notebook; table in bench/results.md
	$(BIN)/python -m course_tools bench $(BENCH_ARGS)

site: setup ## build the course website into site/_build/html (re-runs only changed lessons)
	$(BIN)/python -m course_tools site $(SITE_ARGS)

clean: ## remove the virtual environment (keeps all your notebooks and grades)
	rm -rf $(VENV)
