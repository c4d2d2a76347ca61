"""Web-page reader: the article of a government site's page as lines.

The rule, in order (lxml's HTML parser, which recovers broken markup):

1. Charset: a byte-order mark, else the charset the page declares in a
   <meta> tag (GB2312 and GBK read as GB18030, their superset), else the
   plain-text detection (``text.decode``). A declaration the bytes
   contradict is overruled by detection, with a ``charset_mismatch`` warning.
2. Furniture is dropped: scripts, styles, forms and the like, and every
   element whose tag, ARIA role, class name or id data/html.toml lists
   (navigation, breadcrumbs, header, footer, sidebars, share bars).
3. The article body is the element holding the most paragraph text as its
   own: its direct text plus the text of its direct children that are
   paragraphs (blocks with no block inside) or data tables (tables without
   a table inside), link text not counted. Table rows and sections are not
   candidates themselves; a cell is (layout tables hold pages in cells).
4. The headline is the nearest <h1>/<h2> before the body: looking at the
   body's preceding siblings, then its parent's, and so on up.
5. Lines: the headline, then the body's blocks in order. Every block
   element (<p>, <div>, <li>, a table cell …) and every <br> ends a line;
   each line is one paragraph (``ends_paragraph``). Whitespace collapses
   as a browser collapses it, except inside <pre>.

Positions: everything is page 1; ``line`` counts the lines produced
(headline first), so a value's line number is its paragraph's index.
"""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import lxml.html
import regex
from lxml import etree

from ..errors import Errors, Warnings, ZhenggaiError
from . import text as plain_text
from .source import PhysicalLine

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "input", "select", "textarea", "button", "head",
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    "address article blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure h1 h2 h3 h4 h5 h6 hr li main ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_HEADLINE_TAGS = ("h1", "h2")
_TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr"))
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
_HTML_SPACE = regex.compile(r"[ \t\n\r\f]+")
_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_NOT_XML_TEXT = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\p{Cs}]")
# The declaration is looked for in the page's first bytes, as browsers do.
_DECLARATION_BYTES = 4096
# GB2312 and GBK pages routinely use characters beyond the label.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030"}


@dataclass(frozen=True)
class Furniture:
    tags: frozenset[str]
    roles: frozenset[str]
    names: frozenset[str]


@lru_cache(maxsize=1)
def furniture() -> Furniture:
    data = tomllib.loads(resources.files(__package__).joinpath("data/html.toml").read_text(encoding="utf-8"))
    return Furniture(
        tags=frozenset(data["furniture_tags"]),
        roles=frozenset(data["furniture_roles"]),
        names=frozenset(n.lower() for n in data["furniture_names"]),
    )


