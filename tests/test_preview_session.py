"""The preview's session in-process: what each kind of change rebuilds, and errors kept until fixed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from versus import resources
from versus.preview import GLOBAL, Options, Session
from siteutil import small_site

FUND_NOTE = "---\ntitle: 'IWM'\n---\nIWM holds {{ IWM.holdings_count | count }} companies.\n"


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("preview")
    cfg = small_site(tmp / "project")
    (tmp / "project/tpl").mkdir()
    shutil.copy(resources.templates() / "_commentary.html", tmp / "project/tpl/_commentary.html")
    cfg.write_text(cfg.read_text() + '[options]\ntemplates = "tpl"\n')
    (tmp / "project/content/index.md").write_text("---\ntitle: Hello\n---\nIndex note.\n")
    s = Session(Options(cfg, tmp / "out"))
    assert s.full().full and not s.errors
    return s


def test_each_change_rebuilds_what_depends_on_it(session):
    root = session.folder / "content"
    fund = root / "funds/iwm.md"
    fund.parent.mkdir(exist_ok=True)
    fund.write_text(FUND_NOTE)
    assert session.apply({fund}).urls == ["funds/iwm/"]
    assert "IWM holds 1," in (session.options.out / "funds/iwm/index.html").read_text()
    index = root / "index.md"
    index.write_text(index.read_text().replace("Index note.", "Index note, edited."))
    assert session.apply({index}).urls == [""]
    assert "Index note, edited." in (session.options.out / "index.html").read_text()
    fund.unlink()
    assert session.apply({fund}).urls == ["funds/iwm/"]
    assert "IWM holds" not in (session.options.out / "funds/iwm/index.html").read_text()
    stray = root / "pair/qqq-vs-iwm.md"
    stray.parent.mkdir()
    stray.write_text(FUND_NOTE)
    assert session.apply({stray}).urls == []
    assert any("content/pair/qqq-vs-iwm.md: not read" in w for w in session.problems("")[1])
    shutil.rmtree(stray.parent)
    session.apply({stray})
    assert not any("not read" in w for w in session.problems("")[1])


def test_a_template_override_error_is_shown_with_its_line_until_fixed(session):
    tpl = session.folder / "tpl/_commentary.html"
    good = tpl.read_text()
    version = session.version
    tpl.write_text(good.replace("{% endif %}", "{% endiff %}", 1))
    try:
        result = session.apply({tpl})
        assert result.full and not result.urls and session.version > version
        (error,) = session.problems("qqq-vs-iwm/")[0]
        line = next(n for n, text in enumerate(good.splitlines(), 1) if "{% endif %}" in text)  # the first endif
        assert f"tpl/_commentary.html:{line}: template syntax error: Encountered unknown t" in error
        assert session.errors.keys() == {GLOBAL}
    finally:
        tpl.write_text(good)
    assert session.apply({tpl}).full and not session.errors


def test_a_commentary_error_keeps_the_last_good_document(session):
    note = session.folder / "content/pairs/qqq-vs-iwm.md"
    good = note.read_text()
    note.write_text(good.replace("{{ IWM.holdings_count | count }}", "{{ IWM.holdings_count | pct('x') }}"))
    assert session.apply({note}).urls == []
    (error,) = session.problems("")[0]
    assert "filter 'pct': digits must be a whole number" in error
    doc = session.ctx.site.content.pairs["qqq-vs-iwm"]
    assert "pct('x')" not in doc.body  # the site's content is still the last good version
    note.write_text(good)
    assert session.apply({note}).urls == ["qqq-vs-iwm/"] and not session.errors
