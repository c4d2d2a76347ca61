"""Seconds per page for each stage (extract, clean, parse, normalize,
output) on the sample PDF and text, so later work knows where time goes.

    make bench            # or: .venv/bin/python benchmarks/bench_stages.py [--repeat N]

Times are medians over repeats of one process on this machine: compare
stages with each other and runs with runs made in the same invocation,
never with a fixed number.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from zhenggai.extract import clean, read_source
from zhenggai.model import SourceInfo
from zhenggai.normalize import normalize
from zhenggai.output import DocumentRow, write_document_json, write_tables
from zhenggai.parsers import parse
from zhenggai.pipeline import Options

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INPUTS = [SAMPLES / "xinjiang_rectification_plan_2022.pdf", SAMPLES / "xinjiang_rectification_plan_2022.txt"]
STAGES = ("read", "clean", "parse", "normalize", "output")


def run_once(path: Path, options: Options, out: Path) -> tuple[dict[str, float], int]:
    times = {}
    t0 = time.perf_counter()
    source = read_source(path)
    t1 = time.perf_counter()
    cleaned = clean(source, options.clean_settings)
    t2 = time.perf_counter()
    info = SourceInfo(path=str(path), sha256=source.sha256, format=source.format)
    parsed = parse(cleaned, info, source.sha256[:16], options.labels)
    t3 = time.perf_counter()
    doc = normalize(parsed)
    t4 = time.perf_counter()
    write_document_json(doc, out / "json" / f"{path.name}.json")
    write_tables([DocumentRow(path=str(path), document=doc)], out)
    t5 = time.perf_counter()
    times.update(read=t1 - t0, clean=t2 - t1, parse=t3 - t2, normalize=t4 - t3, output=t5 - t4)
    return times, source.page_count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    options = Options()
    with tempfile.TemporaryDirectory() as tmp:
        for path in INPUTS:
            runs = [run_once(path, options, Path(tmp)) for _ in range(args.repeat)]
            pages = runs[0][1]
            medians = {s: statistics.median(r[0][s] for r in runs) for s in STAGES}
            total = sum(medians.values())
            print(f"{path.name}: {pages} pages, median of {args.repeat} runs")
            print(f"  {'stage':<10} {'s/page':>10} {'share':>7}")
            for stage in STAGES:
                print(f"  {stage:<10} {medians[stage] / pages:>10.5f} {medians[stage] / total:>7.1%}")
            print(f"  {'total':<10} {total / pages:>10.5f}  ({pages / total:.1f} pages/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
