"""Corpus-scale benchmark: the whole pipeline against the PDF readers'
limits, on the corpus documents rendered to PDF many times over.

    make bench                      # at least 2,000 pages, 3 rounds
    make bench PAGES=300 ROUNDS=1   # a quick run
    .venv/bin/python benchmarks/bench.py --pages N [--rounds N] [--corpus DIR]

Measures, each in its own process, wall time and peak memory (RSS summed
over the process and its children, sampled every 50 ms):
  (a) zhenggai extract --jobs 1 and --jobs <cores>
  (b) baseline: pdfplumber extract_text() of every page, nothing else
  (c) floor: pypdfium2 raw text of every page, nothing else; and, to show
      how the machine itself scales, the same split over <cores> processes;
      and, for reference, the floor with PDFium's built-in fonts instead of
      the machine's, as the pipeline's workers read (extract/pdf.py,
      ignore_system_fonts)
then a re-run with nothing changed, the peak memory of a corpus half the
size, and the time of each stage (read, clean, parse, normalize, output)
inside one process on each distinct document (CPU time, steady state).

Times on a small shared machine move by 10-30% from one minute to the
next, so the runs are repeated in rounds (--rounds, default 3), each
round running them one after another; a ratio is taken within each
round, and the median round is reported with the range. (b) runs in every
round too, right after (a) with --jobs 1, although it takes longer than
all the others together: run once, it took 99 s in one invocation and
107 s in the next, and the ratio moved with it.

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
from collections import defaultdict
from pathlib import Path
from statistics import median

import psutil

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
DEFAULT_CORPUS = Path(os.environ.get("ZHENGGAI_CORPUS", "/work/shared/corpus"))
DEFAULT_PAGES = 2000
STAGES = ("read", "clean", "parse", "normalize", "output")
# The targets of the issue (batch conversion at corpus scale).
TARGET_VS_BASELINE = 10.0  # (a) at least this many times faster than (b)
TARGET_VS_FLOOR = 1.5  # (a) per core at most this many times slower than (c)
TARGET_OWN_SHARE = 0.10  # parse + normalize + output under this share of the total
FLAT_MEMORY = 1.25  # full corpus peak memory at most this times the half corpus's
BUILTIN_FONTS_FLOOR = "pypdfium2-builtin-fonts"  # the floor with the fonts the workers read with


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


def corpus_sets(per_set: int, pages: int) -> int:
    """How many copies of the rendered documents (``per_set`` pages) make
    a corpus of at least ``pages`` pages."""
    return max(2, -(-pages // per_set))


def copies_per_part(distinct: int, sets: int) -> int:
    """How many copies of each of ``distinct`` documents one part file of
    a run over ``sets`` copies holds (a run commits PART_SIZE documents at a
    time)."""
    from zhenggai.output.dataset import PART_SIZE

    return max(1, min(distinct * sets, PART_SIZE) // distinct)


def build_corpus(pages: int, corpus: Path) -> tuple[Path, Path, int, int]:
    """Copies of the rendered documents until ``pages`` pages, in whole sets;
    each copy's bytes differ (a trailing PDF comment), as distinct files'
    do. Returns (full dir, half dir, full pages, half pages)."""
    base = render_base(corpus)
    per_set = sum(page_count(pdf) for pdf in base)
    sets = corpus_sets(per_set, pages)
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


def read_all(reader: str, folder: Path, processes: int = 1) -> None:
    """(b) and (c): every page's text, nothing else, the files split over
    ``processes`` forked processes."""
    pdfs = sorted(folder.glob("*.pdf"))
    if reader == BUILTIN_FONTS_FLOOR:
        import pypdfium2.raw

        # extract.pdf.ignore_system_fonts's one call, made here: importing
        # zhenggai would add its start-up to the floor's time.
        pypdfium2.raw.FPDF_SetSystemFontInfo(None)
    if processes == 1:
        _read_pdfs(reader, pdfs)
        return
    children = []
    for k in range(processes):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _read_pdfs(reader, pdfs[k::processes])
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]  # every child waited for
    if any(codes):
        raise SystemExit(f"a reading process failed (exit codes {codes})")


def _read_pdfs(reader: str, pdfs: list[Path]) -> None:
    for pdf in pdfs:
        if reader == "pdfplumber":
            import pdfplumber

            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    page.extract_text()
                    page.close()
        else:
            import pypdfium2

            doc = pypdfium2.PdfDocument(pdf)
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            doc.close()


def stage_times(pdfs: list[Path], passes: int, part_copies: int) -> dict[str, float]:
    """CPU seconds in each stage over the distinct documents, in this
    process, in steady state: after a first pass over the same documents,
    as a worker is after its first documents (imports done, vocabularies
    and patterns compiled, set up as a worker: set_up_as_worker). CPU
    time, not wall time, so that other work on the machine moves the shares
    less; each stage's least time over ``passes`` passes, as other work
    only ever adds time. The Parquet parts are written as a run writes
    them, for ``part_copies`` copies of the documents (copies_per_part),
    and counted per copy."""
    set_up_as_worker()
    _stage_pass(pdfs, part_copies)
    timed = [_stage_pass(pdfs, part_copies) for _ in range(passes)]
    return {stage: min(t[stage] for t in timed) for stage in STAGES}


def set_up_as_worker() -> None:
    """This process as a worker is when its first document comes: what the
    parent loads before forking, then the worker's own settings (its
    garbage collector, PDFium's built-in fonts)."""
    from zhenggai.batch import set_up_worker, warm_up
    from zhenggai.pipeline import Options

    warm_up(Options())
    set_up_worker()


