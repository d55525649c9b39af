"""Helpers shared by test modules that build a small site (one or two pairs) to stay fast."""
from __future__ import annotations

import json
from pathlib import Path


MINIMAL_SITE_TOML = """title = "t"
description = "d"
base_url = "https://example.org/"
funds = ["QQQ", "IWM"]
pairs = [["QQQ", "IWM"]]
[options]
"""
"""A two-fund, one-pair site.toml up to its ``[options]`` table; tests append the options they need."""


def small_site(tmp: Path, pairs=(("QQQ", "IWM"),)) -> Path:
    """A site.toml with only ``pairs`` (faster to build) and the shipped commentary for them beside it."""
    funds = list(dict.fromkeys(t for p in pairs for t in p))
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "site.toml").write_text(
        'title = "versus"\ndescription = "d"\nbase_url = "https://versus.example.org/"\n'
        f"funds = {json.dumps(funds)}\npairs = {json.dumps([list(p) for p in pairs])}\n")
    for a, b in pairs:
        src = Path(__file__).resolve().parent.parent / "content/pairs" / f"{a.lower()}-vs-{b.lower()}.md"
        if src.is_file():
            (tmp / "content/pairs").mkdir(parents=True, exist_ok=True)
            (tmp / "content/pairs" / src.name).write_text(src.read_text())
    return tmp / "site.toml"
