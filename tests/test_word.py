"""Word input: .docx read directly; legacy .doc/.wps converted by
LibreOffice when it is installed, otherwise a clear error."""

from __future__ import annotations

import os
import stat

import pytest

from zhenggai.errors import Errors, ZhenggaiError
from zhenggai.extract import docx as word
from zhenggai.pipeline import convert

from .conftest import TABLE_DOCX


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_legacy_word_without_libreoffice_says_convert(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(word.shutil, "which", lambda name: None)
    path = tmp_path / f"notice{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0 legacy compound file")
    with pytest.raises(ZhenggaiError) as info:
        convert(path)
    assert info.value.code == Errors.legacy_word_format
    assert suffix in info.value.one_line() and "docx" in info.value.one_line()


def test_legacy_word_is_converted_by_soffice(tmp_path, monkeypatch):
    """A stand-in soffice on PATH writes the .docx the real one would."""
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nfor last; do :; done\ncp "{TABLE_DOCX}" "$6/$(basename "$last" .doc).docx"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    path = tmp_path / "notice.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 legacy compound file")
    doc = convert(path)
    assert doc.source.format == "doc"
    assert len(doc.lists[0].issues) == 30
    assert "converted_legacy_word" in [w.code for w in doc.warnings]


def test_broken_docx_is_docx_unreadable(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ZhenggaiError) as info:
        convert(path)
    assert info.value.code == Errors.docx_unreadable
