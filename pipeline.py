"""One document through the stages: extract → parse → normalize.

Every failure becomes a ``ZhenggaiError`` with a stable code; nothing else
escapes ``convert_safely`` unless debugging asks for the traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Errors, ZhenggaiError
from .extract import CleanSettings, CleanText, SourceText, clean, read_source
from .model import Document, SourceInfo
from .normalize import normalize
from .parsers import LabelVocabulary, load_labels, parse
from .paths import path_text


@dataclass(frozen=True)
class Options:
    password: str | None = None
    labels: LabelVocabulary = field(default_factory=load_labels)

    @property
    def clean_settings(self) -> CleanSettings:
        return CleanSettings(label_words=self.labels.labels)


@dataclass(frozen=True)
class Stages:
    """What each stage produced for one file (for tests and benchmarks that
    look inside; the command line needs only the document)."""

    source: SourceText
    cleaned: CleanText
    document: Document


def run_stages(
    path: Path, options: Options = Options(), *, display_path: str | None = None, pdf_engine: str = "auto"
) -> Stages:
    """extract → clean → parse → normalize. ``display_path`` is the path the
    document records (default: ``path`` as given); ``pdf_engine`` as for
    read_source. Raises ZhenggaiError."""
    source = read_source(path, password=options.password, pdf_engine=pdf_engine)
    cleaned = clean(source, options.clean_settings)
    info = SourceInfo(path=display_path or path_text(path), sha256=source.sha256, format=source.format)
    parsed = parse(cleaned, info, doc_id=source.sha256[:16], labels=options.labels)
    return Stages(source, cleaned, normalize(parsed))


def convert(path: Path, options: Options = Options()) -> Document:
    """Raises ZhenggaiError."""
    return run_stages(path, options).document


def convert_safely(path: Path, options: Options = Options(), *, debug: bool = False) -> Document | ZhenggaiError:
    try:
        return convert(path, options)
    except ZhenggaiError as exc:
        return exc
    except MemoryError:
        raise  # the batch runner's memory limit speaks for the document (too_large)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
        if debug:
            raise
        return ZhenggaiError(Errors.internal_error, path, exc_type=type(exc).__name__, detail=str(exc)[:200])
