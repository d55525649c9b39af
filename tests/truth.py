"""The sentence checker: builds the site at many dates and holds every generated sentence against the
figures it cites, re-deriving each comparison independently of ``versus.facts``.

Every sentence a page generates is in its JSON's ``statements`` (summary, takeaways, FAQ answers, chart
descriptions, fund facts, group summary, what changed), each with its **claims**: what it states, with
the raw figures and the JSON paths they are published at (``versus/facts/verdict.py`` documents the
kinds).  This checker does not trust a claim's verdict: for each it

* reads the raw figures from the page's fund and pair sections (``ref``) and checks the claim carries
  the same values;
* re-derives who leads, the degree word and "about the same" from those figures with its own copy of
  the thresholds (the rules of the methodology page), formats the figures itself and checks the
  sentence shows them, names the leader as the subject of the comparative and names the horizon;
* checks the lead in points against the two rounded numbers shown, signs against direction words
  ("grew to" only for gains), bands ("closely correlated"), ranks, tallies and extremes;
* checks each page as a whole: takeaways and FAQ never disagree on the same comparison, no takeaway is
  repeated, no sentence with comparative words is left without a claim, no "−0.0".

``python tests/truth.py`` runs the full set of dates (``make truth``); ``tests/test_truth.py`` a fast
subset in ``make test``.  Both print the counts: dates, pages, sentences, claims, problems by class.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MINUS = "\u2212"
# the rules, restated (methodology page): thresholds on the figures as shown
RETURN_TIE, RETURN_SLIGHT = 0.1, 2.0            # points
FEE_IDENTICAL, FEE_FAR = 0.02, 5.0              # points, ratio
YIELD_TIE, DRAWDOWN_TIE = 0.05, 0.5             # points
GROWTH_TIE, GROWTH_MUCH = 0.02, 0.25            # relative
CONC_TIE, CONC_FAR = 2.0, 2.0                   # points, ratio
CORR_HIGH, CORR_MODERATE = 0.8, 0.5
DIGITS = {"return": 1, "fee": 2, "yield": 2, "drawdown": 1, "concentration": 1}
HORIZON_WORDS = {"1y": ("past year", "one-year", "1 year", "one year"), "3y": ("three years", "3 years"),
                 "5y": ("five years", "five-year", "5 years"), "10y": ("ten years", "ten-year", "10 years")}
UP, DOWN, FLAT = ({"grew to", "ahead of", "above", "rising"},
                  {"fell to", "fell as far as", "behind", "below", "falling", "deepest", "below its all-time high",
                   "worst fall", "fell less than"},
                  {"stayed at", "level with", "flat", "at its all-time high", "at an all-time high"})
TIE_WORDS = {"return": "about the same", "fee": "nearly identical", "yield": "about the same",
             "drawdown": "about as deep", "growth": "about the same", "concentration": "similarly concentrated"}
VERB = {"return": r"outperformed", "fee": r"\bcheaper\b", "yield": r"the higher", "drawdown": r"the deeper|fell further",
        "concentration": r"more concentrated", "growth": r"\bmore (?=in|than)", "fee_cost": r"compared with"}
"""The comparative of each rule: the fund named last before it is its subject (", not X," left out)."""
AFTER = {"growth": r"(?:more|much more) (?:than|in) (?:the \S+ it \S+ to in |in )?", "fee_cost": r"compared with "}
"""Rules whose leader is named after the comparative ("more in QQQ than", "compared with QQQ")."""
COMPARATIVE = re.compile(r"\b(outperform\w*|beat|cheaper|cheapest|dearest|higher|deeper|deepest|ahead|behind|"
                         r"rising|falling|grew|fell|leads?|led|about the same|nearly identical|similarly|about as deep|"
                         r"closely|moderately|loosely|negatively|most|least|widest)\b")
NOT_COMPARATIVE = re.compile(r"Whether one fund leads the other|more than (six months|a year|\d)|over a year|after this page's date|not compared|"
                             r"cannot be (compared|tracked|tested|worked out)|lacks?|not possible|no value yet|"
                             r"highest (close|\$)|higher than|fell below|not (yet )?recovered|the least|"
                             r"at lags of|fewer than|no full|not enough history|did not fall|never fell|"
                             r"has not fallen|regained|had not regained|worst fall was \S+ from|its worst fall|"
                             r"deepest \S+ on")


def pct(x: float, digits: int = 1, sign: bool = False) -> str:
    """The checker's own rendering of a fraction in percent (U+2212, no sign on a zero)."""
    s = f"{x * 100:{'+' if sign else ''}.{digits}f}"
    if not any(c in "123456789" for c in s):
        s = s.lstrip("+-")
    return s.replace("-", MINUS) + "%"