def decode(data: bytes, path: str) -> plain_text.Decoded:
    """Decode by the page's BOM, its declared charset or detection. Raises
    ZhenggaiError(undecodable_text)."""
    declared = None
    if not any(data.startswith(bom) for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        declared = declared_charset(data)
    if declared is None:
        return plain_text.decode(data, path)
    decoded = plain_text.decode_as(data, declared)
    if decoded is not None:
        return decoded
    detected = plain_text.decode(data, path)
    mismatch = Warnings.charset_mismatch
    note = (mismatch.code, mismatch.format(declared=declared, used=detected.encoding))
    return detected._replace(notes=(note, *detected.notes))


def declared_charset(data: bytes) -> str | None:
    """The Python codec of the charset a <meta> tag declares, if it names one."""
    m = _META_CHARSET.search(data[:_DECLARATION_BYTES])
    if m is None:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return _SUPERSETS.get(name.replace("_", ""), name)


def read_lines(data: bytes, path: str) -> tuple[list[PhysicalLine], list[tuple[str, str]]]:
    """Return (lines of the article, notes). Raises ZhenggaiError."""
    text, _encoding, notes = decode(data, path)
    # Control characters are no content, and lxml refuses to hold them.
    text = _NOT_XML_TEXT.sub("", text)
    if not text.strip():
        raise ZhenggaiError(Errors.no_text, path)
    try:
        # Our decoding, given to lxml as UTF-8 bytes with the encoding
        # stated, overrules whatever the page declares inside.
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except etree.ParserError:  # "Document is empty": no element at all
        raise ZhenggaiError(Errors.no_text, path) from None
    _drop_furniture(root)
    body = _article_body(root)
    headline = _headline(body)
    texts = _block_lines(body)
    if headline is not None:
        title = _collapse(headline.text_content()).strip()
        if title and (not texts or texts[0] != title):
            texts.insert(0, title)
    lines = [PhysicalLine(page=1, line=n, text=t, ends_paragraph=True) for n, t in enumerate(texts, start=1)]
    return lines, list(notes)


def _is_furniture(el: etree._Element, rules: Furniture) -> bool:
    if el.tag in rules.tags or (el.get("role") or "").lower() in rules.roles:
        return True
    names = (el.get("class") or "").lower().split()
    names.append((el.get("id") or "").lower())
    return any(name in rules.names for name in names)


def _drop_furniture(root: etree._Element) -> None:
    rules = furniture()
    doomed = [
        el
        for el in root.iter()
        if not isinstance(el.tag, str) or el.tag in _DROP_TAGS or _is_furniture(el, rules)
    ]
    for el in doomed:
        if el.getparent() is not None:
            _remove_keeping_tail(el)


def _remove_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _own_text(el: etree._Element) -> str:
    """Text directly inside ``el`` (not inside its children), plus the text
    of inline children other than links."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _BLOCK_TAGS and child.tag != "a":
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_paragraph(el: etree._Element) -> bool:
    return el.tag in _BLOCK_TAGS and not any(d.tag in _BLOCK_TAGS for d in el.iterdescendants())


def _is_data_table(el: etree._Element) -> bool:
    return el.tag == "table" and next(el.iterdescendants("table"), None) is None


def _paragraph_weight(el: etree._Element) -> int:
    """How much paragraph text ``el`` holds as its own (link text not counted)."""
    if el.tag in _TABLE_PARTS:
        return 0
    weight = len(_collapse(_own_text(el)).strip())
    for child in el:
        if _is_paragraph(child) or _is_data_table(child):
            weight += len(_collapse(_non_link_text(child)).strip())
    return weight


def _non_link_text(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag != "a":
            parts.append(_non_link_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _article_body(root: etree._Element) -> etree._Element:
    body = root.find("body")
    if body is None:
        body = root
    best, best_weight = body, 0
    for el in body.iter():
        weight = _paragraph_weight(el)
        if weight > best_weight:
            best, best_weight = el, weight
    return best


def _headline(body: etree._Element) -> etree._Element | None:
    node = body
    while node is not None and node.tag not in ("body", "html"):
        for sibling in node.itersiblings(preceding=True):
            if sibling.tag in _HEADLINE_TAGS:
                return sibling
            inner = [el for el in sibling.iterdescendants(*_HEADLINE_TAGS)]
            if inner:
                return inner[-1]
        node = node.getparent()
    return None


def _collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", text)


def _block_lines(body: etree._Element) -> list[str]:
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip(" ")
        if line.strip():  # a line of &nbsp; or 　 alone is blank
            lines.append(line)
        current.clear()

    def walk(el: etree._Element, in_pre: bool) -> None:
        in_pre = in_pre or el.tag == "pre"
        block = el.tag in _BLOCK_TAGS
        if block or el.tag == "br":
            flush()
        add(el.text, in_pre)
        for child in el:
            walk(child, in_pre)
            add(child.tail, in_pre)
        if block:
            flush()

    def add(text: str | None, in_pre: bool) -> None:
        if not text:
            return
        if not in_pre:
            current.append(_collapse(text))
            return
        first, *rest = text.replace("\r\n", "\n").split("\n")
        current.append(first)
        for piece in rest:
            flush()
            current.append(piece)

    walk(body, False)
    flush()
    return lines
