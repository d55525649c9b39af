"""Shards: a build split over N runners, then merged into one site.

``build.py --shard K/N --out DIR_K`` runs the whole pipeline up to the page jobs, then runs only its
K-th of the pair, fund, group and category pages (:func:`mine`: a page belongs to shard
``sha256(kind:slug) mod N``, so adding a pair moves no other page) and writes them with a manifest,
``shard.json``: each page's result (its URLs, date, files, warnings and the summary the index and the
feed read), the build's arguments and a fingerprint of its data.  No site-level file is written there.

``build.py merge DIR_1 … DIR_N --out OUT`` is the same build with the page jobs replaced by the shards'
results: it loads the data the shards' arguments name, checks that every shard was built from exactly
those (the as-of date, the arguments, the data, the previous site), copies the shards' files into the
new site in the build's page order and renders the site-level pages (index, search index, methodology,
sitemap, feed, build.json) itself, through the same code as an unsharded build: the merged site is the
unsharded site, byte for byte.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..config import group_slug, pair_slug
from ..errors import EXIT_CONFIG, VersusError

MANIFEST = "shard.json"
FORMAT = 1


def parse(value: str | None) -> tuple[int, int] | None:
    """``--shard K/N`` -> ``(K, N)`` with ``1 <= K <= N``; a one-line error otherwise."""
    if value is None:
        return None
    k, sep, n = value.partition("/")
    if not (sep and k.strip().isdigit() and n.strip().isdigit()):
        raise VersusError(f"--shard {value[:40]!r}: expected K/N, e.g. --shard 2/4 (the second of four shards)",
                          EXIT_CONFIG)
    k, n = int(k), int(n)
    if n < 1 or not 1 <= k <= n:
        raise VersusError(f"--shard {value}: K must be between 1 and N (N at least 1), e.g. --shard 1/{max(n, 1)}",
                          EXIT_CONFIG)
    return k, n


def page_key(kind, i: int) -> str:
    """The stable name of page ``i`` of ``kind`` (``pair:qqq-vs-iwm``): what its shard is chosen by."""
    s = kind.site
    if kind.name == "pair":
        return "pair:" + pair_slug(*s.cfg.pairs[i])
    if kind.name == "fund":
        return "fund:" + s.cfg.funds[i].lower()
    if kind.name == "group":
        return "group:" + group_slug(s.cfg.groups[i])
    if kind.name == "category":
        return "category:" + list(s.categories)[i]
    return f"{kind.name}:{i}"


def mine(key: str, shard: tuple[int, int]) -> bool:
    """Whether the page named ``key`` belongs to shard ``(K, N)``."""
    k, n = shard
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) % n == k - 1


def fingerprint(ctx) -> dict:
    """What every shard and the merge must share: the as-of date, the data and the previous site."""
    import pandas as pd

    h = hashlib.sha256()
    for frame in (ctx.prep.data.adj_close, ctx.prep.data.close):
        h.update(pd.util.hash_pandas_object(frame, index=True).values.tobytes())
        h.update(json.dumps(list(map(str, frame.columns))).encode())
    prev = hashlib.sha256(json.dumps([sorted(ctx.previous.docs), ctx.previous.feed], default=str).encode())
    return {"as_of": ctx.as_of, "data_sha256": h.hexdigest(), "previous_sha256": prev.hexdigest(),
            "on_file": ctx.on_file, "inputs_sha256": ctx.options.inputs_sha256}


def manifest(ctx, shard: tuple[int, int], results: list[tuple[str, dict]]) -> dict:
    """``shard.json``: the shard, its build's arguments and fingerprint, and each page job's result."""
    keep = ("kind", "urls", "as_of", "paths", "summary")
    return {"format": FORMAT, "shard": list(shard), "options": ctx.options.options, **fingerprint(ctx),
            "pages": [{"key": key, **{k: r[k] for k in keep}, "warnings": [_warning(w) for w in r["warnings"]]}
                      for key, r in results]}


def _warning(w: str) -> dict:
    """A page's warning in the manifest: a claim's keeps its file, line and claim (``--claims=flag`` only flags it)."""
    claim = getattr(w, "claim", None)
    return {"text": str(w)} if claim is None else {"text": str(w), "file": w.file, "line": w.line, "claim": claim}


def _unwarning(w: dict) -> str:
    from ..content import ClaimWarning

    return ClaimWarning(w["text"], w["file"], w["line"], w["claim"]) if "claim" in w else w["text"]


def read(folder: Path) -> dict:
    """One shard's manifest, or a one-line error naming the folder."""
    from .outdir import signed

    path = Path(folder) / MANIFEST
    why = signed(folder)
    try:
        doc = json.loads(path.read_text(encoding="utf-8")) if why is None else None
    except (OSError, ValueError) as exc:
        raise VersusError(f"merge: {folder}: not a shard ({MANIFEST}: {getattr(exc, 'strerror', None) or exc}); "
                          "build one with build.py --shard K/N --out DIR", EXIT_CONFIG) from None
    if why is not None or not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise VersusError(f"merge: {folder}: not a shard of this versus ({why or 'unknown ' + MANIFEST}); "
                          "build one with build.py --shard K/N --out DIR", EXIT_CONFIG)
    doc["folder"] = Path(folder)
    return doc