def money(x: float) -> str:
    if abs(x) >= 1e9:
        return f"${x / 1e9:,.1f}B"
    if abs(x) >= 1e6:
        return f"${x / 1e6:,.1f}M"
    return f"${x:,.0f}"


def shown(x: float, digits: int) -> float:
    return float(f"{x * 100:.{digits}f}")


@dataclass
class Report:
    dates: int = 0
    pages: int = 0
    sentences: int = 0
    claims: int = 0
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (class, page, message)

    def add(self, cls: str, page: str, message: str) -> None:
        self.problems.append((cls, page, message))

    def by_class(self) -> Counter:
        return Counter(c for c, _, _ in self.problems)

    def summary(self) -> str:
        lines = [f"truth: {self.dates} dates, {self.pages} pages, {self.sentences} sentences, {self.claims} claims "
                 f"checked, {len(self.problems)} problems"]
        lines += [f"  {n:5d}  {c}" for c, n in sorted(self.by_class().items())]
        shown: Counter = Counter()
        for c, p, m in self.problems:  # three examples of each class
            shown[c] += 1
            if shown[c] <= 3:
                lines.append(f"  {c}: {p}: {m}")
        return "\n".join(lines)


def resolve(doc: dict, ref: str):
    node = doc
    for part in ref.split("."):
        if not isinstance(node, dict) or part not in node:
            return KeyError
        node = node[part]
    return node


def parse_number(text: str) -> float | None:
    """'34.1%' -> 0.341, '$1,402' -> 1402, '$395.0B' -> 3.95e11, '0.73' -> 0.73, '−1.8%' -> -0.018."""
    t = text.replace(MINUS, "-").replace(",", "").replace("+", "")
    scale = 1.0
    if t.endswith("%"):
        t, scale = t[:-1], 0.01
    if t.startswith("$"):
        t = t[1:]
        for unit, k in (("B", 1e9), ("M", 1e6)):
            if t.endswith(unit):
                t, scale = t[:-1], k
    try:
        return float(t) * scale
    except ValueError:
        return None


def _value(doc, c, page, report, key="value"):
    """A claim's raw value, checked against the JSON figure it cites."""
    v = c.get(key)
    if c.get("ref") and key == "value":
        published = resolve(doc, c["ref"])
        if published is KeyError:
            report.add("claim cites an unknown figure", page, c["ref"])
        elif not (isinstance(v, (int, float)) and isinstance(published, (int, float))
                  and abs(v - published) <= 1e-8):  # the JSON rounds to 8 decimals
            report.add("claim value differs from the JSON figure", page, f"{c['ref']}: {v} vs {published}")
    return v


def expected_verdict(rule: str, a: str, va: float, b: str, vb: float) -> tuple[str | None, str]:
    """(leader or None, degree) as the rules say, re-derived here."""
    if rule == "growth":
        rel = max(va, vb) / min(va, vb) - 1
        if rel < GROWTH_TIE:
            return None, ""
        return (a if va > vb else b), ("much" if rel > GROWTH_MUCH else "")
    if rule == "fee_cost":
        return (a if va < vb else b), ""
    d = round(shown(va, DIGITS[rule]) - shown(vb, DIGITS[rule]), DIGITS[rule])
    if rule == "return":
        if abs(d) <= RETURN_TIE + 1e-9:
            return None, ""
        return (a if d > 0 else b), ("slightly" if abs(d) < RETURN_SLIGHT - 1e-9 else "")
    if rule == "fee":
        if abs(d) < FEE_IDENTICAL - 1e-9:
            return None, ""
        lo, hi = sorted((va, vb))
        return (a if d < 0 else b), ("far" if lo > 0 and hi / lo > FEE_FAR else "")
    if rule == "yield":
        return (None, "") if abs(d) < YIELD_TIE - 1e-9 else ((a if d > 0 else b), "")
    if rule == "drawdown":
        return (None, "") if abs(d) < DRAWDOWN_TIE - 1e-9 else ((a if d < 0 else b), "")
    if rule == "concentration":
        if abs(d) <= CONC_TIE + 1e-9:
            return None, ""
        lo, hi = sorted((va, vb))
        return (a if d > 0 else b), ("far" if lo > 0 and hi / lo > CONC_FAR else "")
    raise ValueError(rule)


