// versus: the period selector of the time-series charts (1y, 3y, 5y, 10y, max).  Progressive: without this
// file the controls stay hidden and each chart shows the whole history, as its caption says.
//  - every .periods group on the page drives every time-series chart (one state, kept in the URL: ?period=5y);
//  - a drawn chart redraws from the data it holds: its Vega signal period_years is set (versus/charts/period.py
//    windows, and rebases growth and relative strength, in the spec); site.js reads window.versusPeriod when
//    it draws a chart, so a chart scrolled to later opens on the chosen period.
(function () {
  "use strict";
  var doc = document;
  var PARAM = "period_years";
  // a page writes its selector once; each .periods-copy (pair and group pages: above relative strength) is a copy
  Array.prototype.forEach.call(doc.querySelectorAll(".periods-copy"), function (p) {
    var first = doc.querySelector(".periods");
    if (first) p.parentNode.replaceChild(first.cloneNode(true), p);
  });
  var groups = doc.querySelectorAll(".periods");
  if (!groups.length) return;
  var YEARS = { "1y": 1, "3y": 3, "5y": 5, "10y": 10, "max": null };
  var LONG = { "1y": "the last year", "3y": "the last 3 years", "5y": "the last 5 years", "10y": "the last 10 years" };

  function available(key) {
    var b = doc.querySelector('.periods button[data-period="' + key + '"]');
    return !!b && !b.disabled;
  }

  function fromUrl() {
    var q = new URLSearchParams(window.location.search).get("period");
    var h = /(?:^#|&)period=([^&]+)/.exec(window.location.hash);
    var key = q || (h && decodeURIComponent(h[1]));
    return key && YEARS.hasOwnProperty(key) && available(key) ? key : null;
  }

  var pressed = doc.querySelector('.periods button[aria-pressed="true"]');
  var state = { key: fromUrl() || (pressed ? pressed.getAttribute("data-period") : "max") };
  state.years = YEARS[state.key];

  function fmtDate(t) {
    var d = new Date(t);
    return d.getDate() + " " + ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getMonth()] +
      " " + d.getFullYear();
  }

  function caption(el, view) {
    // the chart's caption line says what it shows now
    var fig = el.closest("figure"), line = fig && fig.querySelector(".chart-period");
    if (!line) return;
    var span = line.querySelector(".period-shown");
    if (line._all === undefined) line._all = span.textContent;  // the page's own line: all the data
    if (state.years === null) { span.textContent = line._all; return; }
    var dom = view && view.scale("x") ? view.scale("x").domain() : null;
    span.textContent = "Shown: " + LONG[state.key] + (dom && dom.length ? ", drawn from " + fmtDate(dom[0]) : "") + ".";
  }

  function hasParam(view) {
    try { view.signal(PARAM); return true; } catch (e) { return false; }
  }

  function update(el) {
    // one drawn chart (site.js keeps its vega-embed result as el._view)
    var view = el._view && el._view.view;
    if (!view || !hasParam(view)) return Promise.resolve();
    if (view.signal(PARAM) === state.years) { caption(el, view); return Promise.resolve(); }
    return view.signal(PARAM, state.years).runAsync().then(function () { caption(el, view); });
  }

  function choose(key) {
    if (!YEARS.hasOwnProperty(key) || !available(key)) return;
    state.key = key;
    state.years = YEARS[key];
    Array.prototype.forEach.call(doc.querySelectorAll(".periods button[data-period]"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-period") === key ? "true" : "false");
    });
    var url = new URL(window.location.href);
    if (key === "max") url.searchParams.delete("period"); else url.searchParams.set("period", key);
    url.hash = url.hash.replace(/(^#|&)period=[^&]*/, "$1").replace(/^#&?$/, "");
    window.history.replaceState(window.history.state, "", url.toString());
    // a chart not drawn yet keeps its caption (it shows its static SVG if printed now); drawn, site.js calls update
    Array.prototype.forEach.call(doc.querySelectorAll(".chart.drawn"), update);
  }

  window.versusPeriod = {
    param: PARAM,
    years: function () { return state.years; },
    drawn: update  // site.js: a chart was (re)drawn
  };

  Array.prototype.forEach.call(groups, function (g) {
    g.hidden = false;
    g.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-period]");
      if (b && !b.disabled) choose(b.getAttribute("data-period"));
    });
  });
  if (state.key !== (pressed && pressed.getAttribute("data-period"))) choose(state.key);
})();
