"""The short replay inside ``make test``: four consecutive weekdays of exactly what publish.yml does
(tests/replay.py; ``make replay`` runs 60), on the real yfinance over the fake Yahoo of yahoo_http.py.

Mon 15 Jun 2026 first run, Tue rate-limited then answers and an editor pushes a claim (it holds), Wed
Yahoo fails all day (banner; the claim still holds on Tuesday's figures), Thu a revised close (QQQ), SPY's
new dividend and the claim turns false (exit 0, flagged, annotated).  Every day: changes.since = the previous
published day, the feed grows, the store's history.json is the published site's.  The site is compared with
an offline rebuild from the store on Mon (the first store), Wed (after a failed refresh) and Thu (a revision);
``make replay`` does it every day, and its 60 days hold the holidays (Memorial Day, Juneteenth, 3 July) this
short version left out.  Checks of issue 14 item 3 (not built here) are reported as pending
and do not fail the test; a pending check that now passes does (make it required in tests/replay.py).
"""
from __future__ import annotations

import io

import pandas as pd
import pytest

from replay import Replay
from siteutil import CLASSIC_SITE_TOML


@pytest.mark.replay
def test_four_days_of_the_publish_workflow(tmp_path):
    out = io.StringIO()
    # the seven-fund site: the workflow's steps need no breadth (make replay runs the repository's site.toml)
    replay = Replay(days=4, end="2026-06-18", short=True, keep=tmp_path / "replay", verbose=True, out=out,
                    site_toml=CLASSIC_SITE_TOML, offline_days=frozenset({1, 3, 4}))
    code = replay.run()
    text = out.getvalue()
    print(text)
    assert code == 0, text
    assert [d.event.name for d in replay.history] == [
        "first run (no data branch yet)", "Yahoo rate-limits, then answers; an editor pushes a claim",
        "Yahoo fails all day (HTTP 429)", "a revised close (QQQ, 2 sessions back); the claim turns false"]
    assert [d.code for d in replay.history] == [0, 0, 0, 0]
    ran = {r.check for d in replay.history for r in d.results if r.status == "ok"}
    assert {"check_exit", "check_reader", "check_banner", "check_maintainer", "check_store", "check_offline_rebuild",
            "check_quiet", "check_retries_reported", "check_revision_picked_up", "check_new_dividends",
            "check_claim", "check_history", "check_changes_since_previous_day", "check_feed_grows",
            "check_claims_never_stop_the_publish"} <= ran
    claim_days = [[r.status for r in d.results if r.check == "check_claim"] for d in replay.history]
    assert claim_days == [[], ["ok"], ["ok"], ["ok"]]  # holds, holds (refresh failed), turns false
    rebuilt = [[r.status for r in d.results if r.check == "check_offline_rebuild"] for d in replay.history]
    assert rebuilt == [["ok"], ["n/a"], ["ok"], ["ok"]]
    assert replay.history[3].dividends == {"SPY": (pd.Timestamp("2026-06-18"), 1.904),
                                           "DIA": (pd.Timestamp("2026-06-18"), 1.405)}