def check_compare(doc, text, c, page, report) -> None:
    (a, b), rule = c["funds"], c["rule"]
    vals = dict(c["values"])
    for t, ref in (c.get("refs") or {}).items():
        published = resolve(doc, ref)
        if published is KeyError or published is None:
            report.add("claim cites an unknown figure", page, ref)
        elif abs(published - vals[t]) > 1e-8:
            report.add("claim value differs from the JSON figure", page, f"{ref}: {vals[t]} vs {published}")
    lead, degree = expected_verdict(rule, a, vals[a], b, vals[b])
    if c.get("on"):
        return check_previous(text, c, lead, page, report)
    if (lead, degree) != (c["leader"], c["degree"]):
        report.add(f"wrong comparative ({rule})", page, f"says {c['leader']}/{c['degree']!r}, figures give "
                   f"{lead}/{degree!r}: {text[:120]}")
        return
    if rule in DIGITS:
        for t in (a, b):
            want = pct(vals[t], DIGITS[rule])
            if want.lstrip(MINUS) not in text:
                report.add("figure not shown as stated", page, f"{t} {want}: {text[:120]}")
    elif rule == "growth":
        for t in (a, b):
            if money(vals[t]) not in text:
                report.add("figure not shown as stated", page, f"{t} {money(vals[t])}: {text[:120]}")
    if lead is None:
        if TIE_WORDS.get(rule, "") not in text:
            report.add(f"tie not worded ({rule})", page, text[:160])
        return
    sentence = _sentence(text, c)
    if subject(sentence, rule, (a, b)) != lead:
        report.add(f"leader not the subject ({rule})", page, f"{lead}: {sentence[:160]}")
    said = degree_said(sentence, rule)
    if said != degree:
        report.add(f"degree word {'missing' if degree else 'unfounded'} ({rule})", page,
                   f"{degree or said}: {sentence[:160]}")
    if c.get("lead"):
        d = abs(round(shown(vals[a], DIGITS[rule]) - shown(vals[b], DIGITS[rule]), DIGITS[rule]))
        want = f"{d:.{DIGITS[rule]}f} points"
        if c["lead"] != want or want not in text:
            report.add("lead disagrees with the rounded figures", page, f"{c['lead']} vs {want}: {text[:160]}")


def _sentence(text: str, c: dict) -> str:
    """The sentence of ``text`` a claim is about: the one naming its horizon, else the one naming both funds."""
    parts = [p for p in re.split(r"(?<=[.;])\s+(?=[A-Z])", text) if p]
    words = HORIZON_WORDS.get(c.get("horizon") or "", ())
    timed = [p for p in parts if not words or any(w in p for w in words)]
    verb = [p for p in timed if re.search(VERB.get(c["rule"], "^$"), p)]
    both = [p for p in (verb or timed) if all(t in p for t in c["funds"])]
    return (verb if len(verb) == 1 else both or verb or timed or [text])[0]


def degree_said(sentence: str, rule: str) -> str:
    """The degree word right before the rule's comparative ("slightly outperformed", "far cheaper", "much more")."""
    m = re.search(VERB[rule], sentence)
    if not m:
        return ""
    before = sentence[: m.start()].split()
    return before[-1] if before and before[-1] in ("slightly", "far", "much") else ""


