"""nbgrader add-ons the course's ``nbgrader_config.py`` uses.

:class:`ClearTestTracebacks` closes a leak found while testing this course:
nbgrader's ``ClearHiddenTests`` removes hidden tests from a test cell's
*source*, but a failing test cell's *traceback* (kept in the feedback)
prints the surrounding source lines, hidden tests included. This
preprocessor keeps only ``ErrorName: message`` for test cells, which is
exactly what the checks are written to say. The checks' own verdicts
(:class:`course_utils.exercise.CheckFeedback`) already read "Incorrect: ..."
or "You have not answered yet...", so they keep their message alone.

>>> from nbformat.v4 import new_code_cell, new_notebook, new_output
>>> cell = new_code_cell("q1.check()", metadata={"nbgrader": {"grade": True, "solution": False}})
>>> cell.outputs = [
...     new_output("error", ename="Incorrect", evalue="Incorrect: no", traceback=["secret = 1", "Incorrect: no"]),
...     new_output("error", ename="AssertionError", evalue="", traceback=["assert secret == 1"])]
>>> nb, _ = ClearTestTracebacks().preprocess(new_notebook(cells=[cell]), {})
>>> [o.traceback for o in nb.cells[0].outputs]
[['Incorrect: no'], ['AssertionError: ']]
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

#: ``ename`` of the checks' verdicts, whose message is the whole feedback (see course_utils.exercise).
CHECK_VERDICTS = frozenset({"Incorrect", "NotAttempted"})


class ClearTestTracebacks(Preprocessor):
    """Replace tracebacks of autograded test cells by their one-line error."""

    # nbconvert preprocessors are off unless enabled; nbgrader registers them
    # without enabling, so this one is on by default.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell: Any, resources: dict[str, Any], index: int) -> tuple[Any, dict[str, Any]]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
                    output["traceback"] = [evalue] if ename in CHECK_VERDICTS and evalue else [f"{ename}: {evalue}"]
        return cell, resources
