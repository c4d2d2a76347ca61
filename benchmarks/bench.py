"""Corpus-scale benchmark: the whole pipeline against the PDF readers'
limits, on the corpus documents rendered to PDF many times over.

    make bench               # at least 2,000 pages
    make bench PAGES=300     # a quick run
    .venv/bin/python benchmarks/bench.py --pages N [--corpus DIR]

Measures, each in its own process, wall time and peak memory (RSS summed
over the process and its children, sampled every 50 ms):
  (a) zhenggai extract --jobs 1 and --jobs <cores>
  (b) baseline: pdfplumber extract_text() of every page, nothing else
  (c) floor: pypdfium2 raw text of every page, nothing else
then a re-run with nothing changed, the peak memory of a corpus half the
size, and the time of each stage (read, clean, parse, normalize, output)
inside one process on each distinct document (CPU time, steady state).

The generated PDFs are cached in benchmarks/.cache (not in git). Times
depend on the machine and on whatever else runs on it: compare numbers
from the same invocation, never with a fixed number.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
DEFAULT_CORPUS = Path(os.environ.get("ZHENGGAI_CORPUS", "/work/shared/corpus"))
STAGES = ("read", "clean", "parse", "normalize", "output")
# The targets of the issue (batch conversion at corpus scale).
TARGET_VS_BASELINE = 10.0  # (a) at least this many times faster than (b)
TARGET_VS_FLOOR = 1.5  # (a) per core at most this many times slower than (c)
TARGET_OWN_SHARE = 0.10  # parse + normalize + output under this share of the total
FLAT_MEMORY = 1.25  # full corpus peak memory at most this times the half corpus's


# --- corpus ----------------------------------------------------------------


def render_base(corpus: Path) -> list[Path]:
    """Each corpus text rendered once to PDF with the samples' renderer."""
    sys.path.insert(0, str(ROOT / "samples"))
    import make_samples

    base = CACHE / "base"
    base.mkdir(parents=True, exist_ok=True)
    sources = sorted(corpus.glob("*.txt")) or sorted((ROOT / "samples").glob("*.txt"))
    targets = [base / f"{source.stem}.pdf" for source in sources]
    if not all(t.is_file() for t in targets):
        make_samples.register_fonts()
        for source, target in zip(sources, targets):
            make_samples.render(make_samples.original_paragraphs(source), target)
    return targets