def subject(sentence: str, rule: str, funds) -> str | None:
    """The fund a comparative is said of: the last one named before the rule's comparative word (or, for the
    rules that name it after, the first one named after it)."""
    plain = re.sub(r", not [A-Z]+,", ",", sentence)
    tickers = "|".join(re.escape(t) for t in funds)
    if rule in AFTER:
        m = re.search(AFTER[rule] + rf"({tickers})\b", plain)
        if rule == "growth" and m is None:
            m = re.search(rf"in ({tickers}), (?:much )?more than", plain)
        return m.group(1) if m else None
    m = re.search(VERB[rule], plain)
    if not m:
        return None
    before = re.findall(rf"\b({tickers})\b", plain[: m.start()])
    return before[-1] if before else None


def check_previous(text, c, lead, page, report) -> None:
    if lead != c["leader"]:
        report.add("wrong comparative (then)", page, f"{c['leader']} vs {lead}: {text[:120]}")


def check_sign(doc, text, c, page, report) -> None:
    v = _value(doc, c, page, report)
    says = "up" if v > 0 else "down" if v < 0 else "flat"
    words = c["words"]
    kind = "up" if words in UP else "down" if words in DOWN else "flat" if words in FLAT else None
    if kind is None:
        report.add("unknown direction word", page, words)
    elif kind != says or c["says"] != says:
        report.add("direction word contradicts the sign", page, f"{words!r} for {v}: {text[:160]}")
    if words not in text:
        report.add("direction word not in the sentence", page, f"{words!r}: {text[:160]}")


def check_figure(doc, text, c, page, report) -> None:
    v = _value(doc, c, page, report)
    s = c["shown"]
    if s not in text:
        report.add("figure not shown as stated", page, f"{s}: {text[:160]}")
    got = parse_number(s)
    if got is None or v is None:
        return
    digits = len(s.split(".")[1].rstrip("%BM")) if "." in s else 0
    unit = 10 ** -digits * (0.01 if s.endswith("%") else 1e9 if s.endswith("B") else 1e6 if s.endswith("M") else 1)
    if abs(got - v) > unit / 2 + 1e-12 and abs(got - abs(v)) > unit / 2 + 1e-12:
        report.add("figure rounded wrongly", page, f"{s} for {v}: {text[:120]}")


def check_level(doc, text, c, page, report) -> None:
    v = _value(doc, c, page, report)
    want = "negatively" if v < 0 else "closely" if v >= CORR_HIGH else "moderately" if v >= CORR_MODERATE else "loosely"
    if c["says"] != want:
        report.add("wrong band", page, f"{c['says']} for {v}, rules give {want}: {text[:120]}")
    elif want not in text.lower():
        report.add("band word not in the sentence", page, f"{want}: {text[:120]}")


def check_rank(doc, text, c, page, report) -> None:
    """The best and worst named (a fund, or every fund tied there as shown) hold, no tie is left out, and the
    ranked funds are named."""
    vals, digits = c["values"], DIGITS.get(c.get("rule") or "return", 1)
    seen = {t: shown(v, digits) for t, v in vals.items()}
    for key, end in (("best", max(seen.values())), ("worst", min(seen.values()))):
        named = c[key] if isinstance(c[key], list) else [] if c[key] is None else [c[key]]
        if not named:
            continue
        tops = [t for t, v in seen.items() if v == end]
        if any(seen[t] != end for t in named):
            report.add("wrong rank", page, f"{key} {named} vs {tops}: {text[:120]}")
        elif sorted(named) != sorted(tops):
            report.add("tie ranked as a lead", page, f"{key} {named}, tied as shown: {tops}: {text[:120]}")
        for t in named:
            if not re.search(rf"\b{t}\b", text):
                report.add("ranked fund not named", page, f"{t}: {text[:120]}")


def check_tally(doc, text, c, page, report) -> None:
    rows = c["rows"]
    n = sum(1 for v in rows.values() if (v[0] > 0 if c["test"] == "positive" else v[0] > v[1]))
    if n != c["count"] or c["of"] != len(rows):
        report.add("wrong count", page, f"{c['count']} of {c['of']} vs {n} of {len(rows)}: {text[:120]}")
    if f"{n} of {len(rows)}" not in text:
        report.add("count not in the sentence", page, f"{n} of {len(rows)}: {text[:120]}")


