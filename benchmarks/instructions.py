"""Instructions per page: where times on a shared machine move by 10–30%
from one minute to the next, instruction counts repeat exactly, so a
change to the pipeline's speed is judged by them.

    .venv/bin/python benchmarks/instructions.py

Valgrind's callgrind counts the instructions of one steady-state pass over
the distinct corpus documents (the PDFs `make bench` renders), after a
warm-up pass, for:
  floor     pypdfium2 raw text of every page, as (c) in bench.py
  read      the PDF reader (read_source), in a process set up as a worker
            (bench.set_up_as_worker: its garbage collector and fonts)
  pipeline  read, clean, parse, normalize and output, as bench.py's stage
            times measure them (set up as a worker too):
            each document's stages, plus its share of writing a Parquet
            part of as many documents as `make bench`'s run writes in one
Needs valgrind (Debian's valgrind package); each pass takes about a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Callable

import bench

PASSES = ("floor", "read", "documents", "parts")


def _counted(name: str) -> None:
    """Inside valgrind: warm up, switch counting on, run the pass once."""
    pdfs = bench.render_base(bench.DEFAULT_CORPUS)
    with tempfile.TemporaryDirectory() as tmp:
        if name != "floor":
            bench.set_up_as_worker()
        run = _pass(name, pdfs, Path(tmp))
        run()
        run()
        subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, stdout=subprocess.DEVNULL)
        time.sleep(1)  # the switch takes effect at valgrind's next check
        run()


def _pass(name: str, pdfs: list[Path], folder: Path) -> Callable[[], object]:
    if name == "floor":
        return partial(bench.read_all, "pypdfium2", pdfs[0].parent)
    if name == "read":
        from zhenggai.extract import read_source

        return lambda: [read_source(path) for path in pdfs]
    if name == "documents":
        return partial(bench.document_stages, pdfs, folder)
    _, outputs = bench.document_stages(pdfs, folder)
    return partial(bench.write_parts, outputs, _part_copies(pdfs), folder)


def _part_copies(pdfs: list[Path]) -> int:
    """Copies of the documents in one part of `make bench`'s run."""
    sets = bench.corpus_sets(sum(bench.page_count(pdf) for pdf in pdfs), bench.DEFAULT_PAGES)
    return bench.copies_per_part(len(pdfs), sets)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--counted":
        _counted(sys.argv[2])
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("instructions.py needs valgrind (apt-get install valgrind)")
    pdfs = bench.render_base(bench.DEFAULT_CORPUS)
    pages = sum(bench.page_count(pdf) for pdf in pdfs)
    copies = _part_copies(pdfs)
    print(f"{len(pdfs)} distinct documents, {pages} pages; million instructions per page:")
    counts = {}
    for name in PASSES:
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
             sys.executable, __file__, "--counted", name],
            capture_output=True, text=True, check=True,
        )
        counts[name] = int(re.search(r"Collected : (\d+)", run.stderr).group(1)) / pages / 1e6
    # A part's writing is shared by the copies it holds, as in the run.
    pipeline = counts["documents"] + counts["parts"] / copies
    print(f"  floor     {counts['floor']:6.1f}")
    print(f"  read      {counts['read']:6.1f}")
    print(f"  pipeline  {pipeline:6.1f}  (each document {counts['documents']:.1f}, its share of"
          f" a part of {copies * len(pdfs)} documents {counts['parts'] / copies:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
