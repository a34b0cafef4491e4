"""Notebook hygiene: valid, clean, gradeable, offline, reproducible."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from course_tools.notebook_runner import all_notebooks, exercise_notebooks, lesson_notebooks, solution_notebooks
from course_utils.paths import course_root

ROOT = course_root()
NOTEBOOKS = all_notebooks()
GRADED = solution_notebooks() + exercise_notebooks()


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _code(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    return [(i + 1, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_valid_nbformat_and_clean(path: Path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"cell {i} has stored outputs: clear them before committing"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count: clear outputs"
    assert "widgets" not in nb.metadata, "stored widget state: clear it"


@pytest.mark.parametrize("path", GRADED, ids=_id)
def test_nbgrader_metadata(path: Path) -> None:
    from nbgrader.nbgraderformat import MetadataValidator

    nb = _read(path)
    MetadataValidator().validate_nb(nb)  # raises on bad metadata
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), f"duplicate grade ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    for grade_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", grade_id), f"grade id {grade_id!r} has characters nbgrader rejects"
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded, "an assignment notebook needs graded cells"
    for cell in graded:
        meta = cell.metadata["nbgrader"]
        assert meta.get("points", 0) > 0, f"{meta['grade_id']} is graded but has no points"
        if cell.cell_type == "code":
            assert meta.get("locked"), f"test cell {meta['grade_id']} must be locked"


@pytest.mark.parametrize("path", exercise_notebooks(), ids=_id)
def test_exercises_hold_no_solutions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in text, f"{marker} leaked into the student version: run `make exercises`"


ABSOLUTE_PATH = re.compile(r"""["'](/(home|Users|work|root|tmp|mnt|srv|opt)/|[A-Za-z]:\\\\)""")
NETWORK = re.compile(r"load_dataset\(|fetch_[a-z0-9_]+\(|nltk\.download|urlopen|requests\.|urllib|https?://")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_no_absolute_paths_or_network(path: Path) -> None:
    nb = _read(path)
    for i, src in _code(nb):
        assert not ABSOLUTE_PATH.search(src), f"cell {i} uses an absolute path; use course_utils.paths or a loader"
        match = NETWORK.search(src)
        assert not match, f"cell {i} reaches the network ({match.group(0)}); use course data and packages only"
        assert not re.search(r"""read_(csv|parquet|excel|json)\(\s*['"]\.\.?/""", src), (
            f"cell {i} reads data by relative path; use a course_utils.data loader"
        )
    assert "nltk.download" not in path.read_text(encoding="utf-8"), "nltk.download appears in the notebook"


# Calls that are random unless given a seed, and the keyword that fixes it.
SEEDED_CALLS = {
    "KMeans": "random_state",
    "MiniBatchKMeans": "random_state",
    "GaussianMixture": "random_state",
    "BayesianGaussianMixture": "random_state",
    "train_test_split": "random_state",
    "RandomForestClassifier": "random_state",
    "RandomForestRegressor": "random_state",
    "GradientBoostingClassifier": "random_state",
    "HistGradientBoostingClassifier": "random_state",
    "DecisionTreeClassifier": "random_state",
    "LogisticRegression": None,
    "PCA": None,
    "TSNE": "random_state",
    "NMF": "random_state",
    "LatentDirichletAllocation": "random_state",
    "permutation_importance": "random_state",
    "resample": "random_state",
    "make_blobs": "random_state",
    "sample": "random_state",
    "default_rng": 0,  # needs a positional seed
    "KFold": None,
    "ShuffleSplit": "random_state",
    "StratifiedShuffleSplit": "random_state",
}
UNSEEDED_GLOBAL = re.compile(r"np\.random\.(rand|randn|randint|choice|shuffle|permutation|normal|uniform)\(")


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _parse(src: str) -> ast.AST | None:
    cleaned = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in src.splitlines())
    try:
        return ast.parse(cleaned)
    except SyntaxError:
        return None


