// parcours waiting-room screen: shows the slides of the page one after the
// other, every data-pace seconds, without anyone touching the screen; after
// a full round it reloads the page (when online) to pick up new content.
// Without JavaScript the page shows one slide (the server picks it).
(function () {
  "use strict";
  var root = document.querySelector("[data-screen]");
  if (!root) return;
  var slides = root.querySelectorAll("[data-slide]");
  var n = slides.length;
  var next = root.querySelector("[data-screen-next]");
  if (next) next.hidden = true;
  if (n < 2) return;
  var pace = Math.max(5, Math.min(300, parseInt(root.getAttribute("data-pace"), 10) || 15)) * 1000;
  var i = (parseInt(root.getAttribute("data-current"), 10) || 0) % n;
  var shown = 0;
  function wake(s) {
    s.querySelectorAll("img[loading]").forEach(function (img) { img.removeAttribute("loading"); });
  }
  wake(slides[(i + 1) % n]);
  setInterval(function () {
    slides[i].hidden = true;
    i = (i + 1) % n;
    slides[i].hidden = false;
    wake(slides[(i + 1) % n]);
    root.setAttribute("data-current", String(i));
    if (++shown >= n && navigator.onLine) location.reload();
  }, pace);
})();
