"""Comparison metrics: small pure functions over 2-D frames (one column per fund).

Every function takes prices or daily returns as a ``DataFrame`` whose columns are
tickers and whose index is the trading dates, and returns one value per column,
so one call computes every fund.  Prices are dividend-adjusted closes (total
return) unless a docstring says otherwise.  Results are fractions (0.1716 for
17.16 %); drawdowns are negative.  A value that cannot be computed is NaN here
and ``null`` with a reason in the output (see :mod:`versus.analysis`).

One module per family: :mod:`.windows` (horizons and window starts), :mod:`.returns`,
:mod:`.risk`, :mod:`.relation` (two funds) and :mod:`.holdings`, and :mod:`.rolling` (pandas' rolling
mean, standard deviation and correlation on numpy arrays, which the chart series use); every function is
re-exported here, so ``from versus import metrics as m; m.total_return(...)`` works.
Each function's docstring is its convention, printed on the methodology page through
the metric registry (:mod:`versus.analysis.registry`).
"""
from __future__ import annotations

from .holdings import *  # noqa: F401,F403 - each family module lists its functions in __all__
from .relation import *  # noqa: F401,F403
from .returns import *  # noqa: F401,F403
from .risk import *  # noqa: F401,F403
from .rolling import *  # noqa: F401,F403
from .windows import *  # noqa: F401,F403
from . import holdings, periods, relation, returns, risk, rolling, windows

__all__ = [*windows.__all__, *returns.__all__, *risk.__all__, *relation.__all__, *holdings.__all__,
           *rolling.__all__]
