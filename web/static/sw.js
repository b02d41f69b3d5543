/* parcours service worker (served at /sw.js, scope /): offline copies of
   the public guide, for phones with little or no network.

   - Static files (/static/) and glossary audio (/audio/glossary/): from the
     cache first (their URLs carry a version), else the network.
   - Public guide pages (/{lang}/ and /{lang}/guide/...): from the network
     first; a copy is kept of each page visited; without network the saved
     copy (favourite), else the visited copy, else the "saved pages" page.
   - Only responses marked Cache-Control "public" are kept: staff pages
     (no-store) are never cached, and nothing else is touched: requests
     other than GET, other paths and other origins go to the network as if
     this worker did not exist.
   - Favourites live in the cache "parcours-saved", written by offline.js;
     this worker only reads them. Markup contract: docs/glossary.md. */
"use strict";

var VERSION = "v1";
var STATIC = "parcours-static-" + VERSION;
var PAGES = "parcours-pages-" + VERSION;
var SAVED = "parcours-saved";
var MAX_PAGES = 60;
var MAX_STATIC = 300;
var PAGE_RE = /^\/[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?\/(?:guide(?:\/[^]*)?)?$/;
var RTL = ["ar", "fa", "fa-AF", "ps", "ur"];

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("parcours-") === 0 && k !== STATIC && k !== PAGES && k !== SAVED;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// cacheable: a full, same-origin answer that says it may be shared.
function cacheable(resp) {
  if (!resp || resp.status !== 200 || resp.type !== "basic") return false;
  var cc = (resp.headers.get("Cache-Control") || "").toLowerCase();
  return cc.indexOf("public") >= 0 && cc.indexOf("no-store") < 0 && cc.indexOf("private") < 0;
}

// stamp copies a response, adding the date it was stored.
function stamp(resp, header) {
  var h = new Headers(resp.headers);
  h.set(header, String(Date.now()));
  return resp.blob().then(function (b) {
    return new Response(b, {status: resp.status, statusText: resp.statusText, headers: h});
  });
}

function trim(name, max) {
  return caches.open(name).then(function (c) {
    return c.keys().then(function (keys) {
      return Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map(function (k) { return c.delete(k); }));
    });
  });
}

function keyOf(url) {
  return url.pathname + url.search;
}

function cacheFirst(req, url) {
  var key = keyOf(url);
  return caches.match(key, {cacheName: STATIC, ignoreVary: true}).then(function (hit) {
    if (hit) return hit;
    return fetch(req).then(function (resp) {
      if (cacheable(resp)) {
        var copy = resp.clone();
        caches.open(STATIC).then(function (c) { return c.put(key, copy); }).then(function () { return trim(STATIC, MAX_STATIC); });
      }
      return resp;
    });
  });
}

function networkFirst(req, url) {
  var key = keyOf(url);
  return fetch(req).then(function (resp) {
    if (cacheable(resp)) {
      var copy = resp.clone();
      stamp(copy, "X-Parcours-Cached-At").then(function (s) {
        return caches.open(PAGES).then(function (c) { return c.delete(key).then(function () { return c.put(key, s); }); });
      }).then(function () { return trim(PAGES, MAX_PAGES); });
    }
    return resp;
  }).catch(function (err) {
    return caches.match(key, {cacheName: SAVED, ignoreVary: true}).then(function (hit) {
      return hit || caches.match(key, {cacheName: PAGES, ignoreVary: true});
    }).then(function (hit) {
      if (hit) return hit;
      if (req.mode !== "navigate") throw err;
      return offline(url);
    });
  });
}

// offline answers a page that was never stored: the saved pages' page of
// its language when it is stored, else a short notice.
function offline(url) {
  var lang = url.pathname.split("/")[1] || "fr";
  return caches.match("/" + lang + "/guide/saved", {ignoreVary: true}).then(function (hit) {
    if (hit) return hit;
    return caches.match("/fr/guide/saved", {ignoreVary: true});
  }).then(function (hit) {
    if (hit) return hit;
    var dir = RTL.indexOf(lang) >= 0 ? "rtl" : "ltr";
    return new Response("<!doctype html><html lang=\"" + lang.replace(/[^A-Za-z-]/g, "") + "\" dir=\"" + dir + "\"><meta charset=utf-8>" +
      "<meta name=viewport content=\"width=device-width\"><title>Hors ligne · Offline</title>" +
      "<h1>Hors ligne · Offline</h1><p lang=fr>Pas de réseau, et cette page n'a pas été enregistrée.</p>" +
      "<p lang=en>No network, and this page was not saved.</p>",
    {status: 503, headers: {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}});
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  var p = url.pathname;
  if (p.indexOf("/static/") === 0 || p.indexOf("/audio/glossary/") === 0) {
    e.respondWith(cacheFirst(req, url));
  } else if (PAGE_RE.test(p)) {
    e.respondWith(networkFirst(req, url));
  }
});