def unseeded_calls(src: str) -> list[str]:
    """Problems with random seeds in one code cell's source (empty when fine)."""
    problems = []
    if UNSEEDED_GLOBAL.search(src):
        problems.append("numpy's global random state: use np.random.default_rng(seed)")
    tree = _parse(src)
    if tree is None:
        return ["not valid Python"]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        need = SEEDED_CALLS.get(name)
        if need is None:
            continue
        if need == 0:
            if not (node.args or node.keywords):
                problems.append(f"{name}() without a seed")
            continue
        keywords = {k.arg for k in node.keywords}
        if None in keywords:  # **params: cannot tell statically
            continue
        if name == "sample" and not isinstance(node.func, ast.Attribute):
            continue
        # pandas' .resample("MS") is time bucketing, not scikit-learn's random resample().
        if (
            name == "resample"
            and isinstance(node.func, ast.Attribute)
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "utils")
        ):
            continue
        if name == "sample" and not ({"frac", "n"} & keywords or node.args):
            continue
        if need not in keywords:
            problems.append(f"{name}(...) without {need}=")
    return problems


@pytest.mark.parametrize(
    ("src", "ok"),
    [
        ("KMeans(n_clusters=3)", False),
        ("KMeans(n_clusters=3, random_state=0)", True),
        ("df.sample(frac=0.1)", False),
        ("df.sample(frac=0.1, random_state=1)", True),
        ("rng = np.random.default_rng()", False),
        ("rng = np.random.default_rng(0)", True),
        ("x = np.random.rand(3)", False),
        ("KMeans(**params)", True),
        ("resample(X, n_samples=100)", False),
        ("resample(X, n_samples=100, random_state=0)", True),
        ('monthly = df.resample("MS").sum()', True),
    ],
)
def test_seed_checker_catches_unseeded_code(src: str, ok: bool) -> None:
    assert (unseeded_calls(src) == []) is ok


@pytest.mark.parametrize("path", lesson_notebooks() + solution_notebooks(), ids=_id)
def test_random_seeds_fixed(path: Path) -> None:
    for i, src in _code(_read(path)):
        problems = unseeded_calls(src)
        assert not problems, f"cell {i}: {'; '.join(problems)}: results would change on every run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_no_wholesale_warning_silencing(path: Path) -> None:
    nb = _read(path)
    for i, src in _code(nb):
        tree = _parse(src)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in {"filterwarnings", "simplefilter"}:
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                keywords = {k.arg for k in node.keywords}
                if (
                    args
                    and args[0] == "ignore"
                    or any(
                        k.arg == "action" and isinstance(k.value, ast.Constant) and k.value.value == "ignore"
                        for k in node.keywords
                    )
                ):
                    assert {"category", "message", "module"} & keywords or len(node.args) > 1, (
                        f"cell {i} silences all warnings; silence only a named warning category or message"
                    )


def test_lesson_structure() -> None:
    """Each lesson opens with objectives, prerequisites and time, and ends with a recap."""
    for path in lesson_notebooks():
        nb = _read(path)
        markdown = [c.source.lower() for c in nb.cells if c.cell_type == "markdown"]
        opening = "\n".join(markdown[:3])
        closing = "\n".join(markdown[-3:])
        assert "learn" in opening or "objective" in opening, f"{_id(path)} must open with its objectives"
        assert "prerequisite" in opening, f"{_id(path)} must state its prerequisites"
        assert "time" in opening or "minutes" in opening, f"{_id(path)} must give a time estimate"
        assert "recap" in closing or "summary" in closing or "wrap-up" in closing, f"{_id(path)} must end with a recap"
        assert "further" in closing, f"{_id(path)} must end with 'to go further'"


def test_figures_are_titled_and_labelled() -> None:
    """Every cell that draws a figure sets a title and axis labels."""
    draw = re.compile(
        r"\b(scatterplot|histplot|lineplot|barplot|boxplot|heatmap|\.plot\(|\.scatter\(|\.hist\(|\.bar\(|dendrogram\()"
    )
    for path in lesson_notebooks():
        for i, src in _code(_read(path)):
            if draw.search(src) and "def " not in src:
                has_title = re.search(r"title|suptitle", src)
                has_labels = re.search(r"xlabel|set_xlabel|ylabel|set_ylabel|\.set\(", src)
                assert has_title and has_labels, f"{_id(path)} cell {i} draws a figure without a title and axis labels"


def test_notebook_json_is_stable() -> None:
    """Notebooks are written the way nbformat writes them (so diffs stay small)."""
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert data["nbformat"] == 4
        assert text.endswith("\n"), f"{_id(path)} should end with a newline"
