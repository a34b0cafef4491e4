"""nbgrader add-ons the course's ``nbgrader_config.py`` uses.

:class:`ClearTestTracebacks` closes a leak found while testing this course:
nbgrader's ``ClearHiddenTests`` removes hidden tests from a test cell's
*source*, but a failing test cell's *traceback* (kept in the feedback)
prints the surrounding source lines, hidden tests included. This
preprocessor keeps only ``ErrorName: message`` for test cells, which is
exactly what the checks are written to say.

>>> from nbformat.v4 import new_code_cell, new_notebook, new_output
>>> cell = new_code_cell("q1.check()", metadata={"nbgrader": {"grade": True, "solution": False}})
>>> cell.outputs = [new_output("error", ename="Incorrect", evalue="Incorrect: no", traceback=["secret = 1", "Incorrect: no"])]
>>> nb, _ = ClearTestTracebacks().preprocess(new_notebook(cells=[cell]), {})
>>> nb.cells[0].outputs[0].traceback
['Incorrect: Incorrect: no']
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


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
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
