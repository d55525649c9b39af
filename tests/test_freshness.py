"""The freshness policy (versus.freshness) against the real NYSE calendar (exchange-calendars, offline)."""
from __future__ import annotations

import pandas as pd
import pytest

from versus.data import freshness as fr
from versus.sources.cache import REFRESH
from versus.errors import EXIT_STALE, ConfigError, StaleDataError


def ny(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz="America/New_York")


@pytest.mark.parametrize("now, expected", [
    # an ordinary Friday: after the close (+30 min) it is that day, before it the previous session
    ("2026-08-14 18:35", "2026-08-14"),
    ("2026-08-14 16:31", "2026-08-14"),
    ("2026-08-14 16:10", "2026-08-13"),   # closed, but the bar is not final yet (SETTLE)
    ("2026-08-14 10:00", "2026-08-13"),
    ("2026-08-14 00:05", "2026-08-13"),
    # weekend: the Friday
    ("2026-08-15 12:00", "2026-08-14"),
    ("2026-08-16 23:00", "2026-08-14"),
    # Monday before the open: still Friday
    ("2026-08-17 08:00", "2026-08-14"),
    # holidays: Independence Day observed (Fri 3 Jul 2026), Good Friday, Thanksgiving, Labor Day
    ("2026-07-03 18:35", "2026-07-02"),
    ("2026-04-03 18:35", "2026-04-02"),
    ("2026-11-26 18:35", "2026-11-25"),
    ("2026-09-07 18:35", "2026-09-04"),
    # early close (13:00) the day after Thanksgiving: counts from 13:30
    ("2026-11-27 13:45", "2026-11-27"),
    ("2026-11-27 12:50", "2026-11-25"),
    # the cron time 22:35 UTC in winter (17:35 EST) and summer (18:35 EDT)
    ("2026-01-14 17:35", "2026-01-14"),
])
def test_expected_session(now, expected):
    assert fr.expected_session(ny(now)) == pd.Timestamp(expected)


def test_expected_session_takes_utc_and_the_cron_time():
    # 22:35 UTC Mon 17 Aug 2026 = 18:35 EDT
    assert fr.expected_session(pd.Timestamp("2026-08-17 22:35", tz="UTC")) == pd.Timestamp("2026-08-17")
    # 22:35 UTC Fri 3 Jul 2026: a holiday, so Thursday
    assert fr.expected_session(pd.Timestamp("2026-07-03 22:35", tz="UTC")) == pd.Timestamp("2026-07-02")


@pytest.mark.parametrize("last, expected, n", [
    ("2026-08-14", "2026-08-14", 0),
    ("2026-08-17", "2026-08-14", 0),   # data newer than expected: not behind
    ("2026-08-13", "2026-08-14", 1),
    ("2026-08-14", "2026-08-20", 4),   # Mon-Thu
    ("2026-07-02", "2026-07-06", 1),   # the 3 Jul holiday and the weekend do not count
    ("2026-11-25", "2026-11-30", 2),   # Thanksgiving skipped; the half day counts
    ("2025-12-31", "2026-01-05", 2),   # New Year's Day
])
def test_sessions_behind(last, expected, n):
    assert fr.sessions_behind(pd.Timestamp(last), pd.Timestamp(expected)) == n


def test_parse_now():
    assert fr.parse_now("2026-08-14") == ny("2026-08-14 23:59").tz_convert("UTC")
    assert fr.parse_now("2026-08-14T15:00") == ny("2026-08-14 15:00").tz_convert("UTC")
    assert fr.parse_now("2026-08-14T22:35Z") == pd.Timestamp("2026-08-14 22:35", tz="UTC")
    assert str(fr.parse_now(None).tz) == "UTC"
    with pytest.raises(ConfigError, match="--today 'Friday': not a date"):
        fr.parse_now("Friday")
    assert fr.local_date(pd.Timestamp("2026-08-15 02:00", tz="UTC")).isoformat() == "2026-08-14"


def test_day_format():
    assert fr.day("2026-08-14") == "Fri 14 Aug 2026"
    assert fr.day(pd.Timestamp("2026-08-03")) == "Mon 3 Aug 2026"