SAME = (("as_of", "as-of date"), ("on_file", "--on-file"), ("data_sha256", "market data"),
        ("previous_sha256", "previous site"), ("inputs_sha256", "inputs (code, templates, config, content or snapshot)"),
        ("options", "build options"))


def check(docs: list[dict]) -> list[dict]:
    """The shards, in order: one of each K of the same N, built from the same arguments, as-of date, data and
    previous site; else a one-line error naming the two shards that differ."""
    if not docs:
        raise VersusError("merge: no shard folders given (build.py merge DIR_1 … DIR_N --out OUT)", EXIT_CONFIG)
    first = docs[0]
    n = first["shard"][1]
    for d in docs:
        if d["shard"][1] != n:
            raise VersusError(f"merge: {d['folder']} is shard {d['shard'][0]}/{d['shard'][1]}, {first['folder']} is "
                              f"{first['shard'][0]}/{n}: shards of one site share N", EXIT_CONFIG)
        for key, words in SAME:
            if d[key] != first[key]:
                shown = (f" ({d[key]} vs {first[key]})" if key in ("as_of", "on_file")
                         else f" ({_options_diff(d[key], first[key])})" if key == "options" else "")
                raise VersusError(f"merge: {d['folder']} and {first['folder']} were built with different "
                                  f"{words}{shown}: shards of one site must be built alike", EXIT_CONFIG)
    ks = sorted(d["shard"][0] for d in docs)
    if ks != list(range(1, n + 1)):
        missing = sorted(set(range(1, n + 1)) - set(ks))
        dup = sorted({k for k in ks if ks.count(k) > 1})
        raise VersusError(f"merge: shards of {n}: " + (f"{', '.join(f'{k}/{n}' for k in dup)} given twice" if dup
                          else f"missing {', '.join(f'{k}/{n}' for k in missing)}"), EXIT_CONFIG)
    return sorted(docs, key=lambda d: d["shard"][0])


def _options_diff(a: dict, b: dict) -> str:
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return ", ".join(f"{k}: {a.get(k)!r} vs {b.get(k)!r}" for k in keys[:3])


def collect(ctx, docs: list[dict], keys: list[str]) -> list[dict]:
    """The merge's page results in the build's job order (``keys``), with each shard's files copied into
    the new site; an error when a page is missing or the shards were cut from another list of pages."""
    fp = fingerprint(ctx)
    for key, words in SAME[:-1]:
        if fp[key] != docs[0][key]:
            raise VersusError(f"merge: the shards were built with other {words} than this merge loads "
                              f"({docs[0]['folder']}): run the merge from the same checkout and data", EXIT_CONFIG)
    found: dict[str, tuple[Path, dict]] = {}
    for d in docs:
        for page in d["pages"]:
            found[page["key"]] = (d["folder"], page)
    if set(found) != set(keys):
        odd = sorted(set(found) ^ set(keys))
        raise VersusError(f"merge: the shards' pages are not this site's ({len(odd)} differ, e.g. {odd[0]}): "
                          "shards of one site must be built from the same site.toml", EXIT_CONFIG)
    out = []
    for key in keys:
        folder, page = found[key]
        if ctx.output is not None:
            files = {rel: (folder / rel).read_bytes() for rel in page["paths"]}
            ctx.output.write_job({}, {}, files)
        out.append({**page, "warnings": [_unwarning(w) for w in page["warnings"]], "times": {}, "ms": 0.0})
    return out
