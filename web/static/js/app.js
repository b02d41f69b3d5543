// parcours: small progressive enhancements. Every page works without this.
(function () {
  "use strict";
  var pendingG = false, timer = null;
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  // Keyboard: "/" focuses the page's search box; "g" then a letter follows
  // the menu link that carries data-shortcut with that letter.
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(document.activeElement)) return;
    if (e.key === "/") {
      var s = document.querySelector("[data-search]");
      if (s) { e.preventDefault(); s.focus(); s.select && s.select(); }
      return;
    }
    if (pendingG) {
      pendingG = false; clearTimeout(timer);
      var link = document.querySelector('a[data-shortcut="' + e.key.toLowerCase() + '"]');
      if (link) { e.preventDefault(); link.click(); }
      return;
    }
    if (e.key === "g") { pendingG = true; timer = setTimeout(function () { pendingG = false; }, 1200); }
  });
  // Forms with data-confirm ask before submitting (the server still
  // validates; this only prevents slips).
  document.addEventListener("submit", function (e) {
    var f = e.target, msg = f.getAttribute && f.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);
  // Close an open menu when clicking elsewhere or pressing Escape.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (d) { if (d !== except) d.removeAttribute("open"); });
  }
  document.addEventListener("click", function (e) { closeMenus(e.target.closest && e.target.closest("details.menu")); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeMenus(null); });
})();
