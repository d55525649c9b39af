"""The build report: ``build.json`` in the output, a summary printed at the end, and the same
summary in Markdown appended to ``$GITHUB_STEP_SUMMARY`` when that is set (GitHub Actions).

``build.json`` is deterministic for the same inputs: the as-of date, each fund's data
freshness, the versions and the commit built, never a wall-clock time or a duration.
Timings appear only in the printed report and the step summary.
"""
from __future__ import annotations

import hashlib
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


def build_json(prep, pages: dict, source: str, notes: list[str], warnings: list[str], freshness=None,
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
    from .outdir import SIGNATURE

    return {
        **SIGNATURE,  # the mark that versus built the folder: only such a folder is ever replaced
        "as_of": prep.as_of.date().isoformat(),
        "source": source,
        "live": freshness is not None,
        "expected_session": refresh["expected_session"] if refresh else None,
        "max_stale_days": refresh["max_stale_days"] if refresh else None,
        "funds": funds,
        "not_started": {t: first.date().isoformat() for t, first in getattr(prep, "not_started", {}).items()},
        "banner": banner,
        "pages": {f"/{u}": pages[u] for u in sorted(pages)},  # each page's date: its funds' common last close
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
    checks = getattr(result, "checks", [])
    lines.append(f"  data      {len(checks)} data-check finding{'s' if len(checks) != 1 else ''} (build.json data_checks; "
                 f"the methodology page lists them)" + (f", latest: {checks[-1]['text']}" if checks else ""))
    lines.append(f"  warnings  {len(result.warnings)}")
    lines += [f"    - {w}" for w in result.warnings]
    if timings:
        lines.append("  time      " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
    return "\n".join(lines)


def _claims(warnings: list[str], flag_claims: bool) -> tuple[list, list[str]]:
    """(claim warnings the build only flags, the other warnings)."""
    from ..content import ClaimWarning

    flagged = [flag_claims and isinstance(w, ClaimWarning) for w in warnings]
    return [w for w, f in zip(warnings, flagged) if f], [w for w, f in zip(warnings, flagged) if not f]


def markdown(result, fresh=None, live=None, timings: dict[str, float] | None = None, flag_claims: bool = False) -> str:
    """The same report in Markdown, for ``$GITHUB_STEP_SUMMARY`` (claims flagged by ``--claims=flag`` in a
    section of their own)."""
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
    checks = getattr(result, "checks", [])
    out.append(f"**Data checks: {len(checks)} finding{'s' if len(checks) != 1 else ''}** (reported, never patched; "
               "`build.json` `data_checks`)" + ("; the latest:" if checks else ""))
    out += [f"- {c['text']}" for c in checks[-5:][::-1]] + [""]
    claims, others = _claims(result.warnings, flag_claims)
    if claims:
        out += [f"### Commentary claims that no longer hold: {len(claims)}", "",
                "Flagged on their pages and in the pair JSON (`commentary.claims[].holds`); the site is published. "
                "Editors: update the text or the claim.", ""]
        out += [f"- `{c.file}:{c.line}`: {str(c).split(': ', 1)[1]}" for c in claims] + [""]
    out.append(f"**Warnings: {len(others)}**" + (" (`--strict` fails the build)" if others else ""))
    out += [f"- {w}" for w in others]
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
    try:  # relative to the working folder when inside it (.cache/yahoo-debug.log), else as given
        rel = os.path.relpath(path)
        path = path if rel.startswith("..") else rel
    except ValueError:
        pass
    return (f"{n_warn} warning{'s' if n_warn != 1 else ''}, {n_log} log record{'s' if n_log != 1 else ''} "
            f"in {path}")


def _as_of(result):
    import pandas as pd

    return pd.Timestamp(result.as_of)


def _annotation(kind: str, title: str, message: str, file: str | None = None, line: int | None = None) -> str:
    """A GitHub Actions workflow command (``::warning file=…,line=…,title=…::…``), escaped as the toolkit does."""
    def data(x: str) -> str:
        return x.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(x: str) -> str:
        return data(x).replace(":", "%3A").replace(",", "%2C")

    where = f"file={prop(file)},line={line}," if file else ""
    return f"::{kind} {where}title={prop(title)}::{data(message)}"


def _outputs(claims: list, env) -> None:
    """``$GITHUB_OUTPUT`` (a step's outputs, when set): ``claims-failed`` = how many claims no longer hold and
    ``claims-report``, their Markdown list (publish.yml's claims-issue job opens or updates an issue from it)."""
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return
    report = "\n".join(f"- [ ] `{c.file}:{c.line}`: {str(c).split(': ', 1)[1]}" for c in claims)
    delimiter = "versus_claims_" + hashlib.sha256(report.encode()).hexdigest()[:16]
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"claims-failed={len(claims)}\nclaims-report<<{delimiter}\n{report}\n{delimiter}\n")
    except OSError as exc:
        print(f"warning: cannot append to $GITHUB_OUTPUT ({exc.strerror})", file=sys.stderr)


def _append_summary(text_md: str, env) -> None:
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\n" + text_md)
    except OSError as exc:
        print(f"warning: cannot append to $GITHUB_STEP_SUMMARY ({exc.strerror})", file=sys.stderr)


def emit(result, fresh=None, live=None, timings=None, quiet: bool = False, env=None, stream=None,
         flag_claims: bool = False) -> None:
    """Print the report (unless ``quiet``), append it to the step summary, annotate the run (a claim that no
    longer holds: a warning on its file and line), set the step's outputs."""
    env = os.environ if env is None else env
    stream = sys.stderr if stream is None else stream
    if not quiet:
        print(text(result, fresh, live, timings), file=stream)
    _append_summary(markdown(result, fresh, live, timings, flag_claims), env)
    claims, _ = _claims(result.warnings, True)
    _outputs(claims, env)
    if env.get("GITHUB_ACTIONS") == "true":
        for c in claims:
            print(_annotation("warning", "commentary claim no longer holds", str(c).split(": ", 1)[1], c.file,
                              c.line), file=sys.stdout)
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
