"""Text decoding, tested on the real plan re-encoded."""

from __future__ import annotations

import codecs

import pytest

from zhenggai.errors import ZhenggaiError
from zhenggai.extract.text import decode

from .conftest import PLAN_TXT

PLAN = PLAN_TXT.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding,prefix,expected_name",
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ],
)
def test_real_plan_decodes_in_every_encoding(encoding, prefix, expected_name):
    text, used = decode(prefix + PLAN.encode(encoding), "plan.txt")
    assert (text, used) == (PLAN, expected_name)


def test_gbk_bytes_decode_as_gb18030():
    # 臵 is in GBK; the corpus text carries it.
    text, used = decode("位臵：自治区生态环境厅".encode("gbk"), "x.txt")
    assert (text, used) == ("位臵：自治区生态环境厅", "gb18030")


def test_undecodable_bytes_raise_a_coded_error():
    with pytest.raises(ZhenggaiError) as info:
        decode(bytes(range(128, 256)) * 3 + b"\x00\xff\xfe\x00", "bad.txt")
    assert info.value.code.code == "undecodable_text"
