// versus: progressive enhancement.  Every page is complete without this file: tables carry every
// figure, each chart has its finding in words, a static SVG (in <noscript>) and a data table.
//  - charts: drawn with the self-hosted vega-embed bundle when scrolled near, in the reader's colour
//    scheme; if the bundle is slow or fails, the static SVG is shown instead until it arrives;
//  - tables marked data-sortable get sort buttons in their column heads;
//  - the index's search box filters the static search index (no network needed).
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.replace("no-js", "js");  // reserve chart heights (style.css); no inline script

  // ------------------------------------------------------------------ charts
  var pageEl = doc.getElementById("chart-page");
  var page = pageEl ? JSON.parse(pageEl.textContent) : null;
  // a recipe without colours and dashes draws each series in its page style (versus.charts.specs.compact_recipes)
  if (page && page.st) Object.keys(page.charts).forEach(function (k) {
    var r = page.charts[k];
    if (r.c) return;
    r.c = r.s.map(function (n) { return page.st[n][0]; });
    r.d = r.s.map(function (n) { return page.st[n][1]; });
  });
  // the shared chart templates (static/specs/<kind>-<series>.json) and themes (static/specs/theme.json),
  // written once per build next to this file (versus/charts/specs.py shared_specs), cached by the browser
  var here = doc.currentScript && doc.currentScript.src;
  var specsBase = here ? here.replace(/[^\/]*$/, "specs/") : "static/specs/";
  var tpl = {}, tplLoading = {};
  var dates = null;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var bundle = doc.getElementById("vega-bundle");
  var state = window.vegaEmbed ? "ready" : "loading";  // loading | ready | failed
  var pending = [];
  var fallbackTimer = null;

  function expandDates(d) {
    // {"start": "2000-05-26", "steps": [3, 1, ...]}: calendar days from one row to the next
    var out = [d.start], t = Date.parse(d.start + "T00:00:00Z");
    for (var i = 0; i < d.steps.length; i++) {
      t += d.steps[i] * 86400000;
      out.push(new Date(t).toISOString().slice(0, 10));
    }
    return out;
  }

  // ------------------------------------------------------------------ shared fund series
  // Pair and group pages draw their time series from each fund's daily series, published once per fund and
  // cached by the browser (api/funds/<t>/series.csv, the fund's download): page.data.f names the files,
  // page.data.w is the page's window (the funds' common days), page.data.x says how each dataset is derived, with
  // the conventions of versus/analysis/series.py and versus/metrics (the static SVGs and tables are the same
  // numbers from Python).
  var shared = null, derived = {};

  function parseSeries(text, url) {
    // a fund's series.csv (versus/pages/series.py): "date,adj_close,close", then one line a trading day; every
    // float is Python's repr, the shortest text of the double, so Number() reads back exactly the same value
    var lines = text.split("\n"), dates = [], adj = [];
    if (lines[0].indexOf("date,adj_close,") !== 0) throw new Error(url + ": not a fund's daily series");
    for (var i = 1; i < lines.length; i++) {
      var s = lines[i], a = s.indexOf(","), b = s.indexOf(",", a + 1);
      if (a < 0) continue;  // the last line's newline
      dates.push(s.slice(0, a));
      adj.push(Number(s.slice(a + 1, b < 0 ? s.length : b)));
    }
    return { dates: dates, adj_close: adj };
  }

  // one fund's daily series, {dates: [ISO dates], adj_close: [numbers]} (static/compare.js reads it too)
  window.versusFundSeries = function (url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.text();
    }).then(function (text) { return parseSeries(text, url); });
  };

  function loadShared() {
    if (!shared) {
      var f = page.data.f, tickers = Object.keys(f);
      shared = Promise.all(tickers.map(function (t) { return window.versusFundSeries(f[t]); })).then(function (docs) {
        var j = jointDays(tickers, docs);
        Object.keys(page.data.x).forEach(function (name) { derived[name] = derive(page.data.x[name], j); });
      });
    }
    return shared;
  }

  function jointDays(tickers, docs) {
    // the days every fund has a close, inside the page's window
    var w = page.data.w, maps = docs.map(function (d) {
      var m = {};
      for (var i = 0; i < d.dates.length; i++) m[d.dates[i]] = d.adj_close[i];
      return m;
    });
    var j = { dates: [], cols: {} };
    tickers.forEach(function (t) { j.cols[t] = []; });
    docs[0].dates.forEach(function (d) {
      if (d < w.start || d > w.end) return;
      for (var k = 0; k < maps.length; k++) if (typeof maps[k][d] !== "number") return;
      j.dates.push(d);
      tickers.forEach(function (t, k) { j.cols[t].push(maps[k][d]); });
    });
    return j;
  }

  function returnsOf(p) {  // simple daily returns; r[i] is labelled with day i (r[0] = NaN)
    var r = [NaN];
    for (var i = 1; i < p.length; i++) r.push(p[i] / p[i - 1] - 1);
    return r;
  }

  function rolling(n, len, fn) {  // fn(first, last) over full windows of n rows ending at each row
    var out = [];
    for (var i = 0; i < len; i++) out.push(i + 1 >= n ? fn(i + 1 - n, i) : NaN);
    return out;
  }

  function stdev(r, a, b) {
    var m = 0, s = 0, n = b - a + 1, i;
    for (i = a; i <= b; i++) m += r[i];
    m /= n;
    for (i = a; i <= b; i++) s += (r[i] - m) * (r[i] - m);
    return Math.sqrt(s / (n - 1));
  }

  function corr(x, y, a, b) {
    var mx = 0, my = 0, n = b - a + 1, sxy = 0, sxx = 0, syy = 0, i;
    for (i = a; i <= b; i++) { mx += x[i]; my += y[i]; }
    mx /= n; my /= n;
    for (i = a; i <= b; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my); }
    return sxy / Math.sqrt(sxx * syy);
  }

  function yearBefore(d, months) {  // the same day `months` months earlier (29 Feb -> 28 Feb), as pandas' DateOffset
    var y = Number(d.slice(0, 4)), m = Number(d.slice(5, 7)) - months, day = d.slice(8);
    while (m < 1) { m += 12; y -= 1; }
    var last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    if (Number(day) > last) day = String(last);
    return String(y).padStart(4, "0") + "-" + String(m).padStart(2, "0") + "-" + day;
  }

  function derive(x, j) {
    var cols = {}, f = x.funds, base = f[0], n = j.dates.length;
    if (x.op === "growth") f.forEach(function (t) { var p = j.cols[t]; cols[t] = p.map(function (v) { return 10000 * v / p[0]; }); });
    if (x.op === "drawdown") f.forEach(function (t) {
      var hi = -Infinity;
      cols[t] = j.cols[t].map(function (v) { hi = Math.max(hi, v); return v / hi - 1; });
    });
    if (x.op === "rolling_return") f.forEach(function (t) {
      var p = j.cols[t], k = -1;
      cols[t] = j.dates.map(function (d, i) {
        var anchor = yearBefore(d, x.months);
        while (k + 1 < n && j.dates[k + 1] <= anchor) k++;
        return k >= 0 ? p[i] / p[k] - 1 : NaN;
      });
    });
    if (x.op === "volatility") f.forEach(function (t) {
      var r = returnsOf(j.cols[t]).slice(1);
      cols[t] = [NaN].concat(rolling(x.days, r.length, function (a, b) { return stdev(r, a, b) * Math.sqrt(252); }));
    });
    if (x.op === "correlation") {
      var rb = returnsOf(j.cols[base]).slice(1);
      f.slice(1).forEach(function (o) {
        var ro = returnsOf(j.cols[o]).slice(1);
        cols[o] = [NaN].concat(rolling(x.days, rb.length, function (a, b) { return corr(rb, ro, a, b); }));
      });
    }
    if (x.op === "relative") {
      var pa = j.cols[f[0]], pb = j.cols[f[1]], ratio = pa.map(function (v, i) { return (v / pb[i]) / (pa[0] / pb[0]); });
      cols[x.cols[0]] = ratio;
      cols[x.cols[1]] = rolling(x.days, n, function (a, b) {
        var s = 0;
        for (var i = a; i <= b; i++) s += ratio[i];
        return s / (b - a + 1);
      });
    }
    return resampled(j.dates, cols, x.how === "min");
  }

  function resampled(dates, cols, useMin) {
    // daily rows for the last 366 days, one row per Saturday-to-Friday week before (its last day; the
    // week's last value, or its lowest for drawdowns), as versus/charts/data.py resample
    var keys = Object.keys(cols), rows = [], n = dates.length;
    if (!n) return rows;
    var day = function (d) { return Date.parse(d + "T00:00:00Z") / 86400000; };
    var cut = day(dates[n - 1]) - 366, sat = 2;  // 1970-01-03 is day 2
    var week = null, row = null;
    function flush() {
      if (row && Object.keys(row).length > 1) rows.push(row);
      row = null;
    }
    for (var i = 0; i < n; i++) {
      var t = day(dates[i]), w = t <= cut ? Math.floor((t - sat) / 7) : "d" + i;
      if (w !== week) { flush(); week = w; row = { d: dates[i] }; }
      row.d = dates[i];
      keys.forEach(function (c) {
        var v = cols[c][i];
        if (typeof v !== "number" || !isFinite(v)) return;
        if (useMin && row[c] !== undefined) v = Math.min(row[c], v);
        row[c] = v;
      });
    }
    flush();
    return rows;
  }

  function dataset(name) {
    // fresh row objects for every view: Vega tags the rows it ingests
    if (derived[name]) return JSON.parse(JSON.stringify(derived[name]));
    if (page.data.t[name]) return JSON.parse(JSON.stringify(page.data.t[name]));
    if (!dates) dates = expandDates(page.data.d);
    var cols = page.data.s[name], keys = Object.keys(cols), rows = [];
    for (var i = 0; i < dates.length; i++) {
      var row = { d: dates[i] }, any = false;
      for (var k = 0; k < keys.length; k++) {
        var v = cols[keys[k]][i];
        if (v !== null && v !== undefined) { row[keys[k]] = v; any = true; }
      }
      if (any) rows.push(row);
    }
    return rows;
  }

  function load(name) {  // a shared template (as text) or the theme (parsed), once per page
    if (!tplLoading[name]) {
      tplLoading[name] = fetch(specsBase + name + ".json").then(function (r) {
        if (!r.ok) throw new Error(name + ".json: HTTP " + r.status);
        return r.text();
      }).then(function (text) { tpl[name] = name === "theme" ? JSON.parse(text) : text; });
    }
    return tplLoading[name];
  }

  function fill(text, r, description) {
    // the page's part of a chart (versus/charts/specs.py Recipe.page) in its shared template, as
    // Recipe.spec does in Python: series names, colours, dash patterns, substitutions, height, dataset name
    var str = function (v) { return JSON.stringify(v).slice(1, -1); };
    for (var i = r.s.length - 1; i >= 0; i--) {
      text = text.split("__S" + i + "__").join(str(r.s[i]))
        .split('"__C' + i + '__"').join(JSON.stringify(r.c[i]))
        .split('"__D' + i + '__"').join(JSON.stringify(r.d[i]));
    }
    Object.keys(r.x || {}).forEach(function (k) { text = text.split(k).join(str(r.x[k])); });
    var spec = JSON.parse(text);
    spec.description = description;
    if (r.h !== undefined) spec.height = r.h;
    if (r.r) (function rename(node) {
      if (node.data && node.data.name && !(spec.datasets && spec.datasets[node.data.name])) node.data.name = r.r;
      (node.layer || []).forEach(rename);
    })(spec);
    return spec;
  }

  function descriptionOf(el) {  // the chart's finding in words, from its caption (not repeated in the page's JSON)
    var box = el.closest("figure"), p = box && box.querySelector(".chart-desc");
    return p ? p.textContent : "";
  }

  function specOf(el) {  // the chart's current spec, once its template is loaded (null before)
    var r = page.charts[el.getAttribute("data-spec")];
    return tpl[r.k] && tpl.theme ? fill(tpl[r.k], r, descriptionOf(el)) : null;
  }

  // the spec a chart draws (tests: tests/test_browser.py compares it with versus.charts.specs in Python)
  window.versusChartSpec = function (id) {
    var el = doc.getElementById(id), r = page.charts[el.getAttribute("data-spec")];
    return Promise.all([load(r.k), load("theme")]).then(function () { return specOf(el); });
  };

  function failed(el, err) {
    el.classList.add("failed");
    showFallback(el);
    console.error("chart " + el.id + ": " + err);
  }

  function namedData(spec, own, found) {
    if (spec.data && spec.data.name && !(own && own[spec.data.name])) found.push(spec.data.name);
    (spec.layer || []).forEach(function (l) { namedData(l, own, found); });
    return found;
  }

  function showFallback(el) {
    if (el.querySelector(".fallback") || el.classList.contains("drawn")) return;
    var ns = el.querySelector("noscript");
    if (!ns) return;
    var box = doc.createElement("div");
    box.className = "fallback";
    box.innerHTML = ns.textContent;  // with scripting on, <noscript> holds its markup as text
    el.appendChild(box);
  }

  function draw(el) {
    var base = specOf(el);
    if (!base) {
      var r = page.charts[el.getAttribute("data-spec")];
      Promise.all([load(r.k), load("theme")]).then(function () { draw(el); }, function (err) { failed(el, err); });
      return;
    }
    var own = base.datasets;
    var needs = namedData(base, own, []);
    if (page.data.x && needs.some(function (n) { return page.data.x[n] && !derived[n]; })) {
      loadShared().then(function () { draw(el); }, function (err) { failed(el, err); });
      return;
    }
    var isDark = !!(dark && dark.matches);
    var text = JSON.stringify(base), theme = tpl.theme;
    if (isDark && theme.dark_colors) {
      // each fund's colour (versus/charts/identity.py) has a dark-mode variant with 3:1 contrast
      Object.keys(theme.dark_colors).forEach(function (light) {
        text = text.split('"' + light + '"').join('"' + theme.dark_colors[light] + '"');
      });
    }
    var spec = JSON.parse(text);
    spec.config = theme.themes[isDark ? "dark" : "light"];
    spec.datasets = spec.datasets || {};
    needs.forEach(function (n) { spec.datasets[n] = dataset(n); });
    var period = window.versusPeriod;  // static/period.js: a time series opens on the chosen period
    (spec.params || []).forEach(function (p) { if (period && p.name === period.param) p.value = period.years(); });
    if (el._view) { el._view.finalize(); el._view = null; }
    // embed into the page (a "container" width needs a laid-out element), then drop the static SVG
    var old = el.querySelector(".vega-target");
    var target = doc.createElement("div");
    target.className = "vega-target";
    if (old) el.replaceChild(target, old); else el.appendChild(target);
    // The page's Content-Security-Policy (templates/base.html) refuses eval and <style> elements: Vega
    // interprets its expressions (ast: true; the interpreter is in the bundle) instead of compiling them with
    // Function(), and the embed and tooltip styles come from style.css instead of injected <style> elements.
    window.vegaEmbed(target, spec, {
      actions: false, renderer: "svg", ast: true, defaultStyle: false,
      tooltip: { theme: isDark ? "dark" : "light", disableDefaultStyle: true }
    })
      .then(function (result) {
        el._view = result;
        var fb = el.querySelector(".fallback");
        if (fb) el.removeChild(fb);
        el.classList.add("drawn");
        if (period) period.drawn(el);  // a period chosen while it was drawing; its caption line
      })
      .catch(function (err) { failed(el, err); });
  }

  function want(el) {
    // the chart is (nearly) on screen
    el.setAttribute("data-wanted", "");
    if (state === "ready") return draw(el);
    if (state === "failed") return showFallback(el);
    pending.push(el);
    if (!fallbackTimer) fallbackTimer = setTimeout(function () { pending.forEach(showFallback); }, 1200);
  }

  function bundleSettled(ok) {
    state = ok && window.vegaEmbed ? "ready" : "failed";
    var queue = pending;
    pending = [];
    queue.forEach(state === "ready" ? draw : showFallback);
  }

  function startCharts() {
    var els = doc.querySelectorAll(".chart[data-spec]");
    if (!page || !els.length) return;
    if (state === "loading") {
      if (bundle) {
        bundle.addEventListener("load", function () { bundleSettled(true); });
        bundle.addEventListener("error", function () { bundleSettled(false); });
      } else {
        state = "failed";
      }
    }
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { io.unobserve(e.target); want(e.target); }
        });
      }, { rootMargin: "400px 0px" });
      Array.prototype.forEach.call(els, function (el) { io.observe(el); });
    } else {
      Array.prototype.forEach.call(els, want);
    }
    // linear / log buttons
    Array.prototype.forEach.call(doc.querySelectorAll(".variants[data-chart]"), function (group) {
      var el = doc.getElementById(group.getAttribute("data-chart"));
      group.hidden = false;
      group.addEventListener("click", function (ev) {
        var btn = ev.target.closest("button[data-spec]");
        if (!btn) return;
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) {
          b.setAttribute("aria-pressed", b === btn ? "true" : "false");
        });
        el.setAttribute("data-spec", btn.getAttribute("data-spec"));
        if (state === "ready" && el.hasAttribute("data-wanted")) draw(el);
      });
    });
    // printing: charts not scrolled to yet get their static SVG (drawing is asynchronous, an image is not)
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(doc.querySelectorAll(".chart:not(.drawn)"), showFallback);
    });
    // follow the reader's colour scheme
    if (dark && dark.addEventListener) {
      dark.addEventListener("change", function () {
        Array.prototype.forEach.call(doc.querySelectorAll(".chart.drawn"), draw);
      });
    }
  }

  // ------------------------------------------------------------------ sortable tables
  function sortKey(row, i) {
    var cell = row.cells[i];
    var v = cell.getAttribute("data-v");
    if (v !== null && v !== "" && !isNaN(Number(v))) return { n: Number(v) };
    var text = (v !== null ? v : cell.textContent).trim().toLowerCase();
    return text === "" || text === "\u2014" ? { missing: true } : { s: text };
  }

  function compare(a, b) {
    if (a.missing || b.missing) return a.missing && b.missing ? 0 : a.missing ? 1 : -1;
    if (a.n !== undefined && b.n !== undefined) return a.n - b.n;
    return String(a.s !== undefined ? a.s : a.n).localeCompare(String(b.s !== undefined ? b.s : b.n));
  }

  function makeSortable(table) {
    var heads = table.tHead.rows[0].cells, body = table.tBodies[0];
    Array.prototype.forEach.call(heads, function (th, i) {
      var btn = doc.createElement("button");
      btn.type = "button";
      btn.className = "sort";
      btn.innerHTML = th.innerHTML + '<span class="arrow" aria-hidden="true"></span>';
      th.textContent = "";
      th.appendChild(btn);
      btn.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var k1 = sortKey(r1, i), k2 = sortKey(r2, i);
          if (k1.missing || k2.missing) return compare(k1, k2);  // missing values last either way
          return asc ? compare(k1, k2) : compare(k2, k1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    table.classList.add("sortable");
  }

  // ------------------------------------------------------------------ search
  function startSearch() {
    var form = doc.getElementById("search"), source = doc.getElementById("search-index");
    if (!form || !source) return;
    var entries = JSON.parse(source.textContent);
    var input = doc.getElementById("q"), list = doc.getElementById("q-results"), status = doc.getElementById("q-status");
    var haystack = entries.map(function (e) {
      return (e.title + " " + e.names + " " + e.index + " " + (e.category || "")).toLowerCase();
    });
    form.hidden = false;
    function update() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) { status.textContent = ""; return; }
      var hits = entries.filter(function (e, i) {
        return words.every(function (w) { return haystack[i].indexOf(w) !== -1; });
      });
      hits.forEach(function (e) {
        var li = doc.createElement("li"), a = doc.createElement("a"), span = doc.createElement("span");
        a.href = e.url;
        a.textContent = e.title;
        span.className = "detail";
        span.textContent = e.kind + " · " + e.names;
        li.appendChild(a);
        li.appendChild(span);
        list.appendChild(li);
      });
      status.textContent = hits.length === 1 ? "1 match" : hits.length + " matches";
    }
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (ev) {  // Enter opens the first match
      if (ev.key !== "Enter") return;
      var first = list.querySelector("a");
      if (first) { ev.preventDefault(); window.location.href = first.href; }
    });
    update();
  }

  // ------------------------------------------------------------------ wide tables
  // a table wider than the screen scrolls inside its wrapper: make that region reachable by keyboard
  function markScrollable() {
    Array.prototype.forEach.call(doc.querySelectorAll(".table-wrap"), function (w) {
      var cap = w.querySelector("caption");
      if (w.scrollWidth > w.clientWidth + 1) {
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        w.setAttribute("aria-label", cap ? cap.textContent : "Table");
      } else if (w.hasAttribute("tabindex")) {
        w.removeAttribute("tabindex");
        w.removeAttribute("role");
        w.removeAttribute("aria-label");
      }
    });
  }

  function start() {
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(markScrollable, 200);
    });
    doc.addEventListener("toggle", markScrollable, true);  // tables inside <details>
    startCharts();
    Array.prototype.forEach.call(doc.querySelectorAll("table[data-sortable]"), makeSortable);
    startSearch();
    markScrollable();
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
