"""Repair extracted text and join wrapped lines into paragraphs, keeping a
map from every cleaned character back to its original page, line and column.

Repairs, in order:
1. page furniture: page-number footers ("— 66 —", "第 3 页", a bare "15"), running
   headers and footers repeated on most pages, blank lines;
2. per line: full-width digits and letters to half-width, stray spaces
   next to Chinese text ("2022 年 9 月底" → "2022年9月底"), ASCII
   punctuation inside Chinese text to full width;
3. wrapped lines joined into paragraphs: Chinese lines join without a space;
   a short line ends a paragraph; a numbered item, an indented line or a
   field label starts one;
4. per paragraph: markup fragments of some converters ("PM_{2.5}",
   "$\\mu\\text{g}/\\text{m}^3$", "O₃", data/markup.tsv), wrong glyphs from
   broken font maps (data/glyphs.tsv) and sentences printed twice by
   fake-bold rendering.

A line holding tabs is a table row as some converters write tables: its
tabs are kept (they separate the cells, leading ones included) and it is a
paragraph of its own.

Every repair that removes characters only drops their map entries; a glyph
replacement is one character for one; a markup rewrite maps each character
it writes to the source character it comes from (the fragment's first when
it is new), so every offset still maps to its page and line.

Accounting: every non-whitespace character of the input is either mapped
(a cleaned character's ``origin_line``/``origin_column`` points at it, and
the cleaned character is the input's or its one-for-one replacement from
``substitutions()``), or listed in ``CleanText.removed`` (page furniture,
the second copy of a duplicated sentence, the parts of a markup fragment
its rewrite does not keep). Whitespace is layout: it is dropped, or kept as
one space between two non-Chinese characters (a tab in a table row), mapped
to the input's whitespace. The "\n" between paragraphs, the space joining
two Latin lines and the characters a markup rewrite adds are the cleaner's
own.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import chain

import numpy as np
import regex

from ..errors import Warnings
from ..model import Diagnostic, Span, TextRun
from . import markers
from .source import PhysicalLine, SourceText

PAGE_NUMBER_LINE = regex.compile(
    r"^\s*(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
# A line holding only a number is a page number in plain text (a table cell
# would carry its row's tabs).
BARE_PAGE_NUMBER_LINE = regex.compile(r"^[ \u3000]*\d{1,4}[ \u3000]*$")
_PAGE_NUMBER = regex.compile(f"{PAGE_NUMBER_LINE.pattern}|{BARE_PAGE_NUMBER_LINE.pattern}")
# What every page number starts with, in the standard library's engine: it
# rules out a line of text several times faster than _PAGE_NUMBER does. Its
# \s takes every character regex's \s takes; regex knows digits of newer
# Unicode versions, all outside the BMP, so those characters all pass.
_PAGE_NUMBER_START = re.compile(r"\s*[—–\-－第\d\U00010000-\U0010ffff]")
_CJK = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7]")
_HAN = regex.compile(r"\p{Han}")
# Patterns without Unicode properties use the standard library's engine:
# it runs them several times faster than ``regex``.
# A sentence printed twice in a row (group 1 its first copy), at the start
# of a paragraph or after a sentence or clause mark. The sentence's run of
# characters is possessive: none of them can end it, so giving some back
# never helps, and the mark is matched, not looked behind, so that the
# engine scans for the marks instead of trying every position.
_SENTENCE_TWICE = r"([^。！？；\n]{4,60}+[。！？])\1"
_SENTENCE_TWICE_AT_START = re.compile(_SENTENCE_TWICE)
_SENTENCE_TWICE_AFTER_MARK = re.compile(r"[。！？；、：]" + _SENTENCE_TWICE)
_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()}
_FULLWIDTH_ALNUM.update({"％": "%", "\u3000": " ", "\u00a0": " "})
_TO_FULLWIDTH_IN_CJK = {"(": "（", ")": "）"}
_TO_FULLWIDTH_BETWEEN_CJK = {",": "，", ";": "；", ":": "："}
# Characters _normalize_line decides on one by one: whitespace (as
# str.isspace sees it), characters it converts, "．".
_DECIDED = (
    "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
    + "".join(_FULLWIDTH_ALNUM)
    + "．"
    + "".join(_TO_FULLWIDTH_IN_CJK)
    + "".join(_TO_FULLWIDTH_BETWEEN_CJK)
)
_NEEDS_DECISION = re.compile(f"[{re.escape(_DECIDED)}]")
# The same but the plain space: a line with none of these only has spaces
# to decide on (most lines that need a decision: "2022 年 9 月底").
_NEEDS_DECISION_BUT_SPACE = re.compile(f"[{re.escape(_DECIDED.replace(' ', ''))}]")
_WORD = re.compile("[^ ]+")
# Characters counted as half a full-width character in a line's width.
_NARROW = regex.compile(r"[\x00-\u1fff]")


@dataclass(frozen=True)
class GlyphRule:
    wrong: str
    right: str
    rule: str  # always | opens:X | closes:X | between_letters
    why: str


@lru_cache(maxsize=1)
def glyph_rules() -> tuple[GlyphRule, ...]:
    rules = []
    text = resources.files(__package__).joinpath("data/glyphs.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        wrong, right, rule, why = line.split("\t")
        if len(wrong) != 1 or len(right) != 1:
            raise ValueError(f"glyphs.tsv: replacements must be one character for one: {line!r}")
        if not (rule in ("always", "between_letters") or rule.startswith(("opens:", "closes:"))):
            raise ValueError(f"glyphs.tsv: unknown rule {rule!r}")
        rules.append(GlyphRule(wrong, right, rule, why))
    by_wrong = {r.wrong: r for r in rules}
    for r in rules:
        if r.rule.startswith(("opens:", "closes:")):
            kind, partner = r.rule.split(":", 1)
            expected = "closes" if kind == "opens" else "opens"
            if by_wrong.get(partner) is None or by_wrong[partner].rule != f"{expected}:{r.wrong}":
                raise ValueError(f"glyphs.tsv: {r.wrong!r} {r.rule} needs a row {partner!r} {expected}:{r.wrong}")
    return tuple(rules)


@dataclass(frozen=True)
class MarkupRule:
    pattern: regex.Pattern
    replacement: str
    why: str


@lru_cache(maxsize=1)
def _any_markup() -> regex.Pattern:
    """Matches where any markup rule does: one search tells whether a
    paragraph needs the rules at all. A branch reset numbers each rule's
    groups from 1, so back references inside a rule keep their meaning."""
    return regex.compile("(?|" + "|".join(f"(?:{rule.pattern.pattern})" for rule in markup_rules()) + ")")


@lru_cache(maxsize=1)
def markup_rules() -> tuple[MarkupRule, ...]:
    rules = []
    text = resources.files(__package__).joinpath("data/markup.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, replacement, why = line.split("\t")
        rules.append(MarkupRule(regex.compile(pattern), replacement, why))
    return tuple(rules)


@dataclass(frozen=True)
class CleanSettings:
    """How the cleaner decides paragraph breaks.

    label_words: field labels ("责任单位", …) that start a new paragraph when
    a line begins with one followed by a colon.
    short_line_gap: a line that ends this many character widths before the
    text column's right edge ends its paragraph (PDF geometry).
    plain_short_line_gap: the same for plain text, where widths are only
    estimated from character counts (full-width 1, ASCII 0.5), so the
    margin is wider.
    paragraph_indent: a line indented this many character widths starts a
    paragraph (PDF only).
    header_min_pages: a line repeated at the top or bottom of at least this
    many pages (and of half the pages) is a running header or footer.
    """

    label_words: tuple[str, ...] = ()
    short_line_gap: float = 1.5
    plain_short_line_gap: float = 3.5
    paragraph_indent: float = 1.5
    header_min_pages: int = 3

    def __post_init__(self) -> None:
        if self.short_line_gap <= 0 or self.plain_short_line_gap <= 0:
            raise ValueError("short line gaps must be positive")
        if self.paragraph_indent <= 0:
            raise ValueError("paragraph_indent must be positive")
        if self.header_min_pages < 2:
            raise ValueError("header_min_pages must be at least 2")
        if any(not w for w in self.label_words):
            raise ValueError("label_words must not contain empty strings")


def substitutions() -> frozenset[tuple[str, str]]:
    """Every (input character, cleaned character) replacement the cleaner
    may make, one character for one."""
    pairs = set(_FULLWIDTH_ALNUM.items()) | {("．", ".")}
    pairs |= set(_TO_FULLWIDTH_IN_CJK.items()) | set(_TO_FULLWIDTH_BETWEEN_CJK.items())
    pairs |= {(rule.wrong, rule.right) for rule in glyph_rules()}
    return frozenset(pairs)


@dataclass(frozen=True)
class Removal:
    """Input characters the cleaner dropped or rewrote on purpose:
    ``physical[line]``'s columns ``[start, end)``; ``reason`` is
    "page_furniture" (page numbers, running headers and footers),
    "duplicated_text" (a sentence's second copy) or "markup" (a markup
    fragment; the characters its rewrite wrote map into these columns)."""

    line: int
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class CleanCell:
    """A table cell's text: ``text[start:end]`` (empty when start == end),
    its paragraphs separated by newlines."""

    row: int
    col: int
    start: int
    end: int


@dataclass
class CleanTable:
    """A table of the source, row 0 its header, as offsets into the text."""

    cells: list[CleanCell]

    @property
    def start(self) -> int:
        return min(cell.start for cell in self.cells)

    @property
    def end(self) -> int:
        return max(cell.end for cell in self.cells)

    def rows(self) -> list[list[CleanCell]]:
        out: dict[int, list[CleanCell]] = {}
        for cell in self.cells:
            out.setdefault(cell.row, []).append(cell)
        return [out[r] for r in sorted(out)]


@dataclass
class CleanText:
    """Cleaned text: paragraphs joined by "\\n", with a per-character map to
    the physical line (index into ``physical``) and column it came from."""

    text: str
    physical: list[PhysicalLine]
    origin_line: array
    origin_column: array
    page_count: int
    warnings: list[Diagnostic] = field(default_factory=list)
    tables: list[CleanTable] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)

    def paragraphs(self) -> list[tuple[int, str]]:
        """(start offset, text) of every paragraph."""
        out, offset = [], 0
        for para in self.text.split("\n"):
            out.append((offset, para))
            offset += len(para) + 1
        return out

    def span(self, start: int, end: int) -> Span:
        """Evidence for text[start:end] (end exclusive, end > start)."""
        if not (0 <= start < end <= len(self.text)):
            raise ValueError(f"bad span [{start}, {end}) for text of length {len(self.text)}")
        first = self.physical[self.origin_line[start]]
        last = self.physical[self.origin_line[end - 1]]
        return _covering(start, end, first, last)

    def runs(self) -> list[TextRun]:
        """Run-length encoding of the character map (newlines excluded): a
        run ends where the next character comes from another line or
        another column than the next one, and at every newline."""
        n = len(self.text)
        if not n:
            return []
        # Vectorized: a document of one 5 MB line is one long run.
        newline = np.frombuffer(self.text.encode("utf-32-le"), dtype="<u4") == ord("\n")
        lines, cols = np.asarray(self.origin_line), np.asarray(self.origin_column)
        breaks = np.ones(n, dtype=bool)
        breaks[1:] = (lines[1:] != lines[:-1]) | (cols[1:] != cols[:-1] + 1) | newline[1:] | newline[:-1]
        starts = np.flatnonzero(breaks)
        ends = np.append(starts[1:], n)
        text_runs = ~newline[starts]
        starts, ends = starts[text_runs], ends[text_runs]
        physical = self.physical
        return [
            _run_from_line(start, end, physical[i], column)
            for start, end, i, column in zip(starts.tolist(), ends.tolist(), lines[starts].tolist(), cols[starts].tolist())
        ]


# Looked up once: attributes of a model class are slow to look up.
_covering = Span.covering
_run_from_line = TextRun.from_line


# The character map is kept as runs while the text is built: [line,
# first column, length] for characters that come from consecutive columns
# of one input line. Repairs that move characters work on the map spelled
# out character by character (_expand) and turn it back into runs.
_Run = list[int]


@dataclass(slots=True)
class _Line:
    index: int  # into SourceText.lines
    text: str  # the normalized line
    runs: list[_Run]  # its character map
    right_gap: float | None
    indent: float | None
    # Whether right_gap was measured (PDF) or estimated from the text.
    measured: bool
    ends_paragraph: bool
    # A converter's table row: tabs kept as cell separators.
    is_table: bool = False

    @property
    def has_han(self) -> bool:
        # Asked of few lines. Normalizing never adds or drops a Chinese
        # character, so the normalized text answers for the input line.
        return _HAN.search(self.text) is not None


@dataclass
class _Paragraph:
    text: str
    runs: list[_Run]


def _add_run(runs: list[_Run], line: int, column: int, length: int) -> None:
    """Map ``length`` more characters to ``line`` from ``column`` on: the
    last run grows when they continue it."""
    if runs and runs[-1][0] == line and runs[-1][1] + runs[-1][2] == column:
        runs[-1][2] += length
    else:
        runs.append([line, column, length])


def _expand(runs: list[_Run]) -> tuple[list[int], list[int]]:
    """The line and the column of each character."""
    lines: list[int] = []
    cols: list[int] = []
    for line, column, length in runs:
        lines.extend([line] * length)
        cols.extend(range(column, column + length))
    return lines, cols


def _runs_of(lines: list[int], cols: list[int]) -> list[_Run]:
    runs: list[_Run] = []
    for line, col in zip(lines, cols):
        _add_run(runs, line, col, 1)
    return runs


def _char_map(runs: list[_Run], length: int) -> tuple[array, array]:
    """origin_line and origin_column of a text of ``length`` characters."""
    table = np.fromiter(chain.from_iterable(runs), dtype=np.int64, count=3 * len(runs)).reshape(-1, 3)
    lines, first_cols, lengths = table[:, 0], table[:, 1], table[:, 2]
    run_starts = np.cumsum(lengths) - lengths
    origin_line = np.repeat(lines, lengths)
    origin_column = np.arange(length) - np.repeat(run_starts - first_cols, lengths)
    return array("i", origin_line.astype(np.intc).tobytes()), array("i", origin_column.astype(np.intc).tobytes())


def clean(source: SourceText, settings: CleanSettings = CleanSettings()) -> CleanText:
    in_table = {i for table in source.tables for i in table.line_indices()}
    furniture = _furniture(source.lines, settings, in_table)
    kept = {
        i: line
        for i, phys in enumerate(source.lines)
        if i not in furniture and phys.text.strip()
        for line in [_normalize_line(i, phys)]
        if line.text
    }
    _estimate_right_gaps([line for i, line in kept.items() if i not in in_table], source.lines)
    label_start = markers.label_start(settings.label_words)

    # Blocks of paragraphs in reading order: runs of prose lines, and each
    # table cell on its own, so that text never joins across cells.
    blocks: list[tuple[tuple[int, int, int] | None, list[_Paragraph]]] = []
    table_at = {min(t.line_indices()): k for k, t in enumerate(source.tables) if t.line_indices()}
    prose: list[_Line] = []
    for i in range(len(source.lines)):
        if i in table_at:
            blocks.append((None, _join(prose, settings, label_start)))
            prose = []
            joined: set[int] = set()
            for cell in source.tables[table_at[i]].cells:
                cell_lines = [kept[j] for j in cell.lines if j in kept]
                if joined.intersection(cell.lines):
                    # A cell merged down over several rows is each row's
                    # (the PDF reader gives them its lines): its text is
                    # written again, from copies of the character map that
                    # joining and repairs extend in place.
                    cell_lines = [replace(line, runs=[list(run) for run in line.runs]) for line in cell_lines]
                joined.update(cell.lines)
                blocks.append(((table_at[i], cell.row, cell.col), _join(cell_lines, settings, label_start)))
        elif i in kept and i not in in_table:
            prose.append(kept[i])
    blocks.append((None, _join(prose, settings, label_start)))

    warnings: list[Diagnostic] = list(source.notes)
    removed = [Removal(i, 0, len(source.lines[i].text), "page_furniture") for i in sorted(furniture)]
    texts: list[str] = []
    length = 0  # of the text so far, "\n"s included
    runs: list[_Run] = []
    duplicate_offsets = []
    cells: dict[int, list[CleanCell]] = {}
    for where, paragraphs in blocks:
        start = length + 1 if length and paragraphs else length
        for para in paragraphs:
            _repair_markup(para, removed)
            _repair_glyphs(para)
            dups = _drop_duplicate_sentences(para, removed)
            if length:
                # The newline maps to the column after the last character.
                texts.append("\n")
                length += 1
                runs[-1][2] += 1
            duplicate_offsets.extend((length + at, sentence) for at, sentence in dups)
            texts.append(para.text)
            length += len(para.text)
            runs.extend(para.runs)
        if where is not None:
            table, row, col = where
            cells.setdefault(table, []).append(CleanCell(row, col, start, length if paragraphs else start))
    origin_line, origin_column = _char_map(runs, length)
    result = CleanText(
        text="".join(texts),
        physical=source.lines,
        origin_line=origin_line,
        origin_column=origin_column,
        page_count=source.page_count,
        warnings=warnings,
        tables=[CleanTable(cells[k]) for k in sorted(cells)],
        removed=list(dict.fromkeys(removed)),  # a repeated cell's repairs are listed once
    )
    for at, sentence in duplicate_offsets:
        warnings.append(
            Diagnostic(
                code=Warnings.duplicated_text.code,
                message=Warnings.duplicated_text.format(text=sentence),
                span=result.span(at, at + len(sentence)),
            )
        )
    return result


_WHITESPACE_RUN = regex.compile(r"\s+")
_DIGIT_RUN = regex.compile(r"\d+")


def _furniture(lines: list[PhysicalLine], settings: CleanSettings, in_table: set[int]) -> set[int]:
    """Indices of page numbers and running headers/footers (never a table
    cell's line: a header row repeated on every page is the table's)."""
    out = {
        i
        for i, line in enumerate(lines)
        if i not in in_table and _PAGE_NUMBER_START.match(line.text) and _PAGE_NUMBER.match(line.text)
    }
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if i not in out and i not in in_table and line.text.strip():
            by_page.setdefault(line.page, []).append(i)
    if len(by_page) < settings.header_min_pages:
        return out
    pages_with: dict[str, set[int]] = {}
    edge_indices: dict[str, list[int]] = {}
    for page, indices in by_page.items():
        # A header is the first line of a page, a footer the last; a
        # sentence is never one.
        for i in {indices[0], indices[-1]}:
            if lines[i].text.rstrip()[-1] in markers.TERMINAL_PUNCT:
                continue
            key = _DIGIT_RUN.sub("#", _WHITESPACE_RUN.sub("", lines[i].text))
            pages_with.setdefault(key, set()).add(page)
            edge_indices.setdefault(key, []).append(i)
    need = max(settings.header_min_pages, len(by_page) / 2)
    for key, pages in pages_with.items():
        if len(pages) >= need:
            out.update(edge_indices[key])
    return out


@lru_cache(maxsize=4096)
def _is_cjk(ch: str) -> bool:
    # Asked character by character; the few distinct characters of a
    # document are answered from the cache, not by the regex engine.
    return _CJK.match(ch) is not None


def _normalize_line(index: int, phys: PhysicalLine) -> _Line:
    raw = phys.text
    is_table = "\t" in raw
    if _NEEDS_DECISION.search(raw) is None:
        # Most lines: nothing to convert or drop.
        text, runs = raw, [[index, 0, len(raw)]]
    elif _NEEDS_DECISION_BUT_SPACE.search(raw) is None:
        text, runs = _join_words(raw, index)
    else:
        text, runs = _normalize_text(raw, index, is_table)
    return _Line(
        index,
        text,
        runs,
        phys.right_gap,
        phys.indent,
        phys.right_gap is not None,
        phys.ends_paragraph,
        is_table,
    )


def _join_words(raw: str, index: int) -> tuple[str, list[_Run]]:
    """_normalize_text for a line whose only characters to decide on are
    spaces, word by word: a run of spaces between two words becomes one
    space when neither side is Chinese, else nothing."""
    pieces: list[str] = []
    runs: list[_Run] = []
    for m in _WORD.finditer(raw):
        word, col = m.group(), m.start()
        if pieces and not _is_cjk(pieces[-1][-1]) and not _is_cjk(word[0]):
            # The space maps to the last space of the run, next to the word.
            pieces.append(" ")
            col -= 1
        pieces.append(word)
        _add_run(runs, index, col, m.end() - col)
    return "".join(pieces), runs


def _normalize_text(raw: str, index: int, is_table: bool) -> tuple[str, list[_Run]]:
    """The normalized text of line ``index`` and its character map."""
    has_han = _HAN.search(raw) is not None
    pieces: list[str] = []
    runs: list[_Run] = []

    def write(text: str, column: int) -> None:
        pieces.append(text)
        _add_run(runs, index, column, len(text))

    last = ""  # the last character written
    n = len(raw)
    pending_space = False
    for col, end, untouched in _pieces(raw):
        ch = raw[col]
        if untouched:
            # A run no rule touches (only its first character may settle a
            # pending space), copied whole: a 5 MB line stays fast.
            if pending_space:
                if last != "\t" and not _is_cjk(last) and not _is_cjk(ch):
                    write(" ", col - 1)
                pending_space = False
            write(raw[col:end], col)
            last = raw[end - 1]
            continue
        if ch == "\t" and is_table:
            write(ch, col)
            last = ch
            pending_space = False
            continue
        ch = _FULLWIDTH_ALNUM.get(ch, ch)
        if ch == "．" and last.isdigit():
            ch = "."
        if ch.isspace():
            pending_space = bool(pieces)
            continue
        if pending_space:
            # A space survives only between two non-Chinese characters
            # ("PM 2.5" stays, "2022 年" does not).
            if last != "\t" and not _is_cjk(last) and not _is_cjk(ch):
                write(" ", col - 1)
            pending_space = False
        if has_han and ch in _TO_FULLWIDTH_IN_CJK:
            ch = _TO_FULLWIDTH_IN_CJK[ch]
        elif ch in _TO_FULLWIDTH_BETWEEN_CJK and _is_cjk(last):
            nxt = _next_visible(raw, col + 1, n)
            if nxt is None or _is_cjk(nxt):
                ch = _TO_FULLWIDTH_BETWEEN_CJK[ch]
        write(ch, col)
        last = ch
    return "".join(pieces), runs


def _removals(lines: list[int], cols: list[int], start: int, end: int, reason: str) -> list[Removal]:
    """The characters [start, end) of a map spelled out by _expand, as runs
    of input columns."""
    return [
        Removal(line, column, column + length, reason)
        for line, column, length in _runs_of(lines[start:end], cols[start:end])
    ]


def _pieces(raw: str):
    """(start, end, untouched) of the line's pieces: each character a rule
    of ``_normalize_line`` may change or drop alone, and the runs between
    them whole (untouched)."""
    position = 0
    for m in _NEEDS_DECISION.finditer(raw):
        at = m.start()
        if at > position:
            yield position, at, True
        yield at, at + 1, False
        position = at + 1
    if position < len(raw):
        yield position, len(raw), True


def _next_visible(raw: str, start: int, n: int) -> str | None:
    for k in range(start, n):
        if not raw[k].isspace():
            return raw[k]
    return None


def _estimate_right_gaps(lines: list[_Line], physical: list[PhysicalLine]) -> None:
    """Plain text has no geometry: measure each line against the typical
    full line (the 90th percentile of widths)."""
    plain = [line for line in lines if line.right_gap is None and not line.is_table]
    if len(plain) < 5:
        return
    width = {line.index: _width(physical[line.index].text) for line in plain}
    widths = sorted(width.values())
    full = widths[int(len(widths) * 0.9)]
    for line in plain:
        line.right_gap = full - width[line.index]


def _width(raw: str) -> float:
    """The line's estimated width in full-width characters."""
    stripped = raw.strip()
    return len(stripped) - 0.5 * len(_NARROW.findall(stripped))


