"""Copy a student's answer out of a grading kernel as *data only*.

The grader asks the student's kernel, right after each test cell ran, to
encode the variables that cell tests (``encode``). The text that comes back
is decoded in the grader's own clean process (``decode``) and the test cell
is run again there (see :mod:`course_tools.grading.verify`). Decoding never
runs code: it is JSON with a few tags, so an answer object that lies about
itself (``__eq__`` always True, a ``str`` subclass, a patched ``check``)
turns back into plain data, and the clean re-run judges that data.

The encoder runs inside the student's kernel, so a student could forge its
output; forging it to pass needs the right answer, which is the same as
answering. That is the point: no patching can make a wrong answer pass.

>>> decode(encode({"A": "retention", "n": 3, "share": 0.5, "ok": True}))
{'A': 'retention', 'n': 3, 'share': 0.5, 'ok': True}
>>> class Liar(str):
...     def __eq__(self, other):
...         return True
>>> type(decode(encode(Liar("C01"))))
<class 'str'>
>>> decode(encode(object()))
Unsupported('object')

Beyond plain Python, numpy and pandas data, two kinds of answer are copied
as data because the course's exercises ask for them: SciPy sparse matrices
(CSR/CSC: their three arrays and shape) and scikit-learn's text vectorizers
(``TfidfVectorizer``, ``CountVectorizer``: their parameters, when all are
plain data, and fitted vocabulary and idf). Decoding builds them afresh from
an allow-list of classes; a vectorizer with a callable parameter (a
tokenizer function) stays unsupported.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: Answers larger than this (encoded) are not copied out; the re-check says why.
MAX_CHARS = 20_000_000

#: numpy dtype kinds copied as their raw bytes (base64), not number by number: bool, integers,
#: floats, complex and naive date-times. Decoding reads the bytes back into an array of that dtype
#: (no object dtype, no structured dtype: never code, never a pointer).
BUFFER_KINDS = "biufcM"


class Unsupported:
    """Stands for an answer whose type cannot be copied out as data."""

    def __init__(self, type_name: str, why: str = "") -> None:
        self.type_name = type_name
        self.why = why

    def __repr__(self) -> str:
        return f"Unsupported({self.type_name!r})"


def _type_name(value: Any) -> str:
    t = type(value)
    return f"{t.__module__}.{t.__qualname__}" if t.__module__ != "builtins" else t.__qualname__


def _float(x: float) -> Any:
    x = float.__float__(x)
    if math.isnan(x):
        return {"__float__": "nan"}
    if math.isinf(x):
        return {"__float__": "inf" if x > 0 else "-inf"}
    return x


def _buffer_dtype(dtype: Any) -> bool:
    """Whether values of ``dtype`` are copied as raw bytes (:data:`BUFFER_KINDS`, a plain numpy dtype)."""
    import numpy as np

    return isinstance(dtype, np.dtype) and dtype.kind in BUFFER_KINDS and dtype.fields is None and not dtype.hasobject


def _enc_buffer(array: Any) -> dict[str, Any]:
    """A numpy array as ``{"__buffer__": base64 of its bytes, "dtype": ..., "shape": ...}``.

    A DataFrame's columns of numbers cost one copy of their bytes instead of one JSON value per
    row (the 100,000-row Series of ``01-wrangling``: 0.9 s in the kernel with date-times as text).
    """
    import base64

    import numpy as np

    data = np.ascontiguousarray(array)
    return {
        "__buffer__": base64.b64encode(data.tobytes()).decode("ascii"),
        "dtype": data.dtype.str,
        "shape": list(data.shape),
    }


def _dec_buffer(data: dict[str, Any]) -> Any:
    """The array :func:`_enc_buffer` wrote; a dtype outside :data:`BUFFER_KINDS` or a wrong size raises."""
    import base64

    import numpy as np

    dtype = np.dtype(str(data["dtype"]))
    if not _buffer_dtype(dtype):
        raise ValueError(f"not a dtype copied as bytes: {dtype}")
    raw = base64.b64decode(str(data["__buffer__"]), validate=True)
    shape = tuple(int(n) for n in data["shape"])
    if len(raw) != dtype.itemsize * math.prod(shape):
        raise ValueError("the bytes do not match the shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _enc_values(values: Any, depth: int) -> Any:
    """A Series' or column's values: raw bytes for numbers, bools and date-times, else one JSON value each."""
    if _buffer_dtype(values.dtype):
        return _enc_buffer(values.to_numpy())
    return _enc(values.tolist(), depth + 1)


def _enc_index(index: Any, depth: int) -> Any:
    """An index: a RangeIndex as its three numbers, an index of numbers as bytes, else its values one by one.

    All three decode to what the values one by one decode to (a RangeIndex to an index of int64).
    """
    import pandas as pd

    if not len(index):  # an empty index as before (its dtype comes from the empty list)
        return _enc(index.tolist(), depth + 1)
    if type(index) is pd.RangeIndex:
        return {"__range__": [int(index.start), int(index.stop), int(index.step)]}
    if type(index) is pd.Index and index.dtype.kind in "biuf" and _buffer_dtype(index.dtype):
        return _enc_buffer(index.to_numpy())
    return _enc(index.tolist(), depth + 1)


def _enc(value: Any, depth: int = 0) -> Any:  # noqa: C901 - one branch per supported type
    if depth > 50:
        return {"__unsupported__": "nested too deeply"}
    t = type(value)
    if value is None or t is bool:
        return value
    if t is int:
        return int.__int__(value)
    if t is float:
        return _float(value)
    if t is str:
        return str.__str__(value)
    if t is complex:
        return {"__complex__": [_float(value.real), _float(value.imag)]}
    if t in (list, tuple, set, frozenset):
        items = list(value)
        if t in (set, frozenset):
            try:
                items = sorted(items, key=repr)
            except Exception:
                pass
        return {"__" + t.__name__ + "__": [_enc(v, depth + 1) for v in items]}
    if t is dict:
        return {"__dict__": [[_enc(k, depth + 1), _enc(v, depth + 1)] for k, v in dict.items(value)]}
    module = t.__module__.split(".")[0]
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.ndarray) and value.dtype.kind in "biufcUSMm":
            return {
                "__ndarray__": _enc_buffer(value) if _buffer_dtype(value.dtype) else _enc(value.tolist(), depth + 1),
                "dtype": str(value.dtype),
                "shape": list(value.shape),
            }
        if isinstance(value, np.generic) and value.dtype.kind in "biufUSMm":
            return {"__npscalar__": _enc(value.item(), depth + 1), "dtype": str(value.dtype)}
    if module == "pandas":
        import pandas as pd

        if t is pd.Series:
            return {
                "__series__": _enc_values(value, depth),
                "index": _enc_index(value.index, depth),
                "name": _enc(value.name, depth + 1),
                "dtype": str(value.dtype),
            }
        if t is pd.DataFrame:
            return {
                "__dataframe__": [
                    [_enc(c, depth + 1), _enc_values(value[c], depth), str(value[c].dtype)] for c in value.columns
                ],
                "index": _enc_index(value.index, depth),
            }
        if t is pd.Timestamp:
            return {"__timestamp__": value.isoformat()}
    if module == "scipy":
        import scipy.sparse as sp

        if t in (sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array):
            return {
                "__sparse__": t.__name__,
                "shape": list(value.shape),
                "data": _enc(value.data, depth + 1),
                "indices": _enc(value.indices, depth + 1),
                "indptr": _enc(value.indptr, depth + 1),
            }
    if module == "pyspark" and _is_spark_frame(value):
        return _enc_spark_frame(value, depth)
    if module == "sklearn" and t.__module__ == "sklearn.feature_extraction.text" and t.__name__ in VECTORIZERS:
        return _enc_vectorizer(value, depth)
    # Subclasses of plain types become the plain type (their data, not their tricks).
    for base in (bool, int, float, str):
        if isinstance(value, base):
            return {
                "__subclass__": _type_name(value),
                "value": _enc(base(value) if base is not str else str.__str__(value), depth + 1),
            }
    return {"__unsupported__": _type_name(value)}


#: scikit-learn text vectorizers copied out by parameters and fitted state
VECTORIZERS = ("TfidfVectorizer", "CountVectorizer")
_PLAIN = (type(None), bool, int, float, str)


def _enc_vectorizer(value: Any, depth: int) -> Any:
    import numpy as np

    params = dict(value.get_params(deep=False))
    dtype = params.pop("dtype", None)
    for key, v in params.items():
        items = list(v) if type(v) in (list, tuple, frozenset, set) else [v]
        if key == "vocabulary" and type(v) is dict:
            items = [*v.keys(), *v.values()]
        if not all(type(i) in _PLAIN for i in items):
            return {"__unsupported__": f"{_type_name(value)} with a {type(v).__name__} as {key}"}
    out: dict[str, Any] = {
        "__vectorizer__": type(value).__name__,
        "params": _enc(params, depth + 1),
        "dtype": np.dtype(dtype).name if dtype is not None else None,
    }
    if hasattr(value, "vocabulary_"):
        out["vocabulary_"] = _enc({str(k): int(i) for k, i in value.vocabulary_.items()}, depth + 1)
        if getattr(value, "use_idf", False) and hasattr(value, "_tfidf") and hasattr(value._tfidf, "idf_"):
            out["idf_"] = _enc(np.asarray(value.idf_, dtype=float), depth + 1)
    return out


def _dec_vectorizer(data: dict[str, Any]) -> Any:
    import numpy as np
    from sklearn.feature_extraction import text

    if data["__vectorizer__"] not in VECTORIZERS:
        return Unsupported(str(data["__vectorizer__"]))
    params = _dec(data["params"])
    if type(params) is not dict or any(isinstance(v, Unsupported) for v in params.values()):
        return Unsupported(str(data["__vectorizer__"]))
    if data.get("dtype"):
        params["dtype"] = np.dtype(data["dtype"]).type
    vec = getattr(text, data["__vectorizer__"])(**params)
    if "vocabulary_" in data:
        vec.vocabulary_ = {str(k): int(i) for k, i in _dec(data["vocabulary_"]).items()}
        vec.fixed_vocabulary_ = params.get("vocabulary") is not None
    if "idf_" in data:
        vec.idf_ = np.asarray(_dec(data["idf_"]), dtype=float)
    return vec


def _is_spark_frame(value: Any) -> bool:
    from pyspark.sql import DataFrame

    return isinstance(value, DataFrame)


def _enc_spark_frame(value: Any, depth: int) -> Any:
    """A Spark DataFrame as its :class:`~course_utils.questions.m07_spark.FrameCopy` (runs in the kernel)."""
    from course_utils.questions.m07_spark import MAX_COPY_ROWS, copy_frame

    copy = copy_frame(value)
    if copy.more_rows:
        return {"__unsupported__": f"{_type_name(value)} of more than {MAX_COPY_ROWS:,} rows"}
    return {
        "__sparkframe__": [_enc(c, depth + 1) for c in copy.columns],
        "rows": _enc(copy.rows, depth + 1),
        "reads": [_enc(f, depth + 1) for f in copy.reads],
        "driver_built": bool(copy.driver_built),
        "python_udf": bool(copy.python_udf),
        "lineage_lost": bool(copy.lineage_lost),
        "edge": None if copy.edge is None else _enc(copy.edge, depth + 1),
    }


def _dec_spark_frame(data: dict[str, Any]) -> Any:
    """The :class:`~course_utils.questions.m07_spark.FrameCopy` :func:`_enc_spark_frame` wrote; a wrong field raises."""
    import pandas as pd

    from course_utils.questions.m07_spark import FrameCopy

    columns, reads = data["__sparkframe__"], data["reads"]
    rows, edge = _dec(data["rows"]), None if data["edge"] is None else _dec(data["edge"])
    if not (type(columns) is list and all(type(c) is str for c in columns)):
        raise ValueError("the copy's columns are not names")
    if not (type(reads) is list and all(type(f) is str for f in reads)):
        raise ValueError("the copy's files are not paths")
    if type(rows) is not pd.DataFrame or [str(c) for c in rows.columns] != columns:
        raise ValueError("the copy's rows are not a table of its columns")
    if edge is not None and type(edge) is not pd.DataFrame:
        raise ValueError("the copy's edge rows are not a table")
    facts = [data["driver_built"], data["python_udf"], data["lineage_lost"]]
    if any(type(f) is not bool for f in facts):
        raise ValueError("the copy's facts are not true or false")
    driver, udf, lost = facts
    return FrameCopy(tuple(columns), rows, False, tuple(reads), driver, udf, edge, lost)


def encode(value: Any) -> str:
    """Encode ``value`` as JSON text (runs in the student's kernel)."""
    try:
        text = json.dumps(_enc(value), allow_nan=False)
    except Exception as err:  # a strange object: say so instead of crashing the kernel
        text = json.dumps({"__unsupported__": f"{_type_name(value)} ({type(err).__name__})"})
    if len(text) > MAX_CHARS:
        return json.dumps({"__unsupported__": f"{_type_name(value)} larger than {MAX_CHARS:,} characters"})
    return text


def _dec(data: Any) -> Any:  # noqa: C901
    if not isinstance(data, dict):
        if isinstance(data, list):  # only inside tagged containers
            return [_dec(v) for v in data]
        return data
    if "__float__" in data:
        return float(data["__float__"])
    if "__complex__" in data:
        re, im = (_dec(v) for v in data["__complex__"])
        return complex(re, im)
    for tag, kind in (("__list__", list), ("__tuple__", tuple), ("__set__", set), ("__frozenset__", frozenset)):
        if tag in data:
            return kind(_dec(v) for v in data[tag])
    if "__dict__" in data:
        return {_dec(k): _dec(v) for k, v in data["__dict__"]}
    if "__subclass__" in data:
        return _dec(data["value"])
    if "__ndarray__" in data:
        import numpy as np

        return np.array(_dec(data["__ndarray__"]), dtype=data["dtype"]).reshape(data["shape"])
    if "__npscalar__" in data:
        import numpy as np

        return np.array(_dec(data["__npscalar__"]), dtype=data["dtype"])[()]
    if "__buffer__" in data:
        return _dec_buffer(data)
    if "__range__" in data:
        import numpy as np

        start, stop, step = (int(n) for n in data["__range__"])
        return np.arange(start, stop, step, dtype="int64")
    if "__series__" in data:
        import pandas as pd

        return pd.Series(_dec(data["__series__"]), index=_dec(data["index"]), name=_dec(data["name"])).astype(
            data["dtype"]
        )
    if "__dataframe__" in data:
        import pandas as pd

        columns = {}
        for c, v, dt in data["__dataframe__"]:
            values = _dec(v)
            if not isinstance(values, list):  # copied as bytes (an array): as a list of its values would give
                columns[_dec(c)] = pd.Series(values).astype(dt)
            else:
                columns[_dec(c)] = pd.Series(values, dtype=None).astype(dt) if values else pd.Series([], dtype=dt)
        frame = pd.DataFrame({k: v.to_numpy() if len(v) else v for k, v in columns.items()})
        frame.index = pd.Index(_dec(data["index"])) if len(frame) else frame.index
        for c, _, dt in data["__dataframe__"]:
            frame[_dec(c)] = frame[_dec(c)].astype(dt)
        return frame
    if "__sparse__" in data:
        import numpy as np
        import scipy.sparse as sp

        matrix_type: Any = {
            "csr_matrix": sp.csr_matrix,
            "csc_matrix": sp.csc_matrix,
            "csr_array": sp.csr_array,
            "csc_array": sp.csc_array,
        }.get(str(data["__sparse__"]))
        if matrix_type is None:
            return Unsupported(str(data["__sparse__"]))
        parts = (np.asarray(_dec(data[k])) for k in ("data", "indices", "indptr"))
        return matrix_type(tuple(parts), shape=tuple(int(n) for n in data["shape"]))
    if "__vectorizer__" in data:
        return _dec_vectorizer(data)
    if "__sparkframe__" in data:
        return _dec_spark_frame(data)
    if "__timestamp__" in data:
        import pandas as pd

        return pd.Timestamp(data["__timestamp__"])
    if "__unsupported__" in data:
        return Unsupported(str(data["__unsupported__"]))
    return Unsupported("untagged dict")


def decode(text: str) -> Any:
    """Decode what :func:`encode` produced (runs in the grader; never runs code)."""
    return _dec(json.loads(text))