def check_extremes(doc, text, c, page, report) -> None:
    vals = c["values"]
    if c.get("best") is not None and vals[c["best"]] != max(vals.values()):
        report.add("wrong extreme", page, f"best {c['best']}: {text[:120]}")
    if c.get("worst") is not None and vals[c["worst"]] != min(vals.values()):
        report.add("wrong extreme", page, f"worst {c['worst']}: {text[:120]}")


def check_widest(doc, text, c, page, report) -> None:
    gaps = {y: abs(a - b) for y, (a, b) in c["rows"].items()}
    if gaps[c["year"]] != max(gaps.values()):
        report.add("wrong extreme", page, f"widest {c['year']}: {text[:120]}")


def check_leaders(doc, text, c, page, report) -> None:
    counts = Counter(max(r, key=r.get) for r in c["rows"].values())
    if dict(counts) != c["counts"]:
        report.add("wrong count", page, f"{c['counts']} vs {dict(counts)}: {text[:120]}")
    for t, n in c["counts"].items():
        if f"{t} in {n} of {len(c['rows'])}" not in text:
            report.add("count not in the sentence", page, f"{t} {n}: {text[:120]}")


def check_order(doc, text, c, page, report) -> None:
    vals = c["values"]
    want = sorted(vals, key=vals.get, reverse=c.get("higher_first", True))
    if [vals[t] for t in want] != [vals[t] for t in c["order"]]:
        report.add("wrong order", page, f"{c['order']} vs {want}: {text[:120]}")
    pos = [text.find(f"{t} ") for t in c["order"]]
    if pos != sorted(pos):
        report.add("listed out of order", page, text[:120])


def check_bounds(doc, text, c, page, report) -> None:
    if "low" in c and any(v < c["low"] - 1e-12 for v in c["values"]):
        report.add("lowest above another value", page, text[:120])
    if "high" in c and any(v > c["high"] + 1e-12 for v in c["values"]):
        report.add("highest below another value", page, text[:120])


def check_lead_lag(doc, text, c, page, report) -> None:
    beats = abs(c["strongest"]) - abs(c["same_day"]) > c["margin"] and abs(c["strongest"]) > c["noise_band"]
    if bool(c["leader"]) != beats:
        report.add("wrong lead-lag verdict", page, text[:160])
    if c["leader"] is None and "Neither fund leads" not in text:
        report.add("wrong lead-lag verdict", page, text[:160])
    if c["leader"] and f"{c['leader']} has tended to lead" not in text:
        report.add("leader not the subject (lead-lag)", page, text[:160])


def check_range(doc, text, c, page, report) -> None:
    if c["min"] > c["max"]:
        report.add("range upside down", page, text[:120])
    if c.get("horizon") == "5y":
        since, as_of = c.get("since"), doc.get("as_of")
        if since and as_of and (int(as_of[:4]) - int(since[:4])) * 12 + int(as_of[5:7]) - int(since[5:7]) > 61:
            report.add("windows do not cover the horizon", page, f"since {since}: {text[:120]}")
        if since and as_of and (int(as_of[:4]) - int(since[:4])) * 12 + int(as_of[5:7]) - int(since[5:7]) < 59:
            report.add("windows do not cover the horizon", page, f"since {since}: {text[:120]}")


def check_share(doc, text, c, page, report) -> None:
    """"QQQ's one-year return beat IWM's in 62% of these one-year windows": the count over the windows, as shown,
    said of the first fund against the second."""
    a, b = c["funds"]
    if not (0 <= c["count"] <= c["of"]) or c["of"] == 0 or abs(c["count"] / c["of"] - c["value"]) > 1e-9:
        report.add("wrong share", page, f"{c['count']} of {c['of']} vs {c['value']}: {text[:120]}")
        return
    want = pct(c["value"], 0)
    if c["shown"] != want or f"{b}'s in {want}" not in text:
        report.add("figure not shown as stated", page, f"{b} {want}: {text[:160]}")
    if f"{a}'s one-year return {c['words']}" not in text:
        report.add(f"leader not the subject (share)", page, f"{a}: {text[:160]}")


def check_crossing(doc, text, c, page, report) -> None:
    lvl, then, now = c["level"], c["then"], c["now"]
    if not ((then > lvl >= now) or (then <= lvl < now)):
        report.add("crossing not crossed", page, text[:120])