def frame(lasts: dict[str, str]) -> pd.DataFrame:
    idx = pd.bdate_range("2026-07-01", "2026-08-21")
    return pd.DataFrame({t: pd.Series(1.0, index=idx[idx <= pd.Timestamp(d)]) for t, d in lasts.items()})


def test_assess_banner_when_the_refresh_failed():
    rep = fr.assess(frame({"SPY": "2026-08-17", "QQQ": "2026-08-14"}), ny("2026-08-17 18:35"), 3,
                    refreshed=["SPY"], failed={"QQQ": "no data from Yahoo Finance"})
    assert rep.expected == pd.Timestamp("2026-08-17")
    assert rep.failed == ["QQQ"] and rep.stale == ["QQQ"] and rep.over_limit == []
    rep.check()  # 1 behind, limit 3: fine
    b = rep.banner(pd.Timestamp("2026-08-14"))
    assert b["headline"] == "Prices as of Fri 14 Aug 2026; today's refresh failed"
    assert b["items"][0] == ("Not refreshed: QQQ (no data from Yahoo Finance). "
                             "Their prices are the last stored ones.")
    assert b["items"][1].startswith("Behind the latest session (Mon 17 Aug 2026): QQQ (prices end Fri 14 Aug 2026)")
    doc = rep.to_json()
    assert doc["expected_session"] == "2026-08-17" and doc["max_stale_days"] == 3
    assert doc["funds"]["QQQ"] == {"last": "2026-08-14", "sessions_behind": 1, "refreshed": False,
                                   "refresh_error": "no data from Yahoo Finance"}
    assert doc["funds"]["SPY"]["refreshed"] is True and doc["funds"]["SPY"]["sessions_behind"] == 0


def test_no_banner_when_current_and_refreshed():
    rep = fr.assess(frame({"SPY": "2026-08-14"}), ny("2026-08-16 12:00"), 3, refreshed=["SPY"])
    assert rep.banner(pd.Timestamp("2026-08-14")) is None and rep.stale == []


def test_failed_refresh_on_a_holiday_says_prices_are_current():
    rep = fr.assess(frame({"SPY": "2026-07-02"}), ny("2026-07-03 18:35"), 3, failed={"SPY": "rate-limited"})
    b = rep.banner(pd.Timestamp("2026-07-02"))
    assert b["headline"] == "Prices as of Thu 2 Jul 2026; today's refresh failed"
    assert b["items"][-1] == "The stored prices already include the latest session (Thu 2 Jul 2026)."


def test_yahoo_behind_without_failure():
    rep = fr.assess(frame({"SPY": "2026-08-13"}), ny("2026-08-14 18:35"), 3, refreshed=["SPY"])
    assert rep.banner(pd.Timestamp("2026-08-13"))["headline"] == (
        "Prices as of Thu 13 Aug 2026; the latest close is not available yet")


@pytest.mark.parametrize("limit, raises", [(3, True), (4, False), (0, True)])
def test_check_over_the_limit(limit, raises):
    rep = fr.assess(frame({"SPY": "2026-08-14", "QQQ": "2026-08-20"}), ny("2026-08-20 18:35"), limit,
                    failed={"SPY": "no data from Yahoo Finance"})
    assert rep.tickers["SPY"].behind == 4
    if not raises:
        rep.check()
        return
    with pytest.raises(StaleDataError) as ei:
        rep.check()
    msg = str(ei.value)
    assert ei.value.exit_code == EXIT_STALE == 7
    assert msg.startswith("SPY: prices end Fri 14 Aug 2026, 4 trading day(s) before the latest session "
                          f"(Thu 20 Aug 2026), over the limit of {limit}; refresh failed: no data from Yahoo Finance")
    assert "\n" not in msg and "previous site stays online" in msg


def test_limit_zero_refuses_one_day_behind():
    rep = fr.assess(frame({"SPY": "2026-08-13"}), ny("2026-08-14 18:35"), 0)
    with pytest.raises(StaleDataError, match="Yahoo Finance has no newer prices"):
        rep.check()


def test_policy_values():
    p = fr.policy(5, **REFRESH)
    assert p == {"calendar": "XNYS", "limit": 5, "settle_minutes": 30, "overlap": 5, "full_days": 7, "meta_days": 7}
