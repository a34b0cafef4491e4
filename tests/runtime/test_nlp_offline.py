"""NLTK works offline: VADER and NLTK's own stop words in every kernel, the course's list, tokenizer."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest

from course_utils import nlp
from course_utils.nltk_stopwords import ENGLISH as NLTK_ENGLISH

CHILD = r"""
import json, os, socket, sys
# no network: any attempt to connect fails loudly
def _no_net(*a, **k):
    raise RuntimeError("network access attempted")
socket.socket.connect = _no_net
socket.create_connection = _no_net
import nltk
assert "NLTK_DATA" not in os.environ
from course_utils import nlp
from course_utils.nltk_stopwords import ENGLISH as NLTK_ENGLISH
folder = nlp.ensure_nltk_data()
from nltk.sentiment import SentimentIntensityAnalyzer
from nltk.corpus import stopwords
sia = SentimentIntensityAnalyzer()
print(json.dumps({
    "folder": str(folder),
    "love": sia.polarity_scores("I love it")["compound"],
    "not_good": sia.polarity_scores("not good at all")["compound"],
    "nltk_stop_has_not": "not" in stopwords.words("english"),
    "course_stop_has_not": "not" in nlp.stop_words(),
    "n_stop": len(stopwords.words("english")),
    "nltk_list": stopwords.words("english"),
    "n_course": len(nlp.stop_words(keep_negations=False)),
    "tokens": nlp.tokenize("Wasn't happy: not worth the price!"),
}))
"""


def _run_child(nltk_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NLTK_DATA"}
    env["COURSE_NLTK_DATA"] = str(nltk_dir)
    env["HOME"] = str(nltk_dir.parent)  # no ~/nltk_data to fall back on
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_fresh_process_without_nltk_data_works_offline(tmp_path):
    folder = tmp_path / "nltk_data"
    assert not folder.exists()
    result = _run_child(folder)
    assert result["folder"] == str(folder.resolve())
    assert result["love"] > 0.3
    assert result["not_good"] < -0.3
    assert result["nltk_stop_has_not"] is True  # the published list, as NLTK reads it
    assert result["course_stop_has_not"] is False  # the course's helper keeps negations
    assert result["n_stop"] == 179  # NLTK's own English list, not another package's
    assert result["nltk_list"] == list(NLTK_ENGLISH)
    assert result["n_course"] == 1333  # the course's stop_words(): the stop-words package's list
    assert result["tokens"] == ["wasn't", "happy", "not", "worth", "the", "price"]
    # deleted and recreated: works again
    import shutil

    shutil.rmtree(folder)
    assert _run_child(folder)["love"] > 0.3


def test_folder_layout_permissions_and_idempotence(tmp_path):
    folder = nlp.ensure_nltk_data(tmp_path / "nd")
    with zipfile.ZipFile(folder / "sentiment" / "vader_lexicon.zip") as zf:
        assert zf.namelist() == ["vader_lexicon/vader_lexicon.txt"]
        lexicon = zf.read("vader_lexicon/vader_lexicon.txt").decode("utf-8")
    assert lexicon.splitlines()[0].count("\t") >= 2 and "love" in lexicon
    english = (folder / "corpora" / "stopwords" / "english").read_text(encoding="utf-8").split()
    assert "the" in english and "not" in english
    assert english == list(NLTK_ENGLISH)
    readme = (folder / "corpora" / "stopwords" / "README").read_text(encoding="utf-8")
    assert "NLTK Data" in readme and "Snowball" in readme and "stop-words" in readme
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert not mode & (stat.S_IWGRP | stat.S_IWOTH), (path, oct(mode))
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    assert nlp.ensure_nltk_data(tmp_path / "nd") == folder
    assert before == {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_unsafe_permissions_are_repaired(tmp_path):
    folder = nlp.ensure_nltk_data(tmp_path / "nd")
    target = folder / "sentiment" / "vader_lexicon.zip"
    os.chmod(target, 0o666)
    os.chmod(folder, 0o777)
    nlp.ensure_nltk_data(tmp_path / "nd")
    assert not stat.S_IMODE(target.stat().st_mode) & stat.S_IWOTH
    assert not stat.S_IMODE(folder.stat().st_mode) & stat.S_IWOTH


def test_a_corrupted_lexicon_is_replaced(tmp_path):
    folder = nlp.ensure_nltk_data(tmp_path / "nd")
    (folder / "sentiment" / "vader_lexicon.zip").write_bytes(b"broken")
    nlp.ensure_nltk_data(tmp_path / "nd")
    assert zipfile.is_zipfile(folder / "sentiment" / "vader_lexicon.zip")


def test_stop_words_keep_negations_by_default():
    kept = nlp.stop_words()
    full = nlp.stop_words(keep_negations=False)
    for word in ("not", "no", "nor", "never", "wasn't", "don't"):
        assert word not in kept
    assert {"not", "no", "the", "and"} <= full
    assert {"the", "and", "a", "is"} <= kept
    assert kept < full


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Great qualty but delivry was slow.", ["great", "qualty", "but", "delivry", "was", "slow"]),
        ("I didn’t like it", ["i", "didn't", "like", "it"]),
        ("Not worth £12.99!!", ["not", "worth", "12", "99"]),
    ],
)
def test_tokenize(text, expected):
    assert nlp.tokenize(text) == expected


def test_vader_on_review_phrases():
    sia = nlp.vader()
    assert sia.polarity_scores("Superb quality, worth every penny.")["compound"] > 0.3
    assert sia.polarity_scores("Not worth the price.")["compound"] < 0
    assert sia.polarity_scores("Wasn't happy with the quality, sent it back.")["compound"] < 0


def test_nltk_list_is_nltks_english_list():
    assert len(NLTK_ENGLISH) == len(set(NLTK_ENGLISH)) == 179
    assert NLTK_ENGLISH[:8] == ("i", "me", "my", "myself", "we", "our", "ours", "ourselves")
    assert NLTK_ENGLISH[-2:] == ("wouldn", "wouldn't")
    assert {"not", "no", "nor", "don't", "should've", "that'll"} <= set(NLTK_ENGLISH)


KERNEL_CELL = r"""
import json, socket
def _no_net(*a, **k):
    raise RuntimeError("network access attempted")
socket.socket.connect = _no_net
socket.create_connection = _no_net
import sys
from nltk.corpus import stopwords
from nltk.sentiment import SentimentIntensityAnalyzer
words = stopwords.words("english")
print(json.dumps({"n": len(words), "first": words[0], "course_utils_imported": "course_utils" in sys.modules,
                  "compound": SentimentIntensityAnalyzer().polarity_scores("I love it")["compound"]}))
"""


@pytest.mark.slow
def test_standard_nltk_calls_work_in_a_course_kernel_without_course_utils(tmp_path, monkeypatch):
    """After the documented set-up, a python3 kernel started like the course starts it (nbclient,
    the kernel JupyterLab and nbgrader use) runs the tutorials' calls offline, without importing
    course_utils and without NLTK_DATA or a ~/nltk_data folder."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    setup = subprocess.run(
        [sys.executable, "-m", "course_tools", "setup", "--quiet"], capture_output=True, text=True, timeout=300
    )
    assert setup.returncode == 0, setup.stderr
    for var in ("NLTK_DATA", "COURSE_NLTK_DATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/nltk_data to fall back on
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(KERNEL_CELL)])
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(tmp_path / "kernel")
    NotebookClient(
        nb, config=config, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")
    result = json.loads(text.strip().splitlines()[-1])
    assert result == {"n": 179, "first": "i", "course_utils_imported": False, "compound": result["compound"]}
    assert result["compound"] > 0.3