def _stage_pass(pdfs: list[Path], part_copies: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        totals, outputs = document_stages(pdfs, Path(tmp))
        t0 = time.process_time()
        write_parts(outputs, part_copies, Path(tmp))
        # A part's fixed cost is shared by the documents of the batch, as
        # many in this batch of copies as in the run's.
        totals["output"] += (time.process_time() - t0) / part_copies
    return totals


def document_stages(pdfs: list[Path], folder: Path) -> tuple[dict[str, float], list]:
    """CPU seconds of each stage over the documents, done one after another
    as a worker does (JSON files written to ``folder``), and their outputs."""
    from zhenggai.extract import clean, read_source
    from zhenggai.model import SourceInfo
    from zhenggai.normalize import normalize
    from zhenggai.output import DocumentRow, document_output
    from zhenggai.parsers import parse
    from zhenggai.pipeline import Options

    options = Options()
    totals = dict.fromkeys(STAGES, 0.0)
    outputs = []
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
        outputs.append(document_output(row, folder / "x.json"))
        t5 = time.process_time()
        for stage, seconds in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            totals[stage] += seconds
    return totals, outputs


def write_parts(outputs: list, part_copies: int, folder: Path) -> None:
    """As a run commits a batch, with the run's own Dataset: Arrow rows,
    unit counts and one part per table (documents and units too), here for
    ``part_copies`` copies of the documents' outputs under paths of their
    own. The copies carry no JSON file: writing it is the document's
    output stage, counted once each."""
    from dataclasses import replace

    from zhenggai.output.dataset import Dataset

    with tempfile.TemporaryDirectory(dir=folder) as out, Dataset(Path(out), part_size=len(outputs) * part_copies) as dataset:
        for copy in range(part_copies):
            for output in outputs:
                dataset.add(replace(output, row={**output.row, "path": f"{copy}/{output.row['path']}"}, json_file=None))
        dataset.commit()


# --- report ----------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def cjk_fonts() -> str:
    """The Chinese fonts installed, as fontconfig lists them. The corpus's
    font (reportlab's STSong-Light) is not embedded: the floor's PDFium
    measures its glyphs with an installed Chinese font, or with its own
    fallback when there is none, and with a Chinese font that measuring is
    most of the floor's time. The pipeline's workers always use the
    fallback (extract/pdf.py, ignore_system_fonts)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown (no fc-list)"
    return ", ".join(sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})) or "none"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _spread(values: list[float], unit: str = "x") -> str:
    """The median and, over several rounds, the range."""
    if len(values) == 1:
        return f"{values[0]:.2f}{unit}"
    return f"{median(values):.2f}{unit} ({min(values):.2f}-{max(values):.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=DEFAULT_PAGES, help=f"at least this many pages (default {DEFAULT_PAGES})")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .txt documents to render")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the runs (default 3)")
    ap.add_argument("--read-only", choices=["pdfplumber", "pypdfium2", BUILTIN_FONTS_FLOOR], help=argparse.SUPPRESS)
    ap.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.read_only:
        read_all(args.read_only, args.folder, args.processes)
        return 0
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")

    full, half, pages, half_pages = build_corpus(args.pages, args.corpus)
    cores = os.cpu_count() or 1
    zhenggai = [str(Path(sys.executable).with_name("zhenggai")), "extract"]
    this = [sys.executable, str(Path(__file__).resolve())]
    print(f"machine: {cores} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"corpus: {len(list(full.glob('*.pdf')))} PDFs, {pages} pages ({full})")
    print(f"Chinese fonts installed: {cjk_fonts()}  (the floor (c) measures the corpus's glyphs with one; the workers use PDFium's built-in fonts)")
    print(f"load average before: {_load()}  (other work on the machine slows every number below)")
    runs: dict[str, list[tuple[float, int]]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            out = Path(tmp) / f"round-{round_}"
            runs["a1"].append(measure([*zhenggai, str(full), "-o", str(out / "a1"), "-q", "--jobs", "1"]))
            runs["b"].append(measure([*this, "--read-only", "pdfplumber", str(full)]))
            runs["an"].append(measure([*zhenggai, str(full), "-o", str(out / "an"), "-q", "--jobs", str(cores)]))
            runs["re-run"].append(measure([*zhenggai, str(full), "-o", str(out / "an"), "-q", "--jobs", str(cores)]))
            runs["c"].append(measure([*this, "--read-only", "pypdfium2", str(full)]))
            runs["cn"].append(measure([*this, "--read-only", "pypdfium2", "--processes", str(cores), str(full)]))
            runs["cb"].append(measure([*this, "--read-only", BUILTIN_FONTS_FLOOR, str(full)]))
            shutil.rmtree(out)
        runs["half"].append(measure([*zhenggai, str(half), "-o", str(Path(tmp) / "half"), "-q", "--jobs", str(cores)]))
    seconds = {key: [t for t, _ in measured] for key, measured in runs.items()}
    peak = {key: max(m for _, m in measured) for key, measured in runs.items()}

    print(f"load average after the runs: {_load()}")
    print(f"\n{args.rounds} rounds of every run; seconds: the median round (range); peak memory: the highest")
    print(f"{'run':<34} {'seconds':>18} {'pages/s':>8} {'per core':>9} {'peak memory':>12}")
    rows = [
        ("(a) pipeline --jobs 1", "a1", 1),
        (f"(a) pipeline --jobs {cores}", "an", cores),
        ("(b) pdfplumber extract_text", "b", 1),
        ("(c) pypdfium2 raw text", "c", 1),
        (f"(c) pypdfium2 raw text, {cores} processes", "cn", cores),
        ("(c) pypdfium2, built-in fonts", "cb", 1),
    ]
    for label, key, used in rows:
        rate = pages / median(seconds[key])
        print(f"{label:<34} {_spread(seconds[key], ''):>18} {rate:>8.1f} {rate / used:>9.1f} {_mb(peak[key]):>12}")

    # Ratios within each round: the runs of a round met the same machine.
    vs_baseline_1 = [b / a for a, b in zip(seconds["a1"], seconds["b"])]
    vs_baseline_n = [b / a for a, b in zip(seconds["an"], seconds["b"])]
    vs_floor_1 = [a / c for a, c in zip(seconds["a1"], seconds["c"])]
    vs_floor_n = [a * cores / c for a, c in zip(seconds["an"], seconds["c"])]
    vs_floor_nn = [a / c for a, c in zip(seconds["an"], seconds["cn"])]
    vs_floor_builtin = [a / c for a, c in zip(seconds["a1"], seconds["cb"])]
    print(f"\n(a)/(b) speed: {_spread(vs_baseline_1)} with --jobs 1, {_spread(vs_baseline_n)} with --jobs {cores}"
          f"  (target ≥ {TARGET_VS_BASELINE:g}x: {_verdict(median(vs_baseline_1) >= TARGET_VS_BASELINE)} on one core,"
          f" {_verdict(median(vs_baseline_n) >= TARGET_VS_BASELINE)} on {cores})")
    print(f"(c)/(a) time per core: {_spread(vs_floor_1)} with --jobs 1, {_spread(vs_floor_n)} with --jobs {cores}"
          f"  (target ≤ {TARGET_VS_FLOOR:g}x: {_verdict(median(vs_floor_1) <= TARGET_VS_FLOOR)} with --jobs 1,"
          f" {_verdict(median(vs_floor_n) <= TARGET_VS_FLOOR)} with --jobs {cores})")
    print(f"  for reference, --jobs {cores} against the floor on {cores} processes (the machine's own scaling"
          f" taken out): {_spread(vs_floor_nn)}")
    print(f"  for reference, --jobs 1 against the floor with PDFium's built-in fonts, as the pipeline's workers"
          f" read (the same PDFium work): {_spread(vs_floor_builtin)}")

    rerun = [first / again for first, again in zip(seconds["an"], seconds["re-run"])]
    print(f"re-run with nothing changed: {_spread(seconds['re-run'], ' s')} vs {_spread(seconds['an'], ' s')}"
          f" first run ({median(rerun):.0f}x faster)")
    half_peak, full_peak = peak["half"], peak["an"]
    flat = full_peak <= FLAT_MEMORY * half_peak
    print(f"peak memory --jobs {cores}: {_mb(half_peak)} for {half_pages} pages, {_mb(full_peak)} for {pages} pages"
          f" ({full_peak / half_peak:.2f}x: {'flat' if flat else 'NOT flat'})")

    distinct = render_base(args.corpus)
    sets = len(list(full.glob("*.pdf"))) // len(distinct)
    part_copies = copies_per_part(len(distinct), sets)
    times = stage_times(distinct, args.rounds, part_copies)
    total = sum(times.values())
    print(f"\nstages in one process over the {len(distinct)} distinct documents"
          f" (CPU time, steady state, least of {args.rounds} passes; Parquet parts of"
          f" {part_copies * len(distinct)} documents, as the run's):")
    for stage in STAGES:
        print(f"  {stage:<10} {times[stage]:>7.2f} s {times[stage] / total:>7.1%}")
    own = (times["parse"] + times["normalize"] + times["output"]) / total
    print(f"parse + normalize + output: {own:.1%} of the total (target < {TARGET_OWN_SHARE:.0%}: {_verdict(own < TARGET_OWN_SHARE)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
