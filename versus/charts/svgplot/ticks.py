"""Scales and ticks: d3's tick steps and nice domains, log ticks, time ticks, label thinning."""
from __future__ import annotations

import math
from datetime import date

from ...util import MONTHS
from .text import text_width


def tick_step(lo: float, hi: float, count: int) -> float:
    """d3's tick step: 1, 2 or 5 times a power of ten, about ``count`` ticks over [lo, hi]."""
    raw = abs(hi - lo) / max(1, count)
    if raw == 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    err = raw / power
    f = 10 if err >= math.sqrt(50) else 5 if err >= math.sqrt(10) else 2 if err >= math.sqrt(2) else 1
    return f * power


def nice(lo: float, hi: float, count: int) -> tuple[float, float]:
    for _ in range(2):
        step = tick_step(lo, hi, count)
        lo = round(math.floor(lo / step + 1e-9) * step, 12)
        hi = round(math.ceil(hi / step - 1e-9) * step, 12)
    return lo, hi


def linear_ticks(lo: float, hi: float, count: int) -> list[float]:
    step = tick_step(lo, hi, count)
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    # integer multiples, rounded, so 0.1 * 3 prints as 0.3
    return [round(i * step, 12) for i in range(first, last + 1)]


def log_ticks(lo: float, hi: float, count: int) -> list[float]:
    """Powers of ten, and 2x / 5x of them when the range spans few decades."""
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for mults in ((1, 2, 5), (1,)):
        ticks = [m * 10.0 ** k for k in range(k0, k1 + 1) for m in mults if lo <= m * 10.0 ** k <= hi * (1 + 1e-9)]
        if len(ticks) <= count + 1 and len(ticks) >= 2:
            return ticks
    ticks = [10.0 ** k for k in range(k0, k1 + 1) if lo <= 10.0 ** k <= hi * (1 + 1e-9)]
    if len(ticks) < 2:  # less than a decade: linear ticks inside it
        ticks = [t for t in linear_ticks(lo, hi, count) if t > 0]
    return ticks


def time_ticks(lo: int, hi: int, count: int) -> list[tuple[int, str]]:
    """(ordinal day, label) ticks between two ordinal days: years, months or days."""
    span = max(1, hi - lo)
    d0, d1 = date.fromordinal(lo), date.fromordinal(hi)
    for years in (1, 2, 5, 10, 20, 50, 100):
        if span / (365.25 * years) <= count and span > 365 * 1.5:
            start = d0.year + (0 if (d0.month, d0.day) == (1, 1) else 1)
            start = -(-start // years) * years
            return [(date(y, 1, 1).toordinal(), str(y)) for y in range(start, d1.year + 1, years)]
    for months in (1, 2, 3, 6):
        if span / (30.44 * months) <= count and span > 45:
            out = []
            m = d0.year * 12 + d0.month - 1 + (0 if d0.day == 1 else 1)
            m = -(-m // months) * months
            while True:
                y, mo = divmod(m, 12)
                d = date(y, mo + 1, 1)
                if d > d1:
                    return out
                out.append((d.toordinal(), str(y) if mo == 0 else MONTHS[mo]))
                m += months
    step = next((s for s in (1, 2, 7, 14) if span / s <= count), 28)
    return [(o, f"{date.fromordinal(o).day} {MONTHS[date.fromordinal(o).month - 1]}")
            for o in range(lo, hi + 1, step)]


def thin_labels(items: list[tuple[float, str]], size: float, gap: float = 4) -> list[tuple[float, str]]:
    """Every other label dropped until none overlap (Vega's 'parity' strategy); positions are centres."""
    while len(items) > 1:
        ok = all(b[0] - a[0] >= (text_width(a[1], size) + text_width(b[1], size)) / 2 + gap
                 for a, b in zip(items, items[1:]))
        if ok:
            break
        items = items[::2]
    return items
