// Draws every chart on the page with the self-hosted vega-embed bundle.
// The page is complete without it: tables carry every figure and each chart has a text description.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-spec"));
    if (!source || typeof window.vegaEmbed !== "function") return;
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(el, spec, { actions: false, renderer: "svg" })
      .then(function () { el.classList.add("drawn"); })
      .catch(function (err) { el.classList.add("failed"); console.error("chart " + el.id + ": " + err); });
  }
  function start() {
    var charts = document.querySelectorAll(".chart[data-spec]");
    for (var i = 0; i < charts.length; i++) draw(charts[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
