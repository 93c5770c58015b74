// Proof of posting: when the officer picks or takes a photo, ask the phone for its position and
// send it with the photo (hidden fields). The server also reads the photo's own EXIF time and GPS.
(function () {
  document.querySelectorAll("form[data-photo-form]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var lat = form.querySelector("input[name=latitude]");
    var lon = form.querySelector("input[name=longitude]");
    var status = form.querySelector("[data-geo-status]");
    if (!input || !lat || !lon) return;
    input.addEventListener("change", function () {
      if (!navigator.geolocation) {
        if (status) status.textContent = status.dataset.unavailable;
        return;
      }
      if (status) status.textContent = status.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          lat.value = pos.coords.latitude.toFixed(6);
          lon.value = pos.coords.longitude.toFixed(6);
          if (status) status.textContent = status.dataset.found + " (±" + Math.round(pos.coords.accuracy) + " m)";
        },
        function () {
          lat.value = "";
          lon.value = "";
          if (status) status.textContent = status.dataset.denied;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