CHECKS = {"compare": check_compare, "sign": check_sign, "figure": check_figure, "level": check_level,
          "rank": check_rank, "tally": check_tally, "extremes": check_extremes, "widest": check_widest,
          "order": check_order, "bounds": check_bounds, "lead_lag": check_lead_lag, "range": check_range,
          "crossing": check_crossing, "leaders": check_leaders, "share": check_share}
COMPARING = {"compare", "sign", "level", "rank", "tally", "extremes", "widest", "order", "lead_lag", "crossing",
             "leaders", "share"}


def check_statement(doc: dict, st: dict, page: str, report: Report) -> None:
    text = st["text"]
    report.sentences += 1
    if re.search(rf"[{MINUS}-]0\.0+(%| points|\b)(?![0-9])", text):
        report.add("negative zero", page, text[:120])
    for c in st["claims"]:
        report.claims += 1
        if c["kind"] == "horizon":
            if not any(w in text for w in HORIZON_WORDS.get(c["horizon"], ())):
                report.add("horizon not named", page, f"{c['horizon']}: {text[:120]}")
            continue
        fn = CHECKS.get(c["kind"])
        if fn is None:
            report.add("unknown claim kind", page, c["kind"])
            continue
        fn(doc, text, c, page, report)
        if c["kind"] == "compare" and c.get("horizon") and not any(
                w in text for w in HORIZON_WORDS.get(c["horizon"], ())):
            report.add("horizon not named", page, f"{c['horizon']}: {text[:120]}")
    if "grew to" in text:
        ups = sum(1 for c in st["claims"] if c["kind"] == "sign" and c["words"] == "grew to" and c["says"] == "up")
        if text.count("grew to") > ups:
            report.add("'grew to' without a gain", page, text[:160])
    plain = NOT_COMPARATIVE.sub(" ", text)
    if COMPARATIVE.search(plain) and not any(c["kind"] in COMPARING for c in st["claims"]):
        report.add("comparative sentence without a claim", page, text[:160])


def check_page(doc: dict, page: str, report: Report) -> None:
    """Every statement of one page, then the page as a whole (statements as published are compact: texts and
    claims the document already holds are referred to; :func:`versus.pages.base.expand_statements` writes them
    out)."""
    from versus.pages.base import expand_statements

    report.pages += 1
    doc = {**doc, "statements": expand_statements(doc)} if "statements" in doc else doc
    said: dict[tuple, tuple] = {}
    for st in doc.get("statements", []):
        check_statement(doc, st, page, report)
        for c in st["claims"]:
            if c["kind"] == "compare" and not c.get("on"):
                key = (c["rule"], c.get("horizon"), tuple(sorted(c["funds"])))
                verdict = (c["leader"], c["degree"])
                if key in said and said[key][0] != verdict:
                    report.add("statements contradict each other", page,
                               f"{key}: {said[key][1][:80]} / {st['text'][:80]}")
                said.setdefault(key, (verdict, st["text"]))
    takeaways = [st for st in doc.get("statements", []) if st["where"] == "takeaway"]
    ids = [i for st in takeaways for i in st["facts"]]
    if len(set(ids)) != len(ids) or len({st["text"] for st in takeaways}) != len(takeaways):
        report.add("duplicated takeaway", page, ", ".join(ids))
    horizons = Counter((c["rule"], c.get("horizon")) for st in takeaways for c in st["claims"] if c["kind"] == "compare")
    if any(n > 1 for n in horizons.values()):
        report.add("duplicated takeaway", page, str(horizons))
    if doc.get("tickers") and len(doc["tickers"]) == 2 and "statements" not in doc:
        report.add("page without statements", page, "")


def check_site(site: Path, report: Report) -> None:
    index = json.loads((site / "api/index.json").read_text())
    for rel in index["pairs"] + index["funds"] + index.get("groups", []):
        doc = json.loads((site / rel).read_text())
        check_page(doc, f"{doc.get('as_of')} {rel}", report)
        for section in doc.get("funds", {}).values():
            if re.search(r"Infinity|NaN", json.dumps(section)):
                report.add("non-finite figure", rel, "")