def _is_latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _join(lines: list[_Line], settings: CleanSettings, label_start: re.Pattern) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    pieces: list[str] = []
    runs: list[_Run] = []
    prev: _Line | None = None
    for line in lines:
        if prev is not None and _breaks_before(prev, line, settings, label_start):
            paragraphs.append(_Paragraph("".join(pieces), runs))
            pieces, runs = [], []
        elif (
            # Chinese text wraps anywhere, Latin words included ("V" / "OCs");
            # only lines of Latin text alone are joined with a space.
            prev is not None
            and _is_latin_letter(prev.text[-1])
            and _is_latin_letter(line.text[0])
            and not prev.has_han
            and not line.has_han
        ):
            # The space maps to the column after the previous character.
            pieces.append(" ")
            runs[-1][2] += 1
        pieces.append(line.text)
        runs.extend(line.runs)
        prev = line
    if prev is not None:
        paragraphs.append(_Paragraph("".join(pieces), runs))
    return paragraphs


def _breaks_before(prev: _Line, line: _Line, settings: CleanSettings, label_start: re.Pattern) -> bool:
    if prev.ends_paragraph or prev.is_table or line.is_table:
        return True
    limit = settings.short_line_gap if prev.measured else settings.plain_short_line_gap
    prev_short = (
        prev.right_gap is not None
        and prev.right_gap >= limit
        # A Latin word or number wider than the gap was wrapped whole
        # ("高效" / "VOCs治理", a URL): the line is short, not finished.
        and (prev.text[-1] in markers.TERMINAL_PUNCT or _first_word_width(line.text) <= prev.right_gap)
    )
    prev_ends = prev_short or prev.text[-1] in markers.TERMINAL_PUNCT
    if prev_short:
        return True
    if line.indent is not None and line.indent >= settings.paragraph_indent:
        return True
    if markers.starts_item(line.text[:16], after_paragraph_end=prev_ends):
        return True
    # A label and its colon fit in the line's first 12 characters.
    return label_start.match(line.text[:12]) is not None


