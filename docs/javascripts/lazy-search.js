// The search index on first use. Material for MkDocs requests search/search_index.json (the text of the
// whole site, the largest download of any page) as soon as a page loads, and offers no setting to wait.
// This script runs just before Material's bundle and holds that one request back until the reader reaches
// for search: focus in the search box (a click or tap on it or on the search icon, or the / and s keys).
// Every other request passes through untouched; without this script search works as before, only sooner.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const { open, send } = XMLHttpRequest.prototype;
  const held = new WeakSet();
  let release;
  const wanted = new Promise((resolve) => {
    release = resolve;
  });

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (INDEX.test(new URL(String(url), document.baseURI).pathname)) held.add(this);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (!held.has(this)) return send.apply(this, args);
    wanted.then(() => send.apply(this, args));
  };

  const onFocus = (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-component=search-query]")) {
      document.removeEventListener("focusin", onFocus, true);
      release();
    }
  };
  document.addEventListener("focusin", onFocus, true);
})();
