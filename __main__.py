"""The ``zhenggai`` command (``python -m zhenggai``): :func:`cli.main` in a
process set up for one command.

This module imports nothing of the package's until the collector is
switched off: see :func:`console`.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from typing import NoReturn


def console() -> NoReturn:
    """Run the command, then exit without the interpreter's teardown.

    The cyclic garbage collector is off while the command's modules load:
    the libraries' hundreds of thousands of objects set off full
    collections again and again, 50 ms of a 0.35 s start-up, though all of
    them live as long as the process. Loaded, they are frozen (no collection
    looks at them again) and the collector is on for the command's own work.

    Freeing one by one every object of the loaded libraries and vocabularies
    at exit took 0.2-0.3 s, a quarter of a re-run with nothing to do.
    Nothing is lost by skipping it: what a command writes is closed and
    synced, its worker processes stopped and its temporary files removed
    before main returns. An exception still exits the usual way, with its
    traceback."""
    # numpy (which pyarrow imports) starts OpenBLAS's threads, which spin
    # for a while, 0.1 s of CPU a command: nothing here multiplies
    # matrices. Set before numpy is imported, or it has no effect.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.disable()
    from .cli import main

    gc.freeze()
    gc.enable()
    code = main()
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: the status the interpreter gives it
        code = 120
    os._exit(code)


if __name__ == "__main__":
    console()
