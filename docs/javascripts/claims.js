/* Claims checked: filter by verdict and topic; the choice lives in the URL (?verdict=false&topic=ai).
 * Without JavaScript the form stays hidden and every claim is shown. */
(function () {
  "use strict";

  function init() {
    var root = document.getElementById("fw-claims"), form = document.getElementById("fw-claims-filter");
    if (!root || !form || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "true");
    var verdict = form.querySelector("#fw-claims-verdict"), topic = form.querySelector("#fw-claims-topic");
    var count = form.querySelector("#fw-claims-count");
    // Each claim is a heading (h3, carrying its verdict and topic) followed by its body (div.fw-claim).
    var claims = [].slice.call(root.querySelectorAll("h3[data-verdict]"));

    function allowed(select, value) {
      return [].some.call(select.options, function (o) { return o.value === value; }) ? value : "";
    }

    function apply() {
      var v = verdict.value, t = topic.value, shown = 0;
      var topics = {};
      claims.forEach(function (h) {
        var topic = h.getAttribute("data-topic");
        var show = (!v || h.getAttribute("data-verdict") === v) && (!t || topic === t);
        h.hidden = !show;
        if (h.nextElementSibling) h.nextElementSibling.hidden = !show;
        if (show) { shown += 1; topics[topic] = true; }
      });
      [].forEach.call(root.querySelectorAll("h2[data-topic]"), function (h) {
        h.hidden = !topics[h.getAttribute("data-topic")];
      });
      count.textContent = shown + " of " + claims.length + " claims";
    }

    function load() {
      var params = new URLSearchParams(window.location.search);
      verdict.value = allowed(verdict, params.get("verdict") || "");
      topic.value = allowed(topic, params.get("topic") || "");
      apply();
    }

    form.addEventListener("change", function () {
      var params = new URLSearchParams();
      if (verdict.value) params.set("verdict", verdict.value);
      if (topic.value) params.set("topic", topic.value);
      var query = params.toString() ? "?" + params.toString() : window.location.pathname;
      window.history.pushState(null, "", query);
      apply();
    });
    window.addEventListener("popstate", load);
    form.hidden = false;
    load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
