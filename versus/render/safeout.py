"""Writers of the public output that cannot produce an invalid file: JSON, XML and CSV.

* JSON: ``NaN`` and ``Infinity`` are not JSON (``json.dumps`` writes them unless told not to).  Every JSON
  the site publishes goes through :func:`json_text` (``allow_nan=False``); a non-finite number is a bug
  upstream (inputs are validated finite) and stops the build naming the file and the key, rather than
  publishing a document no JSON parser reads.
* XML: built with ElementTree (every text escaped: ``&`` in a ``base_url``), then parsed back, so a character
  XML cannot carry (a control character) stops the build instead of publishing a broken sitemap or feed.
* CSV: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to a
  spreadsheet (CSV injection, OWASP): such text cells get a leading ``'``; numbers are written as they are.
  The CSV files are made with their tables in the charts stage (:func:`versus.charts.table.csv_text`,
  re-exported here).
"""
from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

from ..charts.table import FORMULA_START, csv_cell, csv_text

__all__ = ["InvalidOutput", "json_text", "api_json", "xml_text", "sitemap", "SITEMAP_NS", "FORMULA_START",
           "csv_cell", "csv_text"]


class InvalidOutput(ValueError):
    """A document that would not be valid in its format (names the file and where)."""


def _non_finite(obj, path: str = "") -> str | None:
    """The path of the first NaN/inf in ``obj`` (``funds.QQQ.aum``), or None."""
    stack = [(obj, path)]
    while stack:
        v, p = stack.pop()
        if isinstance(v, float) and not math.isfinite(v):
            return f"{p or '(the document)'} = {v}"
        if isinstance(v, dict):
            stack.extend((x, f"{p}.{k}" if p else str(k)) for k, x in reversed(list(v.items())))
        elif isinstance(v, (list, tuple)):
            stack.extend((x, f"{p}[{i}]") for i, x in reversed(list(enumerate(v))))
    return None


def json_text(obj, where: str = "JSON", **kwargs) -> str:
    """``json.dumps(obj, allow_nan=False, **kwargs)``; :class:`InvalidOutput` naming ``where`` and the key of a
    NaN or infinity."""
    try:
        return json.dumps(obj, allow_nan=False, **kwargs)
    except ValueError as exc:
        bad = _non_finite(obj)
        if bad is None:
            raise
        raise InvalidOutput(f"{where}: {bad} is not a number JSON can carry (NaN or infinity)") from exc


def api_json(obj, where: str = "JSON", compact: bool = False) -> str:
    """The API's JSON format: sorted keys, UTF-8, trailing newline, never NaN; two-space indent, or none at all
    (``compact``: the documents under ``api/``, a third smaller, issue 17)."""
    if compact:
        return json_text(obj, where, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"
    return json_text(obj, where, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- XML
def xml_text(root: ET.Element, where: str = "XML", **kwargs) -> str:
    """``root`` serialised with an XML declaration (``kwargs`` to ``ET.tostring``, e.g. ``default_namespace``),
    checked well-formed by parsing it back."""
    text = ET.tostring(root, encoding="unicode", xml_declaration=True, **kwargs) + "\n"
    try:
        ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise InvalidOutput(f"{where}: would not be valid XML ({exc}); a control character in a title or URL?") \
            from None
    return text


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(base_url: str, urls: list[str], lastmod: dict[str, str]) -> str:
    """``sitemap.xml``: one ``<url>`` per page, every text escaped by ElementTree; ``lastmod``: each page's date
    by URL."""
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for u in urls:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base_url + u
        ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.get(u, "")
    ET.indent(root)
    return xml_text(root, "sitemap.xml", default_namespace=SITEMAP_NS)  # not register_namespace: global