def _first_word_width(text: str) -> float:
    """Width in character widths of the Latin word or number a line starts
    with (0 if it starts with Chinese text)."""
    width = 0.0
    for ch in text:
        if ch.isspace() or _is_cjk(ch):
            break
        width += 0.5
    return width


def _repair_markup(para: _Paragraph, removed: list[Removal]) -> None:
    """Rewrite markup fragments; each fragment's input columns go to
    ``removed`` as "markup": the characters written for it map into them."""
    if _any_markup().search(para.text) is None:
        return
    para_lines, para_cols = _expand(para.runs)
    for rule in markup_rules():
        text = para.text
        if rule.pattern.search(text) is None:
            continue
        pieces: list[str] = []
        lines: list[int] = []
        cols: list[int] = []

        def keep(start: int, end: int) -> None:
            pieces.append(text[start:end])
            lines.extend(para_lines[start:end])
            cols.extend(para_cols[start:end])

        done = 0
        for m in rule.pattern.finditer(text):
            removed.extend(_removals(para_lines, para_cols, m.start(), m.end(), "markup"))
            keep(done, m.start())
            source = m.start()
            for ch in m.expand(rule.replacement):
                found = text.find(ch, source, m.end())
                at = found if found >= 0 else min(source, m.end() - 1)
                if found >= 0:
                    source = found + 1
                pieces.append(ch)
                lines.append(para_lines[at])
                cols.append(para_cols[at])
            done = m.end()
        keep(done, len(text))
        para.text, para_lines, para_cols = "".join(pieces), lines, cols
    para.runs = _runs_of(para_lines, para_cols)


