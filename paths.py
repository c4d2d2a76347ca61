"""How a filesystem path is written as text in outputs and messages."""

from __future__ import annotations

import os


def path_text(path: os.PathLike | str) -> str:
    """``path`` as text that UTF-8 can hold: itself when its name is UTF-8,
    else with each byte that is not written as ``\\xNN``. A name from an
    archive made on Chinese Windows is GBK, which Python reads into lone
    surrogates that Parquet, JSON files and the terminal refuse."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