def page_count(pdf: Path) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def build_corpus(pages: int, corpus: Path) -> tuple[Path, Path, int, int]:
    """Copies of the rendered documents until ``pages`` pages, in whole sets;
    each copy's bytes differ (a trailing PDF comment), as distinct files'
    do. Returns (full dir, half dir, full pages, half pages)."""
    base = render_base(corpus)
    per_set = sum(page_count(pdf) for pdf in base)
    sets = max(2, -(-pages // per_set))
    full, half = CACHE / f"corpus-{sets}x" / "full", CACHE / f"corpus-{sets}x" / "half"
    if not full.is_dir():
        for d in (full, half):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
        for k in range(sets):
            for pdf in base:
                target = full / f"{k:03d}_{pdf.name}"
                target.write_bytes(pdf.read_bytes() + f"%zhenggai-bench copy {k}\n".encode())
                if k < sets // 2:
                    os.link(target, half / target.name)
    return full, half, sets * per_set, (sets // 2) * per_set


# --- measuring -------------------------------------------------------------


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of a command and its children."""
    start = time.perf_counter()
    proc = psutil.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        rss = 0
        for p in [proc, *_children(proc)]:
            try:
                rss += p.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, rss)
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1: some inputs are errors
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}")
    return elapsed, peak


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children(recursive=True)
    except psutil.Error:
        return []


def read_all(reader: str, folder: Path) -> int:
    """(b) and (c): every page's text, nothing else. Returns pages read."""
    pages = 0
    for pdf in sorted(folder.glob("*.pdf")):
        if reader == "pdfplumber":
            import pdfplumber

            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    page.extract_text()
                    page.close()
                    pages += 1
        else:
            import pypdfium2

            doc = pypdfium2.PdfDocument(pdf)
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
                pages += 1
            doc.close()
    return pages


def stage_times(pdfs: list[Path]) -> dict[str, float]:
    """CPU seconds in each stage over the distinct documents, in this
    process, in steady state: after a first pass over the same documents,
    as a worker is after its first documents (imports done, vocabularies
    and patterns compiled, the garbage collector set as in a worker). CPU
    time, not wall time, so that other work on the machine moves the shares
    less."""
    from zhenggai.batch import collect_garbage_for_documents

    _stage_pass(pdfs)
    collect_garbage_for_documents()
    return _stage_pass(pdfs)


def _stage_pass(pdfs: list[Path]) -> dict[str, float]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from zhenggai.extract import clean, read_source
    from zhenggai.model import SourceInfo
    from zhenggai.normalize import normalize
    from zhenggai.output import DocumentRow, document_output, tables
    from zhenggai.parsers import parse
    from zhenggai.pipeline import Options

    options = Options()
    totals = dict.fromkeys(STAGES, 0.0)
    outputs = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in pdfs:
            t0 = time.process_time()
            source = read_source(path)
            t1 = time.process_time()
            cleaned = clean(source, options.clean_settings)
            t2 = time.process_time()
            info = SourceInfo(path=str(path), sha256=source.sha256, format=source.format)
            parsed = parse(cleaned, info, source.sha256[:16], options.labels)
            t3 = time.process_time()
            doc = normalize(parsed)
            t4 = time.process_time()
            row = DocumentRow(path=str(path), document=doc, json_path="json/x.json")
            outputs.append(document_output(row, Path(tmp) / "x.json"))
            t5 = time.process_time()
            for stage, seconds in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                totals[stage] += seconds
        # As a run does: one part per table for the whole batch.
        t0 = time.process_time()
        for spec in tables.DOCUMENT_TABLES:
            rows = [r for output in outputs for r in output.tables[spec.name]]
            pq.write_table(pa.Table.from_pylist(rows, schema=spec.schema), Path(tmp) / "part")
        totals["output"] += time.process_time() - t0
    return totals


# --- report ----------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000, help="at least this many pages (default 2000)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .txt documents to render")
    ap.add_argument("--read-only", choices=["pdfplumber", "pypdfium2"], help=argparse.SUPPRESS)
    ap.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.read_only:
        print(read_all(args.read_only, args.folder))
        return 0

    full, half, pages, half_pages = build_corpus(args.pages, args.corpus)
    cores = os.cpu_count() or 1
    zhenggai = [str(Path(sys.executable).with_name("zhenggai")), "extract"]
    print(f"machine: {cores} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"corpus: {len(list(full.glob('*.pdf')))} PDFs, {pages} pages ({full})")
    print(f"load average before: {_load()}  (other work on the machine slows every number below)")
    results: dict[str, tuple[float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results["a jobs 1"] = measure([*zhenggai, str(full), "-o", str(out / "a1"), "-q", "--jobs", "1"])
        results[f"a jobs {cores}"] = measure([*zhenggai, str(full), "-o", str(out / "an"), "-q", "--jobs", str(cores)])
        results["re-run"] = measure([*zhenggai, str(full), "-o", str(out / "an"), "-q", "--jobs", str(cores)])
        results["half"] = measure([*zhenggai, str(half), "-o", str(out / "half"), "-q", "--jobs", str(cores)])
    this = [sys.executable, str(Path(__file__).resolve())]
    results["b pdfplumber"] = measure([*this, "--read-only", "pdfplumber", str(full)])
    results["c pypdfium2"] = measure([*this, "--read-only", "pypdfium2", str(full)])

    print(f"load average after the runs: {_load()}")
    print(f"\n{'run':<28} {'seconds':>8} {'pages/s':>8} {'per core':>9} {'peak memory':>12}")
    rows = [
        ("(a) pipeline --jobs 1", "a jobs 1", 1),
        (f"(a) pipeline --jobs {cores}", f"a jobs {cores}", cores),
        ("(b) pdfplumber extract_text", "b pdfplumber", 1),
        ("(c) pypdfium2 raw text", "c pypdfium2", 1),
    ]
    rate = {}
    for label, key, used in rows:
        seconds, peak = results[key]
        rate[key] = pages / seconds
        print(f"{label:<28} {seconds:>8.1f} {rate[key]:>8.1f} {rate[key] / used:>9.1f} {_mb(peak):>12}")

    a1, an, b, c = rate["a jobs 1"], rate[f"a jobs {cores}"], rate["b pdfplumber"], rate["c pypdfium2"]
    print(f"\n(a)/(b) speed: {a1 / b:.2f}x with --jobs 1, {an / b:.2f}x with --jobs {cores}"
          f"  (target ≥ {TARGET_VS_BASELINE:g}x: {_verdict(a1 / b >= TARGET_VS_BASELINE)} on one core,"
          f" {_verdict(an / b >= TARGET_VS_BASELINE)} on {cores})")
    print(f"(c)/(a) time per core: {c / a1:.2f}x with --jobs 1, {c / (an / cores):.2f}x with --jobs {cores}"
          f"  (target ≤ {TARGET_VS_FLOOR:g}x: {_verdict(c / a1 <= TARGET_VS_FLOOR)} with --jobs 1,"
          f" {_verdict(c / (an / cores) <= TARGET_VS_FLOOR)} with --jobs {cores})")

    first, rerun = results[f"a jobs {cores}"][0], results["re-run"][0]
    print(f"re-run with nothing changed: {rerun:.1f} s vs {first:.1f} s first run ({first / rerun:.0f}x faster)")
    half_peak, full_peak = results["half"][1], results[f"a jobs {cores}"][1]
    flat = full_peak <= FLAT_MEMORY * half_peak
    print(f"peak memory --jobs {cores}: {_mb(half_peak)} for {half_pages} pages, {_mb(full_peak)} for {pages} pages"
          f" ({full_peak / half_peak:.2f}x: {'flat' if flat else 'NOT flat'})")

    times = stage_times(render_base(args.corpus))
    total = sum(times.values())
    print(f"\nstages in one process over the {len(render_base(args.corpus))} distinct documents (CPU time, steady state):")
    for stage in STAGES:
        print(f"  {stage:<10} {times[stage]:>7.2f} s {times[stage] / total:>7.1%}")
    own = (times["parse"] + times["normalize"] + times["output"]) / total
    print(f"parse + normalize + output: {own:.1%} of the total (target < {TARGET_OWN_SHARE:.0%}: {_verdict(own < TARGET_OWN_SHARE)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
