"""nbgrader's ``Execute`` preprocessor, plus an output cap and answer snapshots.

The grader puts this class in place of ``Execute`` in
``Autograde.autograde_preprocessors`` (in each job's ``nbgrader_config.py``).
Everything else is nbgrader's own code, so scores are computed exactly as
``nbgrader autograde`` computes them.

- **Output cap**: a cell that prints gigabytes would fill the grader's memory
  before the cell time limit stops it; outputs beyond ``output_limit`` bytes
  per cell are dropped and replaced by one line saying so.
- **No hidden tests in the kernel**: a test cell runs with its
  ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` regions cut out
  (:func:`course_tools.grading.verify.visible_part`), so no student code
  (an IPython input transformer, ``In``, a ``pre_run_cell`` hook, a trace or
  audit hook, a patched ``compile``) ever sees them; the cell's full source is
  put back afterwards (the autograded notebook is the instructor's). The
  hidden tests run only in the clean re-run of :mod:`course_tools.grading.verify`.
- **Snapshots**: right after each autograded test cell ran, the variables
  that cell tests are copied out of the kernel as data
  (:mod:`course_tools.grading.snapshot`) into ``snapshot_path`` (JSON), for
  the clean re-run in :mod:`course_tools.grading.verify`.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Dict, Integer, Unicode

from course_tools.grading.verify import visible_part

TRUNCATED = "\n[grader: output of this cell cut at {limit:,} bytes]\n"


class GradingExecute(Execute):
    """``Execute`` with a per-cell output cap and answer snapshots."""

    output_limit = Integer(2_000_000, help="Bytes of output kept per cell (-1: no limit).").tag(config=True)
    snapshot_path = Unicode("", help="Where to write the answer snapshots (JSON); empty: none.").tag(config=True)
    snapshot_vars = Dict({}, help="grade_id -> variable names to copy out after that cell.").tag(config=True)
    snapshot_timeout = Integer(30, help="Seconds to wait for a snapshot.").tag(config=True)
    partial_dir = Unicode(
        "", help="Where to write the partly executed notebook when execution fails; empty: nowhere."
    ).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """nbgrader's ``Execute``; kernels managed by :class:`~course_tools.grading.kernel.GradingKernelManager`."""
        from course_tools.grading.kernel import GradingKernelManager

        kwargs.setdefault("kernel_manager_class", GradingKernelManager)  # shorter fixed waits at start and stop
        super().__init__(*args, **kwargs)

    def preprocess(self, nb: NotebookNode, resources: Any, km: Any = None) -> Any:
        self._out_bytes: dict[int, int] = {}
        self._snapshots: dict[str, Any] = {}
        self._events: list[dict[str, Any]] = []
        self._running: dict[str, Any] = {}
        try:
            return super().preprocess(nb, resources, km=km)
        except BaseException:
            # nbgrader deletes a failed notebook: keep the cells run so far and name the one running
            name = str((resources or {}).get("unique_key") or "notebook")
            if self._running:
                self._events.append({"event": "kernel-died", "notebook": name, **self._running})
            if self.partial_dir:
                import nbformat

                Path(self.partial_dir).mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, Path(self.partial_dir) / f"{name}.ipynb")
            raise
        finally:
            if self.snapshot_path:
                Path(self.snapshot_path).write_text(json.dumps({"snapshots": self._snapshots, "events": self._events}))

    # -- output cap -----------------------------------------------------------
    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int) -> Any:
        if self.output_limit < 0:
            return super().output(outs, msg, display_id, cell_index)
        used = self._out_bytes.get(cell_index, 0)
        if used > self.output_limit:
            return None
        size = len(json.dumps(msg.get("content", {}), default=str))
        self._out_bytes[cell_index] = used + size
        if used + size > self.output_limit:
            self._events.append({"event": "output-truncated", "cell_index": cell_index, "limit": self.output_limit})
            note = NotebookNode(output_type="stream", name="stderr", text=TRUNCATED.format(limit=self.output_limit))
            outs.append(note)
            return note
        return super().output(outs, msg, display_id, cell_index)

    # -- snapshots ------------------------------------------------------------
    async def async_execute_cell(
        self, cell: NotebookNode, cell_index: int, execution_count: int | None = None, store_history: bool = True
    ) -> NotebookNode:
        meta = cell.metadata.get("nbgrader", {})
        full = cell.source
        self._running = {"cell_index": cell_index, "grade_id": meta.get("grade_id")}
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cell.source = visible_part(full)  # the hidden tests never reach the kernel
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            cell.source = full
        self._running = {}
        grade_id = meta.get("grade_id")
        outputs = cell.get("outputs", [])
        for out in outputs:
            if out.get("output_type") == "error" and out.get("ename") in {"CellTimeoutError", "MemoryError"}:
                self._events.append({"event": out["ename"], "cell_index": cell_index, "grade_id": grade_id})
                if out["ename"] == "MemoryError":
                    await self._release_memory()
        if meta.get("grade") and grade_id in self.snapshot_vars and self.snapshot_path:
            self._snapshots[grade_id] = await self._snapshot(self.snapshot_vars[grade_id])
        return cell

    # nbclient binds ``execute_cell`` to its own coroutine at class creation: rebind to ours.
    execute_cell = run_sync(async_execute_cell)

    async def _release_memory(self) -> None:
        """After a MemoryError, drop the traceback IPython keeps (it holds the frames that hold the memory)."""
        code = (
            "import sys, gc\n"
            "for _name in ('last_type', 'last_value', 'last_traceback', 'last_exc'):\n"
            "    setattr(sys, _name, None)\n"
            "del _name\n"
            "gc.collect()\n"
        )
        try:
            msg_id = self.kc.execute(code, silent=True, store_history=False)
            await self._wait_reply(msg_id)
        except Exception:  # a dead kernel: nothing to release
            pass

    async def _snapshot(self, names: list[str]) -> dict[str, Any]:
        assert self.kc is not None
        expr = "__import__('course_tools.grading.snapshot', fromlist=['encode']).encode({})"
        exprs = {n: expr.format(n) for n in names if n.isidentifier()}
        try:
            msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions=exprs)
            reply = await self._wait_reply(msg_id)
        except Exception as err:  # a dead kernel: the cell is already failed
            return {"__error__": f"{type(err).__name__}: {err}"}
        if reply is None:
            return {"__error__": f"no answer from the kernel within {self.snapshot_timeout} s"}
        found = reply["content"].get("user_expressions", {})
        out: dict[str, Any] = {}
        for name in exprs:
            res = found.get(name, {})
            if res.get("status") == "ok":
                text = res.get("data", {}).get("text/plain", "")
                try:
                    out[name] = {"json": ast.literal_eval(text)}
                except (ValueError, SyntaxError):
                    out[name] = {"error": "the kernel returned something that is not a snapshot"}
            else:
                out[name] = {"error": f"{res.get('ename', 'Error')}: {res.get('evalue', '')}"}
        return out

    async def _wait_reply(self, msg_id: str) -> dict[str, Any] | None:
        import asyncio
        from queue import Empty

        from jupyter_core.utils import ensure_async

        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.snapshot_timeout
        while loop.time() < deadline:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=1))
            except Empty:
                if not await ensure_async(self.kc.is_alive()):
                    return None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None