def _repair_glyphs(para: _Paragraph) -> None:
    rules = [rule for rule in glyph_rules() if rule.wrong in para.text]
    if not rules:
        return
    chars = list(para.text)
    for rule in rules:
        # Rules apply in order, each to the characters as the rules before
        # it left them; only the positions of the glyphs are visited.
        text = "".join(chars)
        if rule.rule == "always":
            for i in _positions(text, rule.wrong):
                chars[i] = rule.right
        elif rule.rule == "between_letters":
            for i in _positions(text, rule.wrong):
                if 0 < i < len(chars) - 1 and chars[i - 1].isalpha() and chars[i + 1].isalpha():
                    chars[i] = rule.right
        elif rule.rule.startswith("opens:"):
            closer = rule.rule.split(":", 1)[1]
            closer_right = next(r.right for r in glyph_rules() if r.wrong == closer)
            opened: int | None = None
            for i in sorted(chain(_positions(text, rule.wrong), _positions(text, closer))):
                if chars[i] == rule.wrong:
                    opened = i
                elif opened is not None:
                    chars[opened] = rule.right
                    chars[i] = closer_right
                    opened = None
    para.text = "".join(chars)


def _positions(text: str, ch: str) -> list[int]:
    out = []
    at = text.find(ch)
    while at >= 0:
        out.append(at)
        at = text.find(ch, at + 1)
    return out


