// parcours offline mode, for the public guide pages: registers the service
// worker (/sw.js), and runs the "save" buttons (favourites kept in this
// browser only, no account) and the list of saved pages. Every page works
// without it: the buttons it drives stay hidden.
//
// Markup contract (docs/glossary.md):
//   <button type="button" data-save hidden data-label-save="…" data-label-remove="…">…</button>
//   <p data-saved-note hidden data-template="… {date} …" data-template-visited="… {date} …"></p>
//   <div data-saved-list data-empty="…" data-template="… {date} …" data-remove="…"> (the saved pages' page)
//   <button type="button" data-print hidden>…</button> (prints the page)
(function () {
  "use strict";
  var SAVED = "parcours-saved", PAGES = "parcours-pages-v1", STATIC = "parcours-static-v1";
  var RTL = ["ar", "fa", "fa-AF", "ps", "ur"];
  var lang = document.documentElement.lang || "fr";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
  }
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  if (!("caches" in window)) return;

  var key = location.pathname + location.search;

  function date(ts) {
    var d = new Date(+ts);
    try {
      return d.toLocaleDateString(lang + "-u-nu-latn", {day: "numeric", month: "long", year: "numeric"});
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }
  function fill(template, ts) { return (template || "{date}").replace("{date}", date(ts)); }
  function titleOf() {
    var t = document.title, i = t.lastIndexOf(" · ");
    return i > 0 ? t.slice(0, i) : t;
  }
  function savedEntry(k) {
    return caches.open(SAVED).then(function (c) { return c.match(k, {ignoreVary: true}); });
  }

  // The files the page needs, to show it offline.
  function assets() {
    var urls = [];
    function add(u) {
      if (!u) return;
      var a = new URL(u, location.href);
      if (a.origin === location.origin && urls.indexOf(a.pathname + a.search) < 0) urls.push(a.pathname + a.search);
    }
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (l) { add(l.href); });
    document.querySelectorAll("script[src]").forEach(function (s) { add(s.src); });
    document.querySelectorAll("img[src]").forEach(function (i) { if (i.src.indexOf("data:") !== 0) add(i.src); });
    document.querySelectorAll("audio").forEach(function (a) {
      var probe = document.createElement("audio");
      var src = Array.prototype.find.call(a.querySelectorAll("source"), function (s) { return probe.canPlayType(s.type) !== ""; });
      if (src) add(src.src);
    });
    return urls;
  }

  function save() {
    return fetch(key, {credentials: "same-origin"}).then(function (resp) {
      var cc = (resp.headers.get("Cache-Control") || "").toLowerCase();
      if (!resp.ok || cc.indexOf("public") < 0) throw new Error("not a public page");
      var h = new Headers(resp.headers);
      var now = Date.now();
      h.set("X-Parcours-Saved-At", String(now));
      h.set("X-Parcours-Title", encodeURIComponent(titleOf()));
      return resp.blob().then(function (b) {
        return caches.open(SAVED).then(function (c) {
          return c.put(key, new Response(b, {status: 200, headers: h}));
        });
      }).then(function () {
        return caches.open(STATIC).then(function (c) {
          return Promise.all(assets().map(function (u) {
            return c.match(u, {ignoreVary: true}).then(function (hit) {
              if (hit) return null;
              return fetch(u, {credentials: "same-origin"}).then(function (r) { return r.ok && r.status === 200 ? c.put(u, r) : null; });
            }).catch(function () { return null; });
          }));
        });
      }).then(function () { return now; });
    });
  }

  function remove(k) {
    return caches.open(SAVED).then(function (c) { return c.delete(k); });
  }

  var note = document.querySelector("[data-saved-note]");
  function showNote(text) {
    if (!note) return;
    note.textContent = text;
    note.hidden = !text;
  }

  document.querySelectorAll("[data-save]").forEach(function (btn) {
    function state(ts) {
      btn.textContent = ts ? btn.getAttribute("data-label-remove") : btn.getAttribute("data-label-save");
      btn.setAttribute("data-saved", ts ? "1" : "");
      showNote(ts ? fill(note && note.getAttribute("data-template"), ts) : "");
    }
    btn.hidden = false;
    btn.removeAttribute("aria-pressed");
    savedEntry(key).then(function (hit) {
      if (hit) {
        state(hit.headers.get("X-Parcours-Saved-At"));
      } else if (!navigator.onLine) {
        caches.open(PAGES).then(function (c) { return c.match(key, {ignoreVary: true}); }).then(function (p) {
          var ts = p && p.headers.get("X-Parcours-Cached-At");
          if (ts) showNote(fill(note && note.getAttribute("data-template-visited"), ts));
        });
      }
    });
    btn.addEventListener("click", function () {
      btn.disabled = true;
      var done = btn.getAttribute("data-saved") ? remove(key).then(function () { state(null); }) : save().then(state);
      done.catch(function () {}).then(function () { btn.disabled = false; });
    });
  });

  // Keep a copy of the saved pages' page of this language, to open offline.
  if (navigator.onLine) {
    var savedPage = "/" + lang + "/guide/saved";
    caches.open(PAGES).then(function (c) {
      return c.match(savedPage, {ignoreVary: true}).then(function (hit) { return hit || c.add(savedPage); });
    }).catch(function () {});
  }

  // The saved pages' page: list the favourites from the cache.
  var list = document.querySelector("[data-saved-list]");
  if (list) {
    var ul = list.querySelector("ul"), status = list.querySelector("[data-saved-status]");
    var render = function () {
      caches.open(SAVED).then(function (c) {
        return c.keys().then(function (reqs) {
          return Promise.all(reqs.map(function (r) {
            return c.match(r, {ignoreVary: true}).then(function (resp) {
              var u = new URL(r.url);
              return {
                path: u.pathname + u.search,
                title: decodeURIComponent(resp.headers.get("X-Parcours-Title") || "") || u.pathname,
                at: +resp.headers.get("X-Parcours-Saved-At") || 0
              };
            });
          }));
        });
      }).then(function (items) {
        items.sort(function (a, b) { return b.at - a.at; });
        ul.textContent = "";
        status.textContent = items.length ? "" : list.getAttribute("data-empty");
        status.hidden = items.length > 0;
        items.forEach(function (it) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          var tag = it.path.split("/")[1] || "fr";
          a.href = it.path;
          a.textContent = it.title;
          a.lang = tag;
          a.dir = RTL.indexOf(tag) >= 0 ? "rtl" : "ltr";
          var when = document.createElement("span");
          when.className = "small";
          when.textContent = fill(list.getAttribute("data-template"), it.at);
          var del = document.createElement("button");
          del.type = "button";
          del.className = "secondary";
          del.textContent = list.getAttribute("data-remove");
          del.addEventListener("click", function () { remove(it.path).then(render); });
          li.appendChild(a);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(when);
          li.appendChild(del);
          ul.appendChild(li);
        });
      }).catch(function () {
        status.textContent = list.getAttribute("data-empty");
      });
    };
    render();
  }
})();
