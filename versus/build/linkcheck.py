"""Check a built site: every internal link and asset resolves, every in-page #anchor exists.

    python -m versus.linkcheck site/
"""
from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if value and (name in ("href", "src") or (tag == "img" and name == "srcset")):
                self.refs.append(value)


def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def check_site(out: Path) -> list[str]:
    """Return one line per broken reference (empty when the site is sound)."""
    out = Path(out)
    problems: list[str] = []
    parsed = {f: _parse(f) for f in sorted(out.rglob("*.html"))}
    for page, refs in parsed.items():
        for ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "data:")):
                continue
            if not parts.path:  # same-page anchor
                if parts.fragment and parts.fragment not in refs.ids:
                    problems.append(f"{page.relative_to(out)}: #{parts.fragment} has no target")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            try:
                target.relative_to(out.resolve())
            except ValueError:
                problems.append(f"{page.relative_to(out)}: {ref} points outside the site")
                continue
            if not target.is_file():
                problems.append(f"{page.relative_to(out)}: {ref} does not exist")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed.get(target, None) or _parse(target)
                if parts.fragment not in ids.ids:
                    problems.append(f"{page.relative_to(out)}: {ref} has no #{parts.fragment}")
    return problems


if __name__ == "__main__":
    found = check_site(Path(sys.argv[1] if len(sys.argv) > 1 else "site"))
    for line in found:
        print(line)
    print(f"{len(found)} broken link(s)")
    sys.exit(1 if found else 0)