def _drop_duplicate_sentences(para: _Paragraph, removed: list[Removal]) -> list[tuple[int, str]]:
    """Remove a sentence printed twice in a row; returns (offset, sentence)
    of each kept first copy and adds the second copies' input columns to
    ``removed``."""
    twice = _sentences_printed_twice(para.text)
    if not twice:
        return []
    lines, cols = _expand(para.runs)
    found, removed_before = [], 0
    for start, second, end in twice:
        sentence = para.text[start:second]
        # Offsets after the earlier second copies are gone.
        found.append((start - removed_before, sentence))
        removed_before += len(sentence)
        removed.extend(_removals(lines, cols, second, end, "duplicated_text"))
    # Kept pieces between the second copies, joined once: deleting copy by
    # copy would be quadratic on a long paragraph.
    kept = []
    position = 0
    for _start, second, end in twice:
        kept.append((position, second))
        position = end
    kept.append((position, len(para.text)))
    para.text = "".join(para.text[a:b] for a, b in kept)
    para.runs = _runs_of(
        list(chain.from_iterable(lines[a:b] for a, b in kept)),
        list(chain.from_iterable(cols[a:b] for a, b in kept)),
    )
    return found


def _sentences_printed_twice(text: str) -> list[tuple[int, int, int]]:
    """(first copy's start, second copy's start, end) of each sentence
    printed twice in a row, leftmost first, not overlapping."""
    out = []
    m = _SENTENCE_TWICE_AT_START.match(text)
    if m is not None:
        out.append((0, m.end(1), m.end()))
    # The mark before a first copy may be the last character of the
    # previous second copy.
    position = out[-1][2] - 1 if out else 0
    while (m := _SENTENCE_TWICE_AFTER_MARK.search(text, position)) is not None:
        out.append((m.start(1), m.end(1), m.end()))
        position = m.end() - 1
    return out
