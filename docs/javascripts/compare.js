/* Compare any set: pick 2 to 4 frameworks (in the order picked), the categories, only the differences, and a
 * compact or full view. The choice lives in the URL (?fw=fastapi,flask&cat=api,data&diff=1&view=compact), so
 * it can be shared; back and forward work. The page carries the default pair's cells; a framework picked for the
 * first time has its cells loaded from its column page (comparison/<id>/, the same cells), once. The default
 * pair's notes also wait on their column pages: opening a "Notes" toggle loads them. Without JavaScript the form
 * stays hidden, the table shows the default pair, a link per framework opens its column, and each notes toggle
 * links the criterion page that holds the notes. */
(function () {
  "use strict";
  var MIN = 2, MAX = 4;

  function init() {
    var root = document.getElementById("fw-compare"), form = document.getElementById("fw-compare-form");
    var table = document.getElementById("fw-compare-table");
    if (!root || !form || !table || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "true");
    var count = document.getElementById("fw-compare-count");
    var boxes = [].slice.call(form.querySelectorAll('input[name="fw"]'));
    var cats = [].slice.call(form.querySelectorAll('input[name="cat"]'));
    var diff = form.querySelector('input[name="diff"]');
    var known = boxes.map(function (b) { return b.value; });
    var allCats = cats.map(function (c) { return c.value; });
    var picked = [];  // framework ids in the order the reader picked them
    var caption = table.caption ? table.caption.textContent : "";
    var captionRest = caption.slice(caption.indexOf(" compared"));

    function only(list, allowed) {
      var seen = {};
      return list.filter(function (x) {
        var ok = allowed.indexOf(x) >= 0 && !seen[x];
        seen[x] = true;
        return ok;
      });
    }

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      var fw = only((params.get("fw") || "").split(","), known).slice(0, MAX);
      picked = fw.length >= MIN ? fw : only(root.getAttribute("data-default").split(","), known);
      var cat = only((params.get("cat") || "").split(","), allCats);
      if (!cat.length) cat = allCats;  // none given, or none valid: every category
      boxes.forEach(function (b) { b.checked = picked.indexOf(b.value) >= 0; });
      cats.forEach(function (c) { c.checked = cat.indexOf(c.value) >= 0; });
      diff.checked = params.get("diff") === "1";
      form.querySelector('input[name="view"][value="' + (params.get("view") === "compact" ? "compact" : "full") + '"]').checked = true;
    }

    function toUrl() {
      var params = new URLSearchParams();
      params.set("fw", picked.join(","));
      var cat = cats.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
      if (cat.length !== allCats.length) params.set("cat", cat.join(","));
      if (diff.checked) params.set("diff", "1");
      if (form.querySelector('input[name="view"]:checked').value === "compact") params.set("view", "compact");
      var query = "?" + params.toString();
      if (query !== window.location.search) window.history.pushState(null, "", query + window.location.hash);
    }

    // Cells of frameworks the page does not carry come from their column pages, each fetched once.
    var loading = {};

    function sameSite(href, base) {
      var url = new URL(href, base);
      return url.origin === window.location.origin ? url.pathname + url.search + url.hash : url.href;
    }

    // A framework's column page, parsed, its links rewritten for this page: fetched once, then shared.
    function columnTable(id) {
      if (loading[id]) return loading[id];
      // The URL comes from the page's own link to the column, which every builder resolves for this page.
      var src = new URL(document.getElementById("fw-column-link-" + id).href);
      loading[id] = fetch(src.href).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.text();
      }).then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var source = doc.getElementById("fw-column-table");
        if (!source) throw new Error("no #fw-column-table");
        // Links in the fetched cells are relative to the column page: rewrite them for this page.
        [].forEach.call(source.querySelectorAll("[href]"), function (a) { a.setAttribute("href", sameSite(a.getAttribute("href"), src)); });
        return source;
      }).catch(function (error) {
        delete loading[id];
        throw { id: id, href: src.href, error: error };
      });
      return loading[id];
    }

    function column(id) {
      if (table.querySelector('td[data-fw="' + id + '"]')) return Promise.resolve();
      return columnTable(id).then(function (source) {
        if (table.querySelector('td[data-fw="' + id + '"]')) return;  // two picks raced: imported once
        var head = source.querySelector('thead th[data-fw="' + id + '"]');
        table.tHead.rows[0].appendChild(document.importNode(head, true));
        [].forEach.call(source.querySelectorAll("tbody tr[id^='c-']"), function (tr) {
          var row = document.getElementById(tr.id), cell = tr.querySelector("td[data-fw]");
          if (row && cell && table.contains(row)) row.appendChild(document.importNode(cell, true));
        });
      });
    }

    // A default cell's notes, opened: its paragraph is swapped for the column page's; on failure the link to
    // the criterion page stays, with the reason.
    table.addEventListener("toggle", function (event) {
      var notes = event.target, id = notes.getAttribute && notes.getAttribute("data-notes");
      if (!id || !notes.open || notes.getAttribute("aria-busy")) return;
      var row = notes.closest("tr");
      notes.setAttribute("aria-busy", "true");
      columnTable(id).then(function (source) {
        var tr = source.querySelector("tr#" + row.id);
        var p = tr && tr.querySelector('td[data-fw="' + id + '"] .fw-notes p');
        if (!p) throw { error: new Error("no notes for " + row.id) };
        notes.replaceChild(document.importNode(p, true), notes.querySelector("p"));
        notes.removeAttribute("data-notes");
      }).catch(function (failed) {
        var p = notes.querySelector("p");
        if (!p.querySelector(".fw-failed")) {
          var why = document.createElement("span");
          why.className = "fw-failed";
          why.textContent = " (could not load them here: " + failed.error.message + ")";
          p.appendChild(why);
        }
      }).then(function () {
        notes.removeAttribute("aria-busy");
      });
    }, true);

    function load() {
      var missing = picked.filter(function (id) { return !table.querySelector('td[data-fw="' + id + '"]'); });
      if (!missing.length) return Promise.resolve();
      root.setAttribute("aria-busy", "true");
      count.textContent = "Loading " + missing.map(nameOf).join(", ") + "…";
      return Promise.all(missing.map(column)).then(function () {
        root.removeAttribute("aria-busy");
      }, function (failed) {
        // Drop the framework that could not be loaded from the picks, and say where its column is.
        root.removeAttribute("aria-busy");
        picked = picked.filter(function (id) { return id !== failed.id; });
        if (picked.length < MIN) picked = only(root.getAttribute("data-default").split(","), known);
        boxes.forEach(function (b) { b.checked = picked.indexOf(b.value) >= 0; });
        apply();
        count.textContent = "";
        count.appendChild(document.createTextNode("Could not load " + nameOf(failed.id) + " (" + failed.error.message + "); its column is at "));
        var a = document.createElement("a");
        a.href = failed.href;
        a.textContent = failed.href;
        count.appendChild(a);
        count.appendChild(document.createTextNode("."));
        return Promise.reject(failed);
      });
    }

    function nameOf(id) { return boxes[known.indexOf(id)].parentNode.textContent.trim(); }

    function update() {
      return load().then(apply, function () {});
    }

    function apply() {
      // Move only the picked cells, in the order picked, right after the row header; the others stay where
      // they are, hidden (a few DOM moves per row instead of one per framework).
      [].forEach.call(table.querySelectorAll("tr"), function (tr) {
        var cells = tr.querySelectorAll("[data-fw]");
        if (!cells.length) return;
        var after = cells[0].previousElementSibling;
        [].forEach.call(cells, function (cell) { cell.hidden = picked.indexOf(cell.getAttribute("data-fw")) < 0; });
        picked.forEach(function (id) {
          var cell = tr.querySelector('[data-fw="' + id + '"]');
          if (!cell) return;
          if (after ? after.nextElementSibling !== cell : tr.firstElementChild !== cell) {
            tr.insertBefore(cell, after ? after.nextElementSibling : tr.firstElementChild);
          }
          after = cell;
        });
      });
      var cat = cats.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
      var shown = 0, total = 0;
      [].forEach.call(table.querySelectorAll("tbody[data-cat]"), function (body) {
        var inCat = cat.indexOf(body.getAttribute("data-cat")) >= 0, any = false;
        [].forEach.call(body.querySelectorAll("tr[id^='c-']"), function (tr) {
          total += 1;
          var values = picked.map(function (id) {
            var cell = tr.querySelector('td[data-fw="' + id + '"]');
            return cell ? cell.getAttribute("data-v") : "";
          });
          var differs = values.some(function (v) { return v !== values[0]; });
          var show = inCat && (!diff.checked || differs);
          tr.hidden = !show;
          if (show) { shown += 1; any = true; }
        });
        body.hidden = !any;
        var head = body.querySelector(".fw-category th");
        if (head && head.getAttribute("colspan") !== String(picked.length + 1)) head.setAttribute("colspan", String(picked.length + 1));
      });
      table.classList.toggle("fw-compact", form.querySelector('input[name="view"]:checked').value === "compact");
      boxes.forEach(function (b) { b.disabled = !b.checked && picked.length >= MAX; });
      var names = picked.map(nameOf);
      // Unchanged text is not written again: on a phone each write lays out the 45 cards anew.
      if (table.caption && table.caption.textContent !== names.join(", ") + captionRest) table.caption.textContent = names.join(", ") + captionRest;
      count.textContent = names.join(", ") + ": " + shown + " of " + total + " criteria shown" +
        (diff.checked ? " (only differences)" : "") + ".";
    }

    form.addEventListener("change", function (event) {
      var t = event.target;
      if (t.name === "fw") {
        if (t.checked && picked.indexOf(t.value) < 0) picked.push(t.value);
        if (!t.checked) {
          if (picked.length <= MIN) { t.checked = true; count.textContent = "Keep at least two frameworks."; return; }
          picked = picked.filter(function (id) { return id !== t.value; });
        }
      }
      toUrl();
      update();
    });
    window.addEventListener("popstate", function () { fromUrl(); update(); });
    form.hidden = false;
    fromUrl();
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
