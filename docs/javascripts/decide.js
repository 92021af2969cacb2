/* The decision page: the reader's needs, weights and scoring in, a ranking that explains itself out.
 * The arithmetic is macros/scoring.py's, line for line, in integers (a browser test compares the two).
 * Data comes from the page (#fw-decide-data); state lives in the URL; text reaches the page as textContent.
 * Each fact's one-line summary, which the explanation quotes, comes from its framework's column page
 * (comparison/<id>/, the comparison's cells), fetched the first time an explanation needs it: the page opens on
 * the server-rendered result, so a reader who moves nothing downloads no summaries. */
(function () {
  "use strict";

  var WEIGHTS = [0, 1, 2, 3];
  var PERCENTS = [];
  for (var p = 0; p <= 100; p += 5) PERCENTS.push(p);
  var FULL = 10000;
  var VALUE_ORDER = ["plugin", "partial", "no", "unknown", "yes"];
  var TOKENS = ["yes", "partial", "plugin", "no", "unknown"];
  var STATUSES = ["active", "maintenance", "deprecated", "archived", "unknown"];
  var WEIGHT_LABELS = ["ignored", "nice to have", "important", "essential"];
  var ABOVE = { yes: null, plugin: "yes", partial: "plugin", no: "partial", unknown: "partial" };
  var BELOW = { yes: "plugin", plugin: "partial", partial: "no", no: null, unknown: null };
  var KIND_ORDER = { weight: 0, category: 1, value: 2, status: 3 };

  function tenths(num, den) { return den ? Math.floor((2000 * num + den) / (2 * den)) : 0; }
  function scoreText(v) { return Math.floor(v / 10) + "." + (v % 10); }
  function assign(a, b) { var o = {}, k; for (k in a) o[k] = a[k]; for (k in b) o[k] = b[k]; return o; }
  function withKey(obj, key, value) { var o = assign(obj, {}); o[key] = value; return o; }
  function sameList(a, b) { return a.length === b.length && a.every(function (x, i) { return x === b[i]; }); }

  function Model(data) {
    var m = this;
    m.data = data;
    m.frameworks = data.frameworks.map(function (f) { return f.id; });
    m.names = {};
    data.frameworks.forEach(function (f) { m.names[f.id] = f.name; });
    m.criteria = data.criteria;
    m.crit = {};
    data.criteria.forEach(function (c) { m.crit[c.id] = c; });
    m.categories = data.categories.map(function (c) { return c.id; });
    m.catName = {};
    data.categories.forEach(function (c) { m.catName[c.id] = c.name; });
    m.presets = {};
    data.presets.forEach(function (u) { m.presets[u.id] = u; });
    m.questions = {};
    data.questions.forEach(function (q) { m.questions[q.id] = q; });
    m.closeCall = data.scoring.close_call;
  }

  Model.prototype.needs = function (s) {
    var m = this, out = [], presets = s.presets.slice();
    s.answers.forEach(function (q) {
      m.questions[q].presets.forEach(function (p) { if (presets.indexOf(p) < 0) presets.push(p); });
    });
    presets.forEach(function (p) { out.push({ id: p, title: m.presets[p].title, weights: m.presets[p].weights }); });
    s.answers.forEach(function (q) {
      var question = m.questions[q];
      if (Object.keys(question.weights).length) out.push({ id: "q-" + q, title: question.need, weights: question.weights });
    });
    return out;
  };

  Model.prototype.weights = function (s) {
    var merged = {};
    this.criteria.forEach(function (c) { merged[c.id] = 0; });
    this.needs(s).forEach(function (n) {
      Object.keys(n.weights).forEach(function (c) { merged[c] = Math.max(merged[c], n.weights[c]); });
    });
    Object.keys(s.weights).forEach(function (c) { if (c in merged) merged[c] = s.weights[c]; });
    return merged;
  };

  Model.prototype.categoryWeights = function (s) {
    var out = {};
    this.categories.forEach(function (c) { out[c] = c in s.categories ? s.categories[c] : 1; });
    return out;
  };
  Model.prototype.values = function (s) { return assign(this.data.scoring.values, s.values); };
  Model.prototype.statusShares = function (s) { return assign(this.data.scoring.status, s.status); };

  Model.prototype.worth = function (fw, crit, values, status) {
    var fact = this.data.facts[fw][crit], token = fact[0], pkgs = this.data.packages, share = 100;
    if (token === "plugin" && fact[1].length) {
      share = Math.max.apply(null, fact[1].map(function (p) { return status[pkgs[p].status]; }));
    }
    return values[token] * share;
  };

  Model.prototype.rank = function (s, weights) {
    var m = this;
    weights = weights || m.weights(s);
    var cats = m.categoryWeights(s), values = m.values(s), status = m.statusShares(s);
    var terms = [];
    m.criteria.forEach(function (c) {
      if (!weights[c.id] || !cats[c.category]) return;
      var worth = {};
      m.frameworks.forEach(function (f) { worth[f] = m.worth(f, c.id, values, status); });
      terms.push({ criterion: c.id, weight: weights[c.id], factor: cats[c.category], worth: worth });
    });
    var den = 0, scores = {};
    terms.forEach(function (t) { den += t.weight * t.factor * FULL; });
    m.frameworks.forEach(function (f) {
      var num = 0;
      terms.forEach(function (t) { num += t.weight * t.factor * t.worth[f]; });
      scores[f] = tenths(num, den);
    });
    var order = m.frameworks.slice().sort(function (a, b) {
      return scores[b] - scores[a] || m.frameworks.indexOf(a) - m.frameworks.indexOf(b);
    });
    var best = scores[order[0]];
    return {
      terms: terms, scores: scores, order: order,
      top: order.filter(function (f) { return scores[f] === best; }),
      close: order.filter(function (f) { return best - scores[f] < m.closeCall; })
    };
  };

  Model.prototype.explain = function (s) {
    var r = this.rank(s), leader = r.order[0], runner = r.order.length > 1 ? r.order[1] : null;
    var deciding = [], against = [], ties = [], critIndex = {};
    this.criteria.forEach(function (c, i) { critIndex[c.id] = i; });
    function diff(t) { return t.worth[leader] - (runner ? t.worth[runner] : 0); }
    function size(t) { return Math.abs(t.weight * t.factor * diff(t)); }
    r.terms.forEach(function (t) { (diff(t) > 0 ? deciding : diff(t) < 0 ? against : ties).push(t); });
    function bySize(a, b) { return size(b) - size(a) || critIndex[a.criterion] - critIndex[b.criterion]; }
    deciding.sort(bySize);
    against.sort(bySize);
    return {
      ranking: r, leader: leader, runner: runner, gap: runner ? r.scores[leader] - r.scores[runner] : 0,
      deciding: deciding, against: against, ties: ties, flips: this.flips(s, r)
    };
  };

  function valueBounds(token, values) {
    var above = ABOVE[token], below = BELOW[token];
    return [below ? values[below] : 0, above ? values[above] : 100];
  }

  function distance(f) { return Math.abs(f.to - f.now) / (f.kind === "weight" || f.kind === "category" ? 1 : 25); }

  Model.prototype.flips = function (s, r) {
    var m = this, top = r.top, found = [];
    var weights = m.weights(s), cats = m.categoryWeights(s), values = m.values(s), status = m.statusShares(s);
    function nearest(kind, key, now, steps, change) {
      var candidates = steps.filter(function (x) { return x !== now; }).sort(function (a, b) {
        return Math.abs(a - now) - Math.abs(b - now) || a - b;
      });
      for (var i = 0; i < candidates.length; i++) {
        var newTop = m.rank(change(candidates[i])).top;
        if (!sameList(newTop, top)) { found.push({ kind: kind, key: key, now: now, to: candidates[i], top: newTop }); return; }
      }
    }
    m.criteria.forEach(function (c) {
      nearest("weight", c.id, weights[c.id], WEIGHTS, function (to) { return assign(s, { weights: withKey(s.weights, c.id, to) }); });
    });
    m.categories.forEach(function (c) {
      nearest("category", c, cats[c], WEIGHTS, function (to) { return assign(s, { categories: withKey(s.categories, c, to) }); });
    });
    VALUE_ORDER.forEach(function (t) {
      var b = valueBounds(t, values);
      var steps = PERCENTS.filter(function (x) { return x >= b[0] && x <= b[1]; });
      nearest("value", t, values[t], steps, function (to) { return assign(s, { values: withKey(s.values, t, to) }); });
    });
    STATUSES.forEach(function (st) {
      nearest("status", st, status[st], PERCENTS, function (to) { return assign(s, { status: withKey(s.status, st, to) }); });
    });
    return found.map(function (f, i) { return [f, i]; }).sort(function (a, b) {
      return distance(a[0]) - distance(b[0]) || KIND_ORDER[a[0].kind] - KIND_ORDER[b[0].kind] || a[1] - b[1];
    }).map(function (x) { return x[0]; });
  };

  Model.prototype.split = function (s) {
    var m = this, needs = m.needs(s);
    if (needs.length < 2) return null;
    var leaders = needs.map(function (n) {
      var w = {};
      m.criteria.forEach(function (c) { w[c.id] = n.weights[c.id] || 0; });
      return [n, m.rank(s, w).top];
    });
    var distinct = m.frameworks.filter(function (f) { return leaders.some(function (l) { return l[1].indexOf(f) >= 0; }); });
    if (distinct.length < 2) return null;
    var r = m.rank(s), options = distinct.map(function (f) { return m.option(r, [f]); });
    m.data.together.forEach(function (t, i) {
      if (t.frameworks.every(function (f) { return distinct.indexOf(f) >= 0; })) options.push(assign(m.option(r, t.frameworks), { together: t, index: i }));
    });
    return { leaders: leaders, options: options };
  };

  Model.prototype.option = function (r, fws) {
    var m = this, num = 0, den = 0, packages = [], gaps = [];
    r.terms.forEach(function (t) {
      var best = fws[0];
      fws.forEach(function (f) { if (t.worth[f] > t.worth[best]) best = f; });
      num += t.weight * t.factor * t.worth[best];
      den += t.weight * t.factor * FULL;
      var fact = m.data.facts[best][t.criterion];
      if (fact[0] === "plugin") packages.push([t.criterion, fact[1]]);
      if (2 * t.worth[best] < FULL) gaps.push(t.criterion);
    });
    return { frameworks: fws, score: tenths(num, den), packages: packages, gaps: gaps };
  };

  Model.prototype.namesOf = function (ids) {
    var n = ids.map(function (f) { return this.names[f]; }, this);
    return n.length === 1 ? n[0] : n.slice(0, -1).join(", ") + " and " + n[n.length - 1];
  };

  Model.prototype.flipText = function (f) {
    var who = this.namesOf(f.top) + (f.top.length === 1 ? " leads" : " tie for the lead"), what;
    if (f.kind === "weight") what = this.crit[f.key].name + " weighs " + f.to + " (" + WEIGHT_LABELS[f.to] + "; now " + f.now + ")";
    else if (f.kind === "category") what = "the " + this.catName[f.key] + " category weighs " + f.to + " (now " + f.now + ")";
    else if (f.kind === "value") {
      what = "\u201c" + this.data.tokens[f.key] + "\u201d is worth " + f.to + "% (now " + f.now + "%)";
      if (f.key === "plugin" && f.to === 100) what += ": companion packages count as built in";
    } else what = "a package in " + f.key + " status keeps " + f.to + "% of its worth (now " + f.now + "%)";
    return who + " if " + what + ".";
  };

  // --- state in the URL --------------------------------------------------------------------------------
  function emptyState() { return { presets: [], answers: [], weights: {}, categories: {}, values: {}, status: {} }; }

  function parseState(model, search) {
    var params = new URLSearchParams(search), s = emptyState(), ignored = [];
    var hasNeeds = params.has("need") || params.has("q");
    function list(name, known, into) {
      params.getAll(name).join(",").split(",").forEach(function (id) {
        if (!id) return;
        if (known(id) && into.indexOf(id) < 0) into.push(id); else ignored.push(name + "=" + id);
      });
    }
    list("need", function (id) { return id in model.presets; }, s.presets);
    list("q", function (id) { return id in model.questions; }, s.answers);
    s.presets = model.data.presets.map(function (u) { return u.id; }).filter(function (id) { return s.presets.indexOf(id) >= 0; });
    s.answers = model.data.questions.map(function (q) { return q.id; }).filter(function (id) { return s.answers.indexOf(id) >= 0; });
    var groups = {
      w: [s.weights, function (k) { return k in model.crit; }, WEIGHTS],
      k: [s.categories, function (k) { return model.categories.indexOf(k) >= 0; }, WEIGHTS],
      v: [s.values, function (k) { return TOKENS.indexOf(k) >= 0; }, PERCENTS],
      s: [s.status, function (k) { return STATUSES.indexOf(k) >= 0; }, PERCENTS]
    };
    params.forEach(function (value, name) {
      if (name === "need" || name === "q") return;
      var dot = name.indexOf("."), g = dot > 0 ? groups[name.slice(0, dot)] : null, key = name.slice(dot + 1);
      var n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
      if (g && g[1](key) && g[2].indexOf(n) >= 0) g[0][key] = n; else ignored.push(name + "=" + value);
    });
    if (!hasNeeds) s.presets = model.data.defaults.slice();
    return { state: s, ignored: ignored };
  }

  function stateQuery(s) {
    var parts = ["need=" + s.presets.join(",")];
    if (s.answers.length) parts.push("q=" + s.answers.join(","));
    [["w", s.weights], ["k", s.categories], ["v", s.values], ["s", s.status]].forEach(function (g) {
      Object.keys(g[1]).sort().forEach(function (k) { parts.push(g[0] + "." + k + "=" + g[1][k]); });
    });
    return "?" + parts.join("&");
  }

  // --- rendering (the markup of macros/templates/_decision.html) -----------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c !== null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function join(items, sep, last) {
    var out = [];
    items.forEach(function (x, i) {
      if (i) out.push(i === items.length - 1 && last ? last : sep);
      out.push(x);
    });
    return out;
  }

  // Summaries, one framework at a time, from its column page; `changed` runs when one arrives or fails.
  function Summaries(root, changed) {
    this.root = root;
    this.changed = changed;
    this.found = {};
    this.failed = {};
    this.loading = {};
  }

  Summaries.prototype.href = function (fw) { return this.root.querySelector("#fw-link-column-" + fw).href; };

  // The summary as nodes: its text and its `code` spans, rebuilt (nothing of the fetched markup is kept).
  Summaries.prototype.nodes = function (fw, crit) {
    var p = this.found[fw] && this.found[fw][crit];
    if (!p) return null;
    return [].map.call(p.childNodes, function (n) {
      return n.nodeName === "CODE" ? el("code", {}, [n.textContent]) : document.createTextNode(n.textContent);
    });
  };

  Summaries.prototype.need = function (fw) {
    var self = this;
    if (self.found[fw] || self.failed[fw] || self.loading[fw]) return;
    self.loading[fw] = fetch(self.href(fw)).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html"), found = {};
      [].forEach.call(doc.querySelectorAll("#fw-column-table tr[id^='c-']"), function (tr) {
        var p = tr.querySelector('td[data-fw="' + fw + '"] .fw-summary');
        if (p) found[tr.id.slice(2)] = p;
      });
      self.found[fw] = found;
    }).catch(function () {
      self.failed[fw] = true;  // not retried: the explanation links the column instead
    }).then(function () {
      delete self.loading[fw];
      self.changed();
    });
  };

  function Page(root, model) {
    var page = this;
    this.root = root;
    this.model = model;
    // URLs come from real links in the page (#fw-link-*), which every builder resolves for this page.
    this.criteria = root.querySelector("#fw-link-criteria").href.split("#")[0];  // criteria/: a page per criterion
    // Drawn again only when the result waits for a summary: an early fetch (focus in the form) must not redraw, and
    // so re-announce, a live region the reader has not changed.
    this.summaries = new Summaries(root, function () { if (page.result.querySelector(".fw-pending")) page.render(); });
    this.form = root.querySelector("#fw-decide-form");
    this.result = root.querySelector("#fw-decide-result");
    this.notice = root.querySelector("#fw-decide-notice");
    this.summary = root.querySelector("#fw-decide-summary span");
  }

  Page.prototype.rowLink = function (crit) {
    return el("a", { href: this.criteria + crit + "/" }, [this.model.crit[crit].name]);
  };

  Page.prototype.headline = function (e) {
    var m = this.model, r = e.ranking, n = m.names;
    if (!r.terms.length) return el("p", { class: "fw-headline" }, [el("strong", {}, ["Nothing is weighted yet."]), " Choose a need or give a criterion a weight."]);
    if (e.runner === null) return el("p", { class: "fw-headline" }, [el("strong", {}, [n[e.leader]]), " scores " + scoreText(r.scores[e.leader]) + "."]);
    if (e.gap === 0) return el("p", { class: "fw-headline" }, [el("strong", {}, ["A tie:"]), " " + n[e.leader] + " and " + n[e.runner] + " both score " + scoreText(r.scores[e.leader]) + "."]);
    if (e.gap < m.closeCall) {
      return el("p", { class: "fw-headline" }, [el("strong", {}, ["A close call:"]), " " + n[e.leader] + " " + scoreText(r.scores[e.leader]) + ", " + n[e.runner] + " " + scoreText(r.scores[e.runner]) + ", a gap under the " + Math.floor(m.closeCall / 10) + "-point margin; the criteria below decide it."]);
    }
    return el("p", { class: "fw-headline" }, [el("strong", {}, [n[e.leader] + " leads"]), " with " + scoreText(r.scores[e.leader]) + " against " + scoreText(r.scores[e.runner]) + " for " + n[e.runner] + "."]);
  };

  Page.prototype.rankingTable = function (r) {
    var m = this.model, rows = r.order.map(function (f, i) {
      var bar = el("span", { class: "fw-bar", style: "--fw-share: " + r.scores[f] / 1000, "aria-hidden": "true" });
      return el("tr", { "data-framework": f, "data-score": String(r.scores[f]) }, [
        el("td", {}, [String(i + 1)]), el("th", { scope: "row" }, [m.names[f]]),
        el("td", { class: "fw-score" + (r.close.indexOf(f) >= 0 ? " fw-best" : "") }, [bar, scoreText(r.scores[f])])]);
    });
    var caption = "Ranking for these needs";
    return el("div", { class: "fw-scroll", tabindex: "0", role: "region", "aria-label": caption }, [
      el("table", { class: "fw-table fw-table-compact fw-ranking" }, [el("caption", {}, [caption]),
        el("thead", {}, [el("tr", {}, [el("th", { scope: "col" }, ["Rank"]), el("th", { scope: "col" }, ["Framework"]), el("th", { scope: "col" }, ["Score out of 100"])])]),
        el("tbody", {}, rows)])]);
  };

  Page.prototype.termItem = function (t, e) {
    var m = this.model, d = m.data, self = this, parts = [this.rowLink(t.criterion), " (weight " + t.weight + (t.factor !== 1 ? " × category " + t.factor : "") + "):"];
    var shown = m.frameworks.filter(function (f) { return f === e.leader || f === e.runner; });
    shown.forEach(function (f, i) {
      var fact = d.facts[f][t.criterion];
      parts.push(" " + m.names[f] + " ", el("em", {}, [d.tokens[fact[0]].toLowerCase()]));
      var pk = fact[1].map(function (p) { return " (" + d.packages[p].name + ", " + d.packages[p].status + ")"; }).join("");
      parts.push(pk + ": ");
      var summary = self.summaries.nodes(f, t.criterion);
      if (summary) parts.push.apply(parts, summary);
      else if (self.summaries.failed[f]) {
        parts.push(el("a", { href: self.summaries.href(f) + "#c-" + t.criterion }, ["the summary on " + m.names[f] + "'s column"]), ".");
      } else {
        parts.push(el("span", { class: "fw-pending", "data-summary": f }, ["loading the summary…"]));
        self.summaries.need(f);
      }
    });
    return el("li", {}, parts);
  };

  Page.prototype.explanation = function (e) {
    var m = this.model, n = m.names, out = [], self = this;
    if (e.runner !== null && e.ranking.terms.length) {
      out.push(el("h3", {}, ["Why " + n[e.leader] + " ahead of " + n[e.runner]]));
      out.push(e.deciding.length ? el("ul", { class: "fw-deciding" }, e.deciding.map(function (t) { return self.termItem(t, e); }))
        : el("p", {}, ["No weighted criterion favours " + n[e.leader] + "."]));
      if (e.against.length) {
        out.push(el("p", {}, ["In " + n[e.runner] + "'s favour:"]));
        out.push(el("ul", { class: "fw-against" }, e.against.map(function (t) { return self.termItem(t, e); })));
      }
      var ties = e.ties.length ? join(e.ties.map(function (t) { return self.rowLink(t.criterion); }), ", ").concat(["."]) : ["none."];
      out.push(el("p", { class: "fw-ties" }, [el("strong", {}, ["Ties (" + e.ties.length + "):"]), " "].concat(ties)));
    }
    out.push(el("h3", {}, ["What would change the verdict"]));
    if (e.flips.length) {
      out.push(el("ul", { class: "fw-flips" }, e.flips.slice(0, 8).map(function (f) { return el("li", {}, [m.flipText(f)]); })));
      if (e.flips.length > 8) out.push(el("p", {}, ["And " + (e.flips.length - 8) + " more changes of one control, further from these settings."]));
    } else {
      out.push(el("p", {}, ["No change of one weight, one category or one value changes who leads."]));
    }
    return out;
  };

  Page.prototype.splitBlock = function (sp) {
    if (!sp) return null;
    var m = this.model, d = m.data;
    var needs = sp.leaders.map(function (l) { return el("li", {}, [l[0].title + ": " + l[1].map(function (f) { return m.names[f]; }).join(" and ")]); });
    var options = sp.options.map(function (o) {
      var parts = [el("strong", {}, [o.frameworks.map(function (f) { return m.names[f]; }).join(" + ")]), ": " + scoreText(o.score) + "."];
      if (o.packages.length) {
        parts.push(" Relies on " + o.packages.map(function (cp) {
          return cp[1].map(function (p) { return d.packages[p].name + " (" + d.packages[p].status + ")"; }).join(" or ") + " for " + m.crit[cp[0]].name;
        }).join("; ") + ".");
      } else parts.push(" Relies on no companion package.");
      if (o.gaps.length) parts.push(" Earns under half on " + o.gaps.map(function (c) { return m.crit[c].name; }).join(", ") + ".");
      if (o.together) {
        var link = function (id) { return document.getElementById(id).href; };
        parts.push(" " + o.together.how + " The cost: " + o.frameworks.length + " frameworks to learn, configure and upgrade. ",
          el("a", { href: link("fw-link-together-" + o.index) }, ["How it works"]));
        if (o.together.task) parts.push(", ", el("a", { href: link("fw-link-task-" + o.index) }, ["the running sample"]));
        parts.push(".");
      }
      return el("li", {}, parts);
    });
    return el("div", { class: "fw-split" }, [el("h3", {}, ["Your needs split"]), el("ul", {}, needs),
      el("p", {}, ["Options that cover all of them, scored on every weighted criterion (several frameworks: each criterion from the better one):"]),
      el("ul", { class: "fw-options" }, options)]);
  };

  Page.prototype.render = function () {
    var m = this.model, s = this.state, e = m.explain(s), needs = m.needs(s);
    var needText = needs.length ? needs.map(function (x) { return x.title; }).join("; ") : "none chosen";
    var nodes = [el("h2", { id: "fw-result-h" }, ["The result"]), el("p", { class: "fw-needs" }, ["Needs: " + needText + "."]),
      this.headline(e), this.rankingTable(e.ranking), this.splitBlock(m.split(s))].concat(this.explanation(e));
    this.result.replaceChildren.apply(this.result, nodes.filter(function (x) { return x !== null; }));
    this.summary.textContent = e.ranking.order.map(function (f) { return m.names[f] + " " + scoreText(e.ranking.scores[f]); }).join(", ");
    this.syncControls();
  };

  Page.prototype.syncControls = function () {
    var m = this.model, s = this.state, f = this.form;
    var weights = m.weights(s), cats = m.categoryWeights(s), values = m.values(s), status = m.statusShares(s);
    function set(id, value, suffix) {
      var input = f.querySelector("#" + id);
      if (!input) return;
      input.value = String(value);
      var out = f.querySelector('output[for="' + id + '"]');
      if (out) out.textContent = value + (suffix || "");
    }
    m.criteria.forEach(function (c) { set("w-" + c.id, weights[c.id]); });
    m.categories.forEach(function (c) { set("k-" + c, cats[c]); });
    TOKENS.forEach(function (t) { set("v-" + t, values[t], "%"); });
    STATUSES.forEach(function (st) { set("s-" + st, status[st], "%"); });
    f.querySelectorAll('input[name="need"]').forEach(function (i) { i.checked = s.presets.indexOf(i.value) >= 0; });
    f.querySelectorAll('input[name="q"]').forEach(function (i) { i.checked = s.answers.indexOf(i.value) >= 0; });
  };

  Page.prototype.readControl = function (input) {
    var m = this.model, s = this.state, name = input.name, v = Number(input.value);
    function ordered(ids, checked) { return ids.filter(function (id) { return checked.indexOf(id) >= 0; }); }
    if (name === "need" || name === "q") {
      var checked = [].map.call(this.form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
      if (name === "need") s.presets = ordered(m.data.presets.map(function (u) { return u.id; }), checked);
      else s.answers = ordered(m.data.questions.map(function (q) { return q.id; }), checked);
      return;
    }
    var group = { w: "weights", k: "categories", v: "values", s: "status" }[name.charAt(0)];
    if (group) s[group] = withKey(s[group], name.slice(2), v);
  };

  Page.prototype.load = function (first) {
    var parsed = parseState(this.model, window.location.search);
    this.state = parsed.state;
    if (parsed.ignored.length) {
      this.notice.textContent = "Some settings in this link were not recognised and are ignored: " + parsed.ignored.join(", ") + ".";
      this.notice.hidden = false;
    } else {
      this.notice.hidden = true;
    }
    // Opened without settings, the page shows the server's result for the default needs, which is what
    // render() would draw (a browser test compares the two); it is drawn again once the reader moves something.
    if (first && !window.location.search) this.syncControls(); else this.render();
  };

  Page.prototype.push = function () {
    var query = stateQuery(this.state);
    if (query !== window.location.search) window.history.pushState(null, "", query + window.location.hash);
  };

  Page.prototype.start = function () {
    var page = this;
    page.load(true);
    // The reader is about to move something: fetch the summaries the current verdict quotes.
    function early() {
      var e = page.model.explain(page.state);
      [e.leader, e.runner].forEach(function (f) { if (f !== null) page.summaries.need(f); });
    }
    page.form.addEventListener("focusin", early, { once: true });
    page.form.addEventListener("pointerdown", early, { once: true });
    page.form.addEventListener("input", function (ev) {
      if (ev.target.type !== "range") return;
      page.readControl(ev.target);
      page.render();
    });
    page.form.addEventListener("change", function (ev) {
      page.readControl(ev.target);
      page.render();
      page.push();
    });
    page.form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    page.root.querySelector("#fw-reset-weights").addEventListener("click", function () {
      page.state.weights = {};
      page.state.categories = {};
      page.render();
      page.push();
    });
    page.root.querySelector("#fw-reset-scoring").addEventListener("click", function () {
      page.state.values = {};
      page.state.status = {};
      page.render();
      page.push();
    });
    window.addEventListener("popstate", function () { page.load(); });
  };

  function init() {
    var root = document.getElementById("fw-decide"), data = document.getElementById("fw-decide-data");
    if (!root || !data || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "true");
    document.getElementById("fw-decide-nojs").hidden = true;
    var model = new Model(JSON.parse(data.textContent));
    var page = new Page(root, model);
    window.fwDecide = {
      model: model,
      summaries: page.summaries,
      compute: function (s) {
        var st = assign(emptyState(), s), e = model.explain(st), sp = model.split(st);
        return {
          scores: e.ranking.scores, order: e.ranking.order, top: e.ranking.top, close: e.ranking.close,
          weights: model.weights(st), leader: e.leader, runner: e.runner, gap: e.gap,
          deciding: e.deciding.map(function (t) { return t.criterion; }),
          against: e.against.map(function (t) { return t.criterion; }),
          ties: e.ties.map(function (t) { return t.criterion; }),
          flips: e.flips.map(function (f) { return { kind: f.kind, key: f.key, now: f.now, to: f.to, top: f.top, text: model.flipText(f) }; }),
          split: sp && { leaders: sp.leaders.map(function (l) { return [l[0].id, l[1]]; }),
            options: sp.options.map(function (o) { return { frameworks: o.frameworks, score: o.score, packages: o.packages, gaps: o.gaps }; }) }
        };
      }
    };
    page.start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
