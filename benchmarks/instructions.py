"""Instructions per page: where times on a shared machine move by 10–30%
from one minute to the next, instruction counts repeat exactly, so a
change to the pipeline's speed is judged by them.

    .venv/bin/python benchmarks/instructions.py

Valgrind's callgrind counts the instructions of one steady-state pass over
the distinct corpus documents (the PDFs `make bench` renders), after a
warm-up pass, for:
  floor     pypdfium2 raw text of every page, as (c) in bench.py
  read      the PDF reader (read_source)
  pipeline  read, clean, parse, normalize and output, as bench.py's stage
            times measure them (with the garbage collector of a worker, and
            Parquet parts of as many documents as `make bench`'s run writes)
Needs valgrind (Debian's valgrind package); each pass takes about a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import bench

PASSES = ("floor", "read", "pipeline")


def _pass(name: str, pdfs: list[Path], part_copies: int) -> None:
    if name == "floor":
        bench.read_all("pypdfium2", pdfs[0].parent)
    elif name == "read":
        from zhenggai.extract import read_source

        for path in pdfs:
            read_source(path)
    else:
        bench._stage_pass(pdfs, part_copies)


def _counted(name: str) -> None:
    """Inside valgrind: warm up, switch counting on, run the pass."""
    pdfs = bench.render_base(bench.DEFAULT_CORPUS)
    sets = bench.corpus_sets(sum(bench.page_count(pdf) for pdf in pdfs), bench.DEFAULT_PAGES)
    part_copies = bench.copies_per_part(len(pdfs), sets)
    if name == "pipeline":
        from zhenggai.batch import collect_garbage_for_documents

        _pass(name, pdfs, part_copies)
        collect_garbage_for_documents()
    _pass(name, pdfs, part_copies)
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, stdout=subprocess.DEVNULL)
    time.sleep(1)  # the switch takes effect at valgrind's next check
    _pass(name, pdfs, part_copies)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--counted":
        _counted(sys.argv[2])
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("instructions.py needs valgrind (apt-get install valgrind)")
    pdfs = bench.render_base(bench.DEFAULT_CORPUS)
    pages = sum(bench.page_count(pdf) for pdf in pdfs)
    print(f"{len(pdfs)} distinct documents, {pages} pages; million instructions per page:")
    for name in PASSES:
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
             sys.executable, __file__, "--counted", name],
            capture_output=True, text=True, check=True,
        )
        collected = int(re.search(r"Collected : (\d+)", run.stderr).group(1))
        print(f"  {name:<9} {collected / pages / 1e6:6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
