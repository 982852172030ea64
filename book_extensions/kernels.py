"""Sphinx extension: the chapters' kernels talk to the build over encrypted sockets and stop at once.

Workaround. ipykernel (7.3 and later) warns on every kernel started over
plain TCP, and its graceful shutdown can race with its own output thread and
log an ENOTSOCK traceback (ipykernel pull request 1518 fixed one such race,
https://github.com/ipython/ipykernel/pull/1518). myst-nb offers no setting
for its notebook client, so the one call it makes to execute a notebook
(directly or through jupyter-cache) gets two options: CurveZMQ keys
(``KernelManager.transport_encryption``) and an immediate shutdown. It can
go when myst-nb lets a book configure its notebook client. The same call is
where Ctrl-C is watched during a notebook (``interrupt.during_notebooks``).
"""

from __future__ import annotations

import functools

from . import interrupt

KERNEL_MANAGER_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}


def _configure_kernels() -> None:
    """myst-nb's kernels: CurveZMQ keys (``KernelManager.transport_encryption``), immediate shutdown."""
    import zmq
    from myst_nb.core.execute import cache, direct
    from traitlets.config import Config

    if getattr(direct.single_nb_execution, "course_configured", False):
        return
    execute = direct.single_nb_execution  # the same function as cache.single_nb_execution (jupyter-cache's)

    @functools.wraps(execute)
    def execute_configured(*args, **kwargs):
        if zmq.has("curve"):  # pyzmq's wheels have it; without it, TCP it is (and the kernel warns)
            kwargs.setdefault("config", Config(KERNEL_MANAGER_CONFIG))
        kwargs.setdefault("shutdown_kernel", "immediate")
        return execute(*args, **kwargs)

    execute_configured = interrupt.during_notebooks(execute_configured)
    execute_configured.course_configured = True
    direct.single_nb_execution = cache.single_nb_execution = execute_configured


def setup(app):
    _configure_kernels()
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
