"""Write static/vendor/vega-bundle.js: Vega, Vega-Lite and vega-embed in one file, self-hosted.

    python scripts/vendor_vega.py

The bundle comes from the pinned vl-convert-python (the same library renders the
SVG fallbacks), so the browser and the build use the same Vega versions.  The first
line records them; tests/test_static.py checks it against the installed package.
"""
from pathlib import Path

import vl_convert as vlc

OUT = Path(__file__).resolve().parent.parent / "static" / "vendor" / "vega-bundle.js"


def header() -> str:
    return (
        f"/* vega {vlc.get_vega_version()}, vega-lite {vlc.get_vegalite_versions()[-1]}, "
        f"vega-embed {vlc.get_vega_embed_version()}; bundled by vl-convert-python javascript_bundle() */\n"
    )


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header() + vlc.javascript_bundle() + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
