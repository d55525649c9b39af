"""Holdings and costs: concentration, overlap of two portfolios, what a fee costs."""
from __future__ import annotations

__all__ = [
    "top_share", "holdings_overlap", "fee_cost",
]


def top_share(weights: list[float], n: int = 10) -> float:
    """Concentration: the combined weight of the ``n`` largest holdings (fractions summed).

    NaN when fewer than ``n`` weights are known.
    """
    w = sorted(weights, reverse=True)
    return float(sum(w[:n])) if len(w) >= n else float("nan")


def holdings_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Overlap by weight of two portfolios: ``sum(min(w_a, w_b))`` over holdings both own.

    ``a`` and ``b`` map holding tickers to portfolio weights (fractions).  With
    complete holdings lists the result is the share of each fund that is the
    same portfolio (1 = identical, 0 = nothing in common); with only the largest
    holdings published it is a lower bound.
    """
    return float(sum(min(w, b[t]) for t, w in a.items() if t in b))


def fee_cost(amount: float, years: float, annual_return: float, expense_low: float, expense_high: float) -> float:
    """What a higher expense ratio costs: the gap between two investments after ``years``.

    Both start at ``amount`` and grow at ``annual_return`` before fees, compounding
    once a year with the fee taken as ``(1 + r - e)``:
    ``amount * ((1 + r - e_low) ** years - (1 + r - e_high) ** years)``.

    Parameters
    ----------
    amount : float
        Starting investment in dollars (e.g. 10,000).
    years : float
        Holding period in years.
    annual_return : float
        Assumed yearly return before fees, a fraction.
    expense_low, expense_high : float
        The two expense ratios, fractions per year.

    Returns
    -------
    float
        Dollars (positive when ``expense_high > expense_low``).
    """
    return amount * ((1 + annual_return - expense_low) ** years - (1 + annual_return - expense_high) ** years)
