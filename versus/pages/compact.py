"""A pair document's facts as published (issue 17: reference, not repeat; README, "API"): :func:`compact_facts`
writes them, :func:`expand_facts` reads them back as :class:`versus.facts.model.Fact` ``to_json`` wrote them."""
from __future__ import annotations

FROM = "from"
"""A fact's ``values`` key naming the ``pair.<key>`` object whose fields its values repeat (:func:`compact_facts`)."""
_MISSING = object()
VALUE_KINDS = ("figure", "sign", "level")
"""Kinds of claim whose ``value`` (always given) may be left out when it is the figure at its ``ref``."""


def _at(doc: dict, path: str):
    """The value at a dotted JSON path of ``doc`` (list items by index), or ``_MISSING``."""
    node = doc
    for part in path.split("."):
        if isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def compact_claim(c: dict, doc: dict) -> dict:
    """A fact's claim as a pair document publishes it: ``values`` (``value``) left out when it is exactly the
    figures its ``refs`` (``ref``) point at in the document (:func:`expand_claim` puts them back)."""
    out = dict(c)
    refs = c.get("refs")
    if isinstance(refs, dict) and isinstance(c.get("values"), dict) and set(refs) == set(c["values"]) \
            and all(_at(doc, refs[k]) == v for k, v in c["values"].items()):
        del out["values"]
    if c.get("kind") in VALUE_KINDS and isinstance(c.get("ref"), str) and "value" in c \
            and _at(doc, c["ref"]) == c["value"]:
        del out["value"]
    return out


def expand_claim(c: dict, doc: dict) -> dict:
    """The inverse of :func:`compact_claim`."""
    out = dict(c)
    if isinstance(c.get("refs"), dict) and "values" not in c:
        out["values"] = {k: _at(doc, path) for k, path in c["refs"].items()}
    if isinstance(c.get("ref"), str) and "value" not in c and c.get("kind") in VALUE_KINDS:
        out["value"] = _at(doc, c["ref"])
    return out


def compact_facts(doc: dict) -> list[dict]:
    """``doc["facts"]`` as a pair document publishes them (README, "API"; issue 17: reference, not repeat):

    * a fact whose ``values`` hold every field of an object of ``pair`` (the correlations, the rolling one-year
      correlation's range, the lead-lag measure) names it, ``"from": "pair.<key>"``, and keeps only its other
      fields;
    * a claim's ``values`` (``value``) is left out when it equals the figures its ``refs`` (``ref``) point at;
    * a fact's ``text`` that is one of the ``takeaways`` is left out: ``at`` names it (``"takeaways.2"``).

    :func:`expand_facts` writes them out again."""
    pair = doc.get("pair") or {}
    takeaways = {}
    for i, text in enumerate(doc.get("takeaways") or []):
        takeaways.setdefault(text, f"takeaways.{i}")
    out = []
    for f in doc.get("facts", []):
        values = dict(f["values"])
        assert FROM not in values, f["id"]
        best = None
        for key, obj in pair.items():
            if isinstance(obj, dict) and obj and all(k in values and values[k] == v for k, v in obj.items()):
                if best is None or len(obj) > len(pair[best]):
                    best = key
        if best is not None:
            values = {FROM: f"pair.{best}", **{k: v for k, v in values.items() if k not in pair[best]}}
        fact = {**f, "values": values, "claims": [compact_claim(c, doc) for c in f["claims"]]}
        if f["text"] in takeaways:
            del fact["text"]
            fact["at"] = takeaways[f["text"]]
        out.append(fact)
    return out


def expand_facts(doc: dict) -> list[dict]:
    """Every fact of a page document written out (the inverse of :func:`compact_facts`; facts already written
    out read as themselves)."""
    out = []
    for f in doc.get("facts", []):
        values = dict(f.get("values", {}))
        src = values.pop(FROM, None)
        if src is not None:
            values = {**_at(doc, src), **values}
        fact = {k: v for k, v in f.items() if k != "at"}
        if "at" in f:
            fact["text"] = _at(doc, f["at"])
        out.append({**fact, "values": values, "claims": [expand_claim(c, doc) for c in f.get("claims", [])]})
    return out
