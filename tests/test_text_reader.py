"""Text decoding, tested on the real corpus texts re-encoded: every
encoding a notice comes in gives the same cleaned text as the UTF-8 original."""

from __future__ import annotations

import codecs
from functools import lru_cache
from pathlib import Path

import pytest

from zhenggai.errors import ZhenggaiError
from zhenggai.extract import read_source
from zhenggai.extract.text import decode

from .conftest import CORPUS_TEXTS, TURPAN_REPORT, clean_source

# The repository's copies always; the rest of the corpus where it is
# available (a corpus file the repository also holds is read once).
CORPUS_FILES = CORPUS_TEXTS

# (name, encode text → bytes, encoding decode() must report)
ENCODINGS = [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("gb18030", lambda t: t.encode("gb18030"), "gb18030"),
    ("gbk", lambda t: t.encode("gbk"), "gb18030"),
    ("utf-16-le-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    ("utf-16-be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    ("utf-16-le", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", lambda t: t.encode("utf-16-be"), "utf-16-be"),
]


def _cases():
    for path in CORPUS_FILES:
        text = path.read_text(encoding="utf-8")
        for name, encode, expected in ENCODINGS:
            try:
                encode(text)
            except UnicodeEncodeError as exc:
                # GBK lacks a few characters some files carry (•, ₃): such a
                # file cannot come in GBK.
                marks = [pytest.mark.skip(reason=f"{path.name} holds {exc.object[exc.start]!r}, not in {name}")]
            else:
                marks = []
            yield pytest.param(path, name, encode, expected, id=f"{path.name[:12]}-{name}", marks=marks)


@lru_cache(maxsize=None)
def _cleaned_utf8(path: Path) -> str:
    return clean_source(read_source(path)).text


@pytest.mark.parametrize("path,name,encode,expected", list(_cases()))
def test_corpus_text_reencoded_cleans_the_same(path, name, encode, expected, tmp_path):
    original = path.read_text(encoding="utf-8")
    data = encode(original)
    assert decode(data, path.name) == (original, expected, ())
    copy = tmp_path / path.name
    copy.write_bytes(data)
    assert clean_source(read_source(copy)).text == _cleaned_utf8(path)


def test_gbk_bytes_decode_as_gb18030():
    # 臵 is in GBK; the corpus text carries it.
    assert decode("位臵：自治区生态环境厅".encode("gbk"), "x.txt") == ("位臵：自治区生态环境厅", "gb18030", ())


@pytest.mark.parametrize(
    "text,encoding",
    [
        ("plain ASCII notice\n", "utf-16-le"),
        ("plain ASCII notice\n", "utf-16-be"),
        ("整改时限：2023年底前", "utf-16-le"),
        ("整改时限：2023年底前", "utf-16-be"),
    ],
)
def test_short_utf16_without_bom(text, encoding):
    assert decode(text.encode(encoding), "x.txt") == (text, encoding, ())


@pytest.mark.parametrize(
    "data,code",
    [
        pytest.param(bytes(range(128, 256)) * 3 + b"\x00\xff\xfe\x00", "undecodable_text", id="random-high-bytes"),
        pytest.param(codecs.BOM_UTF8 + "整改".encode("gb18030"), "undecodable_text", id="gb18030-after-a-utf8-bom"),
    ],
)
def test_undecodable_bytes_raise_a_coded_error(data, code):
    with pytest.raises(ZhenggaiError) as info:
        decode(data, "bad.txt")
    assert info.value.code.code == code


@pytest.mark.parametrize(
    "encoding,prefix,expected_name",
    [
        ("utf-8", b"", "utf-8"),
        ("gb18030", b"", "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
    ],
)
def test_a_file_cut_inside_a_character_keeps_what_came_before(encoding, prefix, expected_name, tmp_path):
    """A download cut short ends inside a multi-byte character: the text
    before it is read, and the document says it was cut (status partial)."""
    from zhenggai.pipeline import convert

    text = TURPAN_REPORT.read_text(encoding="utf-8")
    data = prefix + text.encode(encoding)
    at = text.index("整改", 2000)
    cut = len(prefix) + len(text[:at].encode(encoding)) + 1  # one byte into 整
    decoded = decode(data[:cut], "cut.txt")
    assert (decoded.text, decoded.encoding) == (text[:at], expected_name)
    assert [code for code, _ in decoded.notes] == ["text_cut_short"]
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut])
    doc = convert(path)
    assert doc.status.value == "partial"
    assert "text_cut_short" in [w.code for w in doc.warnings]
