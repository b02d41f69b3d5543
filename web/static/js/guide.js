// parcours guide: "near me" (asks for the position only when the button is
// pressed) and "copy the text" on a service page. The pages work without it.
(function () {
  "use strict";
  var near = document.querySelector("[data-near]");
  if (near && "geolocation" in navigator) {
    var form = near.closest("form"), status = form.querySelector("[data-near-status]");
    near.hidden = false;
    near.addEventListener("click", function () {
      status.textContent = near.getAttribute("data-wait");
      navigator.geolocation.getCurrentPosition(function (p) {
        // Three decimals (about 100 m) are enough to sort by distance.
        form.querySelector("input[name=near]").value = p.coords.latitude.toFixed(3) + "," + p.coords.longitude.toFixed(3);
        var arr = form.querySelector("select[name=arr]");
        if (arr) arr.value = "";
        form.submit();
      }, function () {
        status.textContent = near.getAttribute("data-denied");
      }, {maximumAge: 600000, timeout: 15000});
    });
  }
  var copy = document.querySelector("[data-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var text = document.getElementById(copy.getAttribute("data-copy")).value;
      navigator.clipboard.writeText(text).then(function () {
        var s = document.querySelector("[data-copy-status]");
        if (s) s.textContent = copy.getAttribute("data-done");
      });
    });
  }
})();
