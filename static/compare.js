/* /compare/: any two of the site's funds, computed in the browser from the published per-fund series
   (api/funds/<t>/series.csv, read by static/site.js versusFundSeries, which this page loads first) and
   api/compare.json (funds, pairs, risk-free rate, the site's trading calendar).
   The same conventions as the Python metrics (versus/metrics, versus/analysis/funds.py and pairs.py):
   - windows start at the last calendar day on or before the anchor (N months back, 29 Feb -> 28 Feb; ytd: 31 Dec
     of the previous year) and end at the two funds' common last close; a fund without a close on the start day
     has no figure for that horizon (never a shorter window);
   - daily returns P_t / P_{t-1} - 1 between consecutive days of the site's calendar, none across a missing close;
   - volatility: sample std (n - 1) x sqrt(252); Sharpe: mean(r - rf) / std(r - rf) x sqrt(252); Sortino:
     mean(r - rf) x 252 / (sqrt(mean(min(r - rf, 0)^2)) x sqrt(252)), rf = (1 + annual)^(1/252) - 1;
   - max drawdown: the deepest close below its running high in the window, its start close included;
   - correlation and beta (A on B, cov / var(B), n - 1) on the days both have a return after the anchor
     (90d: the last 90 such days), null when the later of the two first closes is after the anchor.
   Every figure cell gets data-key (its JSON path in the pair JSON) and data-value (the unrounded value). */
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  if (!form) { return; }
  var result = document.getElementById("compare-result");
  var status = document.getElementById("compare-status");
  var pickA = document.getElementById("pick-a"), pickB = document.getElementById("pick-b");
  var root = form.getAttribute("data-root");
  var DAY = 86400000;
  var meta = null, cal = null, calPos = null, funds = {}, loaded = {}, seq = 0;
  var MONTHS = {"1m": 1, "3m": 3, "6m": 6, "1y": 12, "3y": 36, "5y": 60, "10y": 120};

  function dayOf(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY; }
  function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }

  function anchorOf(end, h) {
    var d = new Date(end * DAY);
    if (h === "ytd") { return Date.UTC(d.getUTCFullYear() - 1, 11, 31) / DAY; }
    var m = d.getUTCFullYear() * 12 + d.getUTCMonth() - MONTHS[h];
    var y = Math.floor(m / 12), mo = m - y * 12;
    var last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();  // pandas DateOffset: clamp to the month's end
    return Date.UTC(y, mo, Math.min(d.getUTCDate(), last)) / DAY;
  }

  function lastOnOrBefore(day) {  // index of the last calendar day <= day, -1 if none
    var lo = 0, hi = cal.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (cal[mid] <= day) { lo = mid + 1; } else { hi = mid; } }
    return lo - 1;
  }

  function onCalendar(doc) {  // the fund's adjusted closes on the site's calendar (NaN where it has none)
    var p = new Float64Array(cal.length).fill(NaN);
    for (var i = 0; i < doc.dates.length; i++) { p[calPos.get(dayOf(doc.dates[i]))] = doc.adj_close[i]; }
    return p;
  }

  function mean(xs) { var s = 0; for (var i = 0; i < xs.length; i++) { s += xs[i]; } return s / xs.length; }
  function std(xs) {
    if (xs.length < 2) { return NaN; }
    var m = mean(xs), s = 0;
    for (var i = 0; i < xs.length; i++) { s += (xs[i] - m) * (xs[i] - m); }
    return Math.sqrt(s / (xs.length - 1));
  }
  function finite(v) { return typeof v === "number" && isFinite(v) ? v : null; }

  function windowFigures(p, s, e, rf) {  // rows s..e of closes p, p[s] a close
    var rets = [], excess = [], down = 0, last = NaN, high = -Infinity, mdd = 0, i;
    for (i = s; i <= e; i++) {
      if (!isNaN(p[i])) { last = p[i]; if (p[i] > high) { high = p[i]; } mdd = Math.min(mdd, p[i] / high - 1); }
      if (i > s && !isNaN(p[i]) && !isNaN(p[i - 1])) { rets.push(p[i] / p[i - 1] - 1); }
    }
    for (i = 0; i < rets.length; i++) { var x = rets[i] - rf; excess.push(x); down += Math.min(x, 0) * Math.min(x, 0); }
    var root252 = Math.sqrt(meta.trading_days), mx = mean(excess);
    return {total_return: last / p[s] - 1, volatility: std(rets) * root252,
            sharpe: mx / std(excess) * root252,
            sortino: mx * meta.trading_days / (Math.sqrt(down / excess.length) * root252),
            max_drawdown: mdd};
  }

  function fundFigures(p, e, rf) {
    var out = {}, h;
    for (var key in meta.horizons.fund) { out[key] = {}; }
    var hs = ["1m", "3m", "6m", "ytd", "1y", "3y", "5y", "10y"];
    for (var k = 0; k < hs.length; k++) {
      h = hs[k];
      var s = lastOnOrBefore(anchorOf(cal[e], h));
      var f = (s >= 0 && !isNaN(p[s])) ? windowFigures(p, s, e, rf) : null;
      for (key in out) { if (meta.horizons.fund[key].indexOf(h) >= 0) { out[key][h] = f ? finite(f[key]) : null; } }
    }
    var first = -1, lastI = -1;
    for (var i = 0; i <= e; i++) { if (!isNaN(p[i])) { if (first < 0) { first = i; } lastI = i; } }
    out.total_return.inception = (first >= 0 && lastI > first) ? finite(p[lastI] / p[first] - 1) : null;
    return out;
  }

  function corr(x, y) {  // versus.metrics.correlation_of: pandas' arithmetic (scaled deviations)
    var n = x.length;
    if (n < 3) { return NaN; }
    var mx = mean(x), my = mean(y), sx = 0, sy = 0, i, dx = [], dy = [];
    for (i = 0; i < n; i++) { dx.push(x[i] - mx); dy.push(y[i] - my); sx = Math.max(sx, Math.abs(dx[i])); sy = Math.max(sy, Math.abs(dy[i])); }
    if (sx === 0 || sy === 0) { return NaN; }
    var xx = 0, yy = 0, xy = 0;
    for (i = 0; i < n; i++) { var a = dx[i] / sx, b = dy[i] / sy; xx += a * a; yy += b * b; xy += a * b; }
    var r = xy / (n - 1) / Math.sqrt(xx / (n - 1)) / Math.sqrt(yy / (n - 1));
    return Math.max(-1, Math.min(1, r));
  }
  function beta(x, y) {
    var n = x.length;
    if (n < 3) { return NaN; }
    var mx = mean(x), my = mean(y), c = 0, v = 0;
    for (var i = 0; i < n; i++) { c += (x[i] - mx) * (y[i] - my); v += (y[i] - my) * (y[i] - my); }
    return (c / (n - 1)) / (v / (n - 1));
  }

  function pairFigures(pa, pb, e, bothFirst) {
    var days = [], x = [], y = [], i;
    for (i = 1; i <= e; i++) {
      if (!isNaN(pa[i]) && !isNaN(pa[i - 1]) && !isNaN(pb[i]) && !isNaN(pb[i - 1])) {
        days.push(cal[i]); x.push(pa[i] / pa[i - 1] - 1); y.push(pb[i] / pb[i - 1] - 1);
      }
    }
    var out = {correlation: {}, beta: {}}, hs = meta.horizons.pair.correlation;
    for (var k = 0; k < hs.length; k++) {
      var h = hs[k], start = null;
      if (h === "90d") { start = days.length >= 90 ? days.length - 90 : null; } else {
        var anchor = anchorOf(cal[e], h);
        if (bothFirst <= anchor) { start = 0; while (start < days.length && days[start] <= anchor) { start++; } }
      }
      out.correlation[h] = start === null ? null : finite(corr(x.slice(start), y.slice(start)));
      out.beta[h] = start === null ? null : finite(beta(x.slice(start), y.slice(start)));
    }
    return out;
  }

  function growth(pa, pb, e) {  // $10,000 from the first day both have a close, on the days both have one
    var pts = [], a0 = null, b0 = null;
    for (var i = 0; i <= e; i++) {
      if (isNaN(pa[i]) || isNaN(pb[i])) { continue; }
      if (a0 === null) { a0 = pa[i]; b0 = pb[i]; }
      pts.push([cal[i], 10000 * pa[i] / a0, 10000 * pb[i] / b0, pa[i] / a0 - 1, pb[i] / b0 - 1]);
    }
    return pts;
  }

  function text(v, fmt) {
    if (v === null) { return "\u2014"; }
    var s = fmt === "pct" ? (v * 100).toFixed(1) + "%" : v.toFixed(2);
    return /^-0\.0+%?$/.test(s) ? s.slice(1) : s.replace("-", "\u2212");
  }
  function put(cell, key, v, fmt, why) {
    cell.setAttribute("data-key", key);
    if (v === null) { cell.removeAttribute("data-value"); cell.title = why; } else {
      cell.setAttribute("data-value", String(v)); cell.removeAttribute("title");
    }
    cell.textContent = text(v, fmt);
  }

  function svgGrowth(pts, a, b) {
    var el = document.getElementById("compare-growth");
    if (pts.length < 2) { el.textContent = "The two funds have fewer than two days with a close in common."; return; }
    var W = 640, H = 260, L = 56, R = 12, T = 10, B = 24, step = Math.max(1, Math.floor(pts.length / 640));
    var lo = Infinity, hi = -Infinity, i;
    for (i = 0; i < pts.length; i++) { lo = Math.min(lo, pts[i][1], pts[i][2]); hi = Math.max(hi, pts[i][1], pts[i][2]); }
    lo = Math.log(lo); hi = Math.log(hi); if (hi === lo) { hi = lo + 1; }
    var d0 = pts[0][0], d1 = pts[pts.length - 1][0] || d0 + 1;
    function X(d) { return (L + (d - d0) / Math.max(1, d1 - d0) * (W - L - R)).toFixed(1); }
    function Y(v) { return (T + (hi - Math.log(v)) / (hi - lo) * (H - T - B)).toFixed(1); }
    function line(col) {
      var s = [];
      for (i = 0; i < pts.length; i += step) { s.push(X(pts[i][0]) + "," + Y(pts[i][col])); }
      s.push(X(pts[pts.length - 1][0]) + "," + Y(pts[pts.length - 1][col]));
      return s.join(" ");
    }
    var end = pts[pts.length - 1];
    function money(v) { return "$" + Math.round(v).toLocaleString("en-US"); }
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H); svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Growth of $10,000 from " + isoOf(d0) + " to " + isoOf(end[0]) + ": " + a + " " +
      money(end[1]) + ", " + b + " " + money(end[2]) + " (log scale)");
    var parts = [["line-a", 1], ["line-b", 2]];
    for (var k = 0; k < 2; k++) {
      var pl = document.createElementNS(ns, "polyline");
      pl.setAttribute("points", line(parts[k][1])); pl.setAttribute("class", "compare-" + parts[k][0]);
      pl.setAttribute("fill", "none"); svg.appendChild(pl);
    }
    [[lo, money(Math.exp(lo))], [hi, money(Math.exp(hi))]].forEach(function (t) {
      var tx = document.createElementNS(ns, "text");
      tx.setAttribute("x", 2); tx.setAttribute("y", Y(Math.exp(t[0]))); tx.textContent = t[1]; svg.appendChild(tx);
    });
    [[d0, "start"], [end[0], "end"]].forEach(function (t) {
      var tx = document.createElementNS(ns, "text");
      tx.setAttribute("x", X(t[0])); tx.setAttribute("y", H - 4); tx.setAttribute("text-anchor", t[1]);
      tx.textContent = isoOf(t[0]); svg.appendChild(tx);
    });
    el.replaceChildren(svg);
    var legend = document.createElement("p");
    legend.className = "compare-legend";
    [[a, "line-a", end[1], end[3]], [b, "line-b", end[2], end[4]]].forEach(function (t) {
      var s = document.createElement("span");
      s.className = "compare-key compare-" + t[1];
      s.setAttribute("data-key", "pair.since_common_start.total_return." + t[0]);
      s.setAttribute("data-value", String(t[3]));
      s.textContent = t[0] + ": " + money(t[2]) + " (" + text(t[3], "pct") + ")"; legend.appendChild(s);
    });
    el.appendChild(legend);
  }

  function series(t) {
    if (!loaded[t]) {
      loaded[t] = window.versusFundSeries(root + funds[t].series).then(onCalendar);
    }
    return loaded[t];
  }

  function pairLink(a, b) {
    var el = document.getElementById("compare-pair-link");
    el.replaceChildren();
    for (var i = 0; i < meta.pairs.length; i++) {
      var p = meta.pairs[i];
      if ((p.a === a && p.b === b) || (p.a === b && p.b === a)) {
        var link = document.createElement("a");
        link.href = root + p.url; link.textContent = p.a + " vs " + p.b + ": the full comparison page";
        link.id = "compare-page-link";
        el.append(link, " (charts, costs, holdings and commentary).");
        return;
      }
    }
    el.textContent = "This site has no comparison page for " + a + " and " + b + ": the figures below are computed here.";
  }

  function render(a, b, pa, pb) {
    var fa = funds[a], fb = funds[b];
    var endDay = Math.min(dayOf(fa.last), dayOf(fb.last)), e = calPos.get(endDay);
    var rf = Math.pow(1 + meta.risk_free_rate, 1 / meta.trading_days) - 1;
    var figs = {a: fundFigures(pa, e, rf), b: fundFigures(pb, e, rf)}, tick = {a: a, b: b};
    if (a === b) { figs.b = figs.a; }
    var pf = pairFigures(pa, pb, e, Math.max(dayOf(fa.first), dayOf(fb.first)));
    document.querySelector(".compare-a").textContent = a;
    document.querySelector(".compare-b").textContent = b;
    document.querySelector(".compare-end").textContent = isoOf(endDay);
    document.querySelectorAll("#compare-funds td").forEach(function (cell) {
      var side = cell.getAttribute("data-side"), key = cell.getAttribute("data-figure"), h = cell.getAttribute("data-horizon");
      var path = "funds." + tick[side] + "." + key + "." + h + (key === "max_drawdown" ? ".value" : "");
      put(cell, path, figs[side][key][h], cell.getAttribute("data-fmt"), "not computable over the full window to " + isoOf(endDay));
    });
    document.querySelectorAll("#compare-pair td").forEach(function (cell) {
      var key = cell.getAttribute("data-figure"), h = cell.getAttribute("data-horizon");
      put(cell, "pair." + key + "." + h, pf[key][h], cell.getAttribute("data-fmt"), "too few common trading days for the window");
    });
    pairLink(a, b);
    svgGrowth(growth(pa, pb, e), a, b);
  }

  function pick(a, b) {
    var t0 = performance.now(), mine = ++seq;
    if (!funds[a] || !funds[b]) { return Promise.reject(new Error("not a fund of this site: " + (funds[a] ? b : a))); }
    pickA.value = a; pickB.value = b;
    history.replaceState(null, "", "?a=" + encodeURIComponent(a) + "&b=" + encodeURIComponent(b));
    status.textContent = "Computing " + a + " vs " + b + " \u2026";
    return Promise.all([series(a), series(b)]).then(function (ps) {
      if (mine !== seq) { return; }
      render(a, b, ps[0], ps[1]);
      var ms = performance.now() - t0;
      result.setAttribute("data-pair", a + "|" + b);
      result.setAttribute("data-ms", ms.toFixed(1));
      status.textContent = a + " vs " + b + ", both to their common last close.";
    }).catch(function (err) {
      status.textContent = "Could not load the prices: " + err.message;
      throw err;
    });
  }

  function fromUrl() {
    var q = new URLSearchParams(location.search);
    var a = (q.get("a") || "").toUpperCase(), b = (q.get("b") || "").toUpperCase();
    return [funds[a] ? a : pickA.value, funds[b] ? b : pickB.value];
  }

  fetch(form.getAttribute("data-api")).then(function (r) { return r.json(); }).then(function (doc) {
    meta = doc;
    var d = dayOf(doc.calendar.start);
    cal = new Float64Array(doc.calendar.steps.length + 1);
    cal[0] = d;
    for (var i = 0; i < doc.calendar.steps.length; i++) { d += doc.calendar.steps[i]; cal[i + 1] = d; }
    calPos = new Map();
    for (i = 0; i < cal.length; i++) { calPos.set(cal[i], i); }
    doc.funds.forEach(function (f) { funds[f.ticker] = f; });
    form.hidden = false; result.hidden = false;
    function changed() { pick(pickA.value, pickB.value).catch(function () {}); }
    pickA.addEventListener("change", changed);
    pickB.addEventListener("change", changed);
    window.versusCompare = {pick: pick, ready: true};
    var ab = fromUrl();
    return pick(ab[0], ab[1]);
  }).catch(function (err) {
    status.textContent = "Could not load the comparison data: " + err.message;
    result.hidden = false;
  });
}());
