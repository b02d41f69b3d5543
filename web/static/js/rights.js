// parcours — rights module: the fact sheet's print button (without
// scripts, the browser's own Print command gives the same page).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
