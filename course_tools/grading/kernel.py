"""jupyter_client's kernel manager and client with their fixed waits shortened, for grading kernels.

A grading kernel starts in about a second (forked from the zygote) and most notebooks run in
less than that, so jupyter_client's fixed waits are a visible part of each submission:

- starting: once the kernel has answered ``kernel_info``, :meth:`KernelClient.wait_for_ready`
  drains IOPub until no message has come for 0.2 s, so every start ends with 0.2 s of nothing;
  here the drain stops after :data:`FLUSH_SECONDS` of silence (the kernel's messages about
  ``kernel_info`` came before its reply was read, so they are drained all the same);
- stopping: after the shutdown request the manager polls every 0.1 s whether the kernel has
  exited; here every :data:`POLL_SECONDS`. The time limits (``shutdown_wait_time``, then
  SIGTERM, then SIGKILL) are jupyter_client's own.

Used by :class:`course_tools.grading.execute.GradingExecute` (its default ``kernel_manager_class``);
nothing in site-packages is changed.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async
from traitlets import DottedObjectName, Type

#: Seconds of IOPub silence that end the drain after the kernel is ready (jupyter_client: 0.2).
FLUSH_SECONDS = 0.02
#: Seconds between two checks that a kernel asked to stop has exited (jupyter_client: 0.1).
POLL_SECONDS = 0.01


class GradingKernelClient(AsyncKernelClient):
    """:class:`AsyncKernelClient` whose ready wait ends :data:`FLUSH_SECONDS` after IOPub goes quiet."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        """jupyter_client's ``wait_for_ready`` (a manager's client: no heartbeat wait) with the short drain."""
        abs_timeout = time.time() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply" and await self._iopub_connected():
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > abs_timeout:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:  # drain IOPub
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=FLUSH_SECONDS))
            except Empty:
                break

    async def _iopub_connected(self) -> bool:
        """Has IOPub delivered a message (it is connected)? jupyter_client waits 0.2 s for one, as here."""
        try:
            await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
        except Empty:
            return False
        return True

    wait_for_ready = _async_wait_for_ready


class GradingKernelManager(AsyncKernelManager):
    """:class:`AsyncKernelManager` with :class:`GradingKernelClient` and a :data:`POLL_SECONDS` stop poll."""

    client_class = DottedObjectName("course_tools.grading.kernel.GradingKernelClient", config=True)
    client_factory = Type(GradingKernelClient, klass=AsyncKernelClient, config=True)

    async def _async_finish_shutdown(
        self, waittime: float | None = None, pollinterval: float = POLL_SECONDS, restart: bool = False
    ) -> None:
        """jupyter_client's ``finish_shutdown``, polling every :data:`POLL_SECONDS`."""
        poll = min(pollinterval, POLL_SECONDS)
        await super()._async_finish_shutdown(waittime=waittime, pollinterval=poll, restart=restart)

    finish_shutdown: Any = _async_finish_shutdown
