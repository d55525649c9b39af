// versus preview only (never in a built site): reload the tab when the site changes, keep the scroll
// position across the reload, hide the error panel, and search the /reference/ names.
(function () {
  "use strict";
  var me = document.currentScript, version = me ? me.getAttribute("data-version") : null;
  var key = "versus-preview-scroll:" + location.pathname;
  var y = sessionStorage.getItem(key);
  if (y !== null) { sessionStorage.removeItem(key); window.scrollTo(0, parseInt(y, 10) || 0); }
  if (window.EventSource) {
    var events = new EventSource("/__preview/events");
    events.onmessage = function (e) {
      if (e.data !== version) {
        sessionStorage.setItem(key, String(window.scrollY));
        events.close();
        location.reload();
      }
    };
  }
  var hide = document.getElementById("vp-hide");
  if (hide) hide.addEventListener("click", function () { document.getElementById("vp-overlay").hidden = true; });
  var search = document.getElementById("ref-search");
  if (search) search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    document.querySelectorAll("#ref-names tbody tr").forEach(function (row) {
      row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
})();
