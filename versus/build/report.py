"""The build report: ``build.json`` in the output, a summary printed at the end, and the same
summary in Markdown appended to ``$GITHUB_STEP_SUMMARY`` when that is set (GitHub Actions).

``build.json`` is deterministic for the same inputs: the as-of date, each fund's data
freshness, the versions and the commit built, never a wall-clock time or a duration.
Timings appear only in the printed report and the step summary.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGES = ("pandas", "numpy", "yfinance", "exchange-calendars", "jinja2", "altair")


# --------------------------------------------------------------------------- build.json
def versions() -> dict:
    """Python and the versions of the packages a build depends on."""
    from .. import __version__

    out = {"python": platform.python_version(), "versus": __version__}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


@lru_cache(maxsize=1)
def git_commit(root: Path) -> str | None:
    """``git rev-parse HEAD`` of the site's folder (the checkout being built), or ``None`` (no git, not a
    repository)."""
    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    sha = proc.stdout.strip()
    return sha if proc.returncode == 0 and len(sha) == 40 else None


def build_json(prep, pages, source: str, notes: list[str], warnings: list[str], freshness=None,
               folder: Path | None = None) -> dict:
    """The ``build.json`` document (see the module docstring)."""
    funds = {}
    for t, fr in prep.freshness.items():
        funds[t] = {"first": fr.first.date().isoformat(), "last": fr.last.date().isoformat(), "stale": fr.stale}
    refresh = freshness.to_json() if freshness is not None else None
    if refresh:
        for t, s in refresh["funds"].items():
            funds.setdefault(t, {}).update(s)
    banner = freshness.banner(prep.as_of) if freshness is not None else None
    return {
        "as_of": prep.as_of.date().isoformat(),
        "source": source,
        "live": freshness is not None,
        "expected_session": refresh["expected_session"] if refresh else None,
        "max_stale_days": refresh["max_stale_days"] if refresh else None,
        "funds": funds,
        "banner": banner,
        "pages": sorted(f"/{u}" for u in pages),
        "notes": list(notes),
        "warnings": list(warnings),
        "versions": versions(),
        "commit": git_commit(Path(folder or Path.cwd()).resolve()),
    }


# --------------------------------------------------------------------------- the summary
def _rows(result, fresh, live) -> list[tuple[str, str, str, str]]:
    """(ticker, last close, behind, what happened) per fund."""
    if fresh is None:
        return []
    rows = []
    for t, s in fresh.tickers.items():
        if s.error:
            what = f"NOT refreshed: {s.error}"
        elif live is not None and t in live.full:
            what = f"refreshed, full history ({live.full[t]})"
        elif s.refreshed:
            what = "refreshed"
        else:
            what = "from the store"
        rows.append((t, s.last.date().isoformat(), str(s.behind), what))
    return rows


def text(result, fresh=None, live=None, timings: dict[str, float] | None = None) -> str:
    """The plain-text report printed at the end of a build."""
    lines = ["build report:", f"  pages     {len(result.pages)} written to {result.out} (as of {result.as_of})"]
    if fresh is not None:
        lines.append(f"  expected  latest NYSE session {fresh.expected.date()} (limit {fresh.limit} trading days)")
        for t, last, behind, what in _rows(result, fresh, live):
            lines.append(f"  {t:<9} last {last}, {behind} behind, {what}")
        if live is not None:
            lines.append(f"  store     {'written' if live.store_written else 'unchanged'}; {_facts(live)}")
            lines += [f"  retry     {line}" for line in live.log]
            if _third_party(live):
                lines.append(f"  yfinance  {_third_party(live)}")
    lines.append(f"  warnings  {len(result.warnings)}")
    lines += [f"    - {w}" for w in result.warnings]
    if timings:
        lines.append("  time      " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
    return "\n".join(lines)


def markdown(result, fresh=None, live=None, timings: dict[str, float] | None = None) -> str:
    """The same report in Markdown, for ``$GITHUB_STEP_SUMMARY``."""
    out = [f"## versus: {len(result.pages)} pages as of {result.as_of}", ""]
    banner = fresh.banner(_as_of(result)) if fresh is not None else None
    if banner:
        out += [f"> **{banner['headline']}**", ">"] + [f"> - {i}" for i in banner["items"]] + [""]
    if fresh is not None:
        out += [f"Expected latest NYSE session: **{fresh.expected.date()}** (limit {fresh.limit} trading days)", "",
                "| fund | last close | sessions behind | this run |", "|---|---|---|---|"]
        out += [f"| {t} | {last} | {behind} | {what.replace('|', '/')} |" for t, last, behind, what in
                _rows(result, fresh, live)]
        out.append("")
        if live is not None:
            out.append(f"Data store {'written' if live.store_written else 'unchanged'}; {_facts(live)}.")
            out += [f"- retry: {line}" for line in live.log]
            out += [f"- store/source warning: {w}" for w in live.warnings]
            if _third_party(live):
                out.append(f"- yfinance: {_third_party(live)}")
            out.append("")
    out.append(f"**Warnings: {len(result.warnings)}**" + (" (`--strict` fails the build)" if result.warnings else ""))
    out += [f"- {w}" for w in result.warnings]
    if timings:
        out += ["", "| stage | seconds |", "|---|---|"] + [f"| {k} | {v:.2f} |" for k, v in timings.items()]
    return "\n".join(out) + "\n"


def _facts(live) -> str:
    """``fund facts refreshed: QQQ, SPY (none from Yahoo for SCHD)``."""
    got = [t for t in live.meta_refreshed if t not in getattr(live, "meta_empty", [])]
    empty = getattr(live, "meta_empty", [])
    text = f"fund facts refreshed: {', '.join(got) or 'none'}"
    return text + (f" (none from Yahoo for {', '.join(empty)})" if empty else "")


def _third_party(live) -> str:
    """``35 warnings, 3 log records in .cache/yahoo-debug.log`` (what yfinance printed), or ''."""
    n_warn, n_log = getattr(live, "third_party", (0, 0))
    path = getattr(live, "debug_log", None)
    if not (n_warn or n_log) or not path:
        return ""
    try:
        path = os.path.relpath(path)
    except ValueError:
        pass
    return (f"{n_warn} warning{'s' if n_warn != 1 else ''}, {n_log} log record{'s' if n_log != 1 else ''} "
            f"in {path}")


def _as_of(result):
    import pandas as pd

    return pd.Timestamp(result.as_of)


def _annotation(kind: str, title: str, message: str) -> str:
    """A GitHub Actions workflow command (``::warning title=…::…``), escaped as the toolkit does."""
    def data(x: str) -> str:
        return x.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(x: str) -> str:
        return data(x).replace(":", "%3A").replace(",", "%2C")

    return f"::{kind} title={prop(title)}::{data(message)}"


def _append_summary(text_md: str, env) -> None:
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\n" + text_md)
    except OSError as exc:
        print(f"warning: cannot append to $GITHUB_STEP_SUMMARY ({exc.strerror})", file=sys.stderr)


def emit(result, fresh=None, live=None, timings=None, quiet: bool = False, env=None, stream=None) -> None:
    """Print the report (unless ``quiet``), append it to the step summary, annotate the run."""
    env = os.environ if env is None else env
    stream = sys.stderr if stream is None else stream
    if not quiet:
        print(text(result, fresh, live, timings), file=stream)
    _append_summary(markdown(result, fresh, live, timings), env)
    if env.get("GITHUB_ACTIONS") == "true" and fresh is not None:
        banner = fresh.banner(_as_of(result))
        if banner:  # an annotation on the run page: the maintainer sees it without opening the log
            print(_annotation("warning", banner["headline"], " ".join(banner["items"])), file=sys.stdout)
        for w in (live.warnings if live is not None else []):
            print(_annotation("warning", "versus data store", w), file=sys.stdout)


def failure(exc, env=None) -> None:
    """A failed build: the error in the step summary and as an error annotation."""
    env = os.environ if env is None else env
    code = getattr(exc, "exit_code", 1)
    _append_summary(f"## versus: build FAILED (exit {code})\n\n{exc}\n\nNothing was published; the previous "
                    "deployment stays online.\n", env)
    if env.get("GITHUB_ACTIONS") == "true":
        print(_annotation("error", f"versus build failed (exit {code})", str(exc)), file=sys.stdout)
