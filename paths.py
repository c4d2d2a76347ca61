"""How a filesystem path is written as text in outputs and messages."""

from __future__ import annotations

import os
import re

# What path_text writes for a byte that is not UTF-8 (\xNN) or for a
# backslash of an escaped path (\\).
_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|\\)")


def path_text(path: os.PathLike | str) -> str:
    """``path`` as text that UTF-8 can hold, one text per path: the path
    itself when it is UTF-8, else with each byte that is not written as
    ``\\xNN``. A name from an archive made on Chinese Windows is GBK,
    which Python reads into lone surrogates that Parquet, JSON files and
    the terminal refuse.

    An escaped path has its own backslashes doubled, and so has a UTF-8
    path that holds what reads as an escape (a literal ``\\xff`` or
    ``\\\\``): without that, the file named ``a\\xff.txt`` and the one
    named by the bytes ``a``, 0xFF, ``.txt`` were one path in the output,
    and one's rows replaced the other's."""
    raw = os.fsencode(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")
    return text.replace("\\", "\\\\") if _ESCAPE.search(text) else text