# --------------------------------------------------------------------------- the dates and sites
CANDIDATE_PAIRS = [("QQQ", "IWM"), ("SPY", "IWM"), ("SPY", "QQQ"), ("DIA", "SPY"), ("VOO", "IWM"), ("VOO", "VTI"),
                   ("IWM", "SCHA"), ("VOO", "IVV"), ("IWM", "VTWO"), ("QQQ", "QQQM"), ("GLD", "IAU"), ("BND", "AGG"),
                   ("TLT", "IEF"), ("SCHD", "VYM"), ("JEPI", "JEPQ"), ("XLK", "VGT"), ("VTI", "VXUS"), ("MDY", "IJH")]
FAST_PAIRS = [("QQQ", "IWM"), ("VOO", "IWM"), ("IWM", "SCHA"), ("DIA", "SPY"), ("GLD", "IAU")]
FULL_DATES = [
    "2000-01-03", "2000-12-29", "2001-09-10", "2002-10-09", "2003-12-31", "2004-02-29", "2005-07-04", "2007-10-09",
    "2008-09-15", "2008-12-31", "2009-03-09", "2009-11-03", "2010-09-09", "2010-09-10", "2010-09-22",
    "2011-12-30", "2012-11-22", "2013-06-30", "2014-12-31", "2015-08-24", "2016-02-29", "2016-06-24",
    "2017-12-25", "2018-12-24", "2019-12-31", "2020-03-23", "2020-10-13", "2021-12-31", "2022-05-04",
    "2022-10-12", "2023-12-29", "2024-06-30", "2025-04-09", "2025-04-10", "2026-01-23", "2026-01-25",
    "2026-06-18", "2026-07-14", "2026-08-21", None,
]
"""Month and year ends, weekends and holidays, crashes, funds' first days (SCHA, VOO, VTWO, QQQM, JEPQ),
VOO's tracking jump, SPY's June ex-date, the day after VTWO's and MDY's data end, the stale funds' last
date, and the default build (None)."""
FAST_DATES = ["2010-09-09", "2016-02-29", "2026-08-21", None]


def first_dates(root: Path) -> dict[str, str]:
    import pandas as pd

    prices = pd.read_parquet(root / "data/snapshot/prices.parquet", columns=["date", "ticker", "adj_close"])
    prices = prices.dropna(subset=["adj_close"])
    return {t: str(d.date()) for t, d in prices.groupby("ticker")["date"].min().items()}


def site_toml(folder: Path, pairs, day: str | None, firsts: dict[str, str], groups=True) -> Path | None:
    """A site.toml of the ``pairs`` whose funds have a price on or before ``day``."""
    live = [p for p in pairs if day is None or all(firsts[t] <= day for t in p)]
    if not live:
        return None
    funds = list(dict.fromkeys(t for p in live for t in p))
    group = [["IWM", "SPY", "QQQ"]] if groups and all(t in funds for t in ("IWM", "SPY", "QQQ")) else []
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(
        f'title = "t"\ndescription = "d"\nbase_url = "https://example.org/"\nfunds = {json.dumps(funds)}\n'
        f"pairs = {json.dumps([list(p) for p in live])}\ngroups = {json.dumps(group)}\n")
    return folder / "site.toml"


def run(dates, pairs, root: Path, report: Report, verbose: bool = True) -> None:
    from versus.cli import main

    firsts = first_dates(root)
    with tempfile.TemporaryDirectory() as tmp:
        for day in dates:
            cfg = site_toml(Path(tmp) / f"cfg-{day}", pairs, day, firsts)
            if cfg is None:
                continue
            out = Path(tmp) / f"site-{day}"
            args = ["--config", str(cfg), "--out", str(out), "--quiet"] + (["--as-of", day] if day else [])
            if main(args) != 0:
                report.add("build failed", str(day), " ".join(args))
                continue
            before = (report.sentences, len(report.problems))
            check_site(out, report)
            report.dates += 1
            if verbose:
                print(f"  {day or 'default'}: {report.sentences - before[0]} sentences, "
                      f"{len(report.problems) - before[1]} problems", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fast", action="store_true", help="the subset make test runs")
    args = ap.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    report = Report()
    run(FAST_DATES if args.fast else FULL_DATES, FAST_PAIRS if args.fast else CANDIDATE_PAIRS, root, report)
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
