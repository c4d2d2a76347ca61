"""A re-run with nothing changed, at corpus scale: many inputs of
megabytes, where reading every input to hash it is the cost.

    .venv/bin/python benchmarks/rerun.py [--files 1000] [--megabytes 2] [--rounds 3]

Builds FILES copies of the smallest corpus document rendered to PDF, each
carrying an attachment of MEGABYTES random bytes (notices as published run
to megabytes; an attachment adds bytes to read, not pages to convert),
converts them once with all cores, then times `zhenggai extract` over the
same inputs with nothing changed:
  re-run             inputs known by their stat (the hash memo): none is read
  re-run --checksum  every input read and hashed, as every re-run did before
with a warm page cache and, when run as root on Linux, a cold one (the
kernel's caches dropped before the run). Times are the median of the
rounds, run one after another.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the corpus renderer, next to this file

from zhenggai.output.dataset import RACY_NS  # noqa: E402

DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def build_inputs(files: int, megabytes: float) -> Path:
    """FILES PDFs (cached in benchmarks/.cache), each with its own bytes."""
    from pypdf import PdfWriter

    folder = bench.CACHE / f"rerun-{files}x{megabytes:g}MB"
    if len(list(folder.glob("*.pdf"))) == files:
        return folder
    smallest = min(bench.render_base(bench.DEFAULT_CORPUS), key=lambda pdf: pdf.stat().st_size)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(files):
        writer = PdfWriter(clone_from=smallest)
        writer.add_attachment("data.bin", os.urandom(int(megabytes * 2**20)))
        with open(folder / f"{k:05d}.pdf", "wb") as fh:
            writer.write(fh)
    # A file changed within the racy margin of its reading is not memoized:
    # wait it out, as inputs published before a run are.
    time.sleep(RACY_NS / 1e9)
    return folder


def can_drop_caches() -> bool:
    return os.geteuid() == 0 and os.access(DROP_CACHES, os.W_OK)


def timed(command: list[str], *, cold: bool) -> float:
    if cold:
        os.sync()
        DROP_CACHES.write_text("3\n")
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--megabytes", type=float, default=2.0, help="attachment size per file")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    inputs = build_inputs(args.files, args.megabytes)
    size = sum(p.stat().st_size for p in inputs.glob("*.pdf"))
    cores = os.cpu_count() or 1
    zhenggai = [str(Path(sys.executable).with_name("zhenggai")), "extract", str(inputs), "-q", "--jobs", str(cores)]
    caches = ["warm", "cold"] if can_drop_caches() else ["warm"]
    print(f"inputs: {args.files} PDFs, {size / 2**30:.2f} GB ({inputs})")
    with tempfile.TemporaryDirectory() as tmp:
        out = ["-o", str(Path(tmp) / "out")]
        first = timed([*zhenggai, *out], cold=False)
        print(f"first run --jobs {cores}: {first:.2f} s")
        if not can_drop_caches():
            print("(not root: warm page cache only)")
        for label, extra in (("re-run", []), ("re-run --checksum", ["--checksum"])):
            for cache in caches:
                seconds = median(timed([*zhenggai, *out, *extra], cold=cache == "cold") for _ in range(args.rounds))
                print(f"{label:<18} {cache}: {seconds:6.2f} s  ({first / seconds:.0f}x faster than the first run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
