// Small map on a unit's page. If the tile server cannot be reached the map keeps its marker and
// a note replaces the missing tiles, so the page never shows broken pieces.
(function () {
  var el = document.getElementById("unit-map");
  if (!el || typeof L === "undefined") { return; }
  var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 12);
  var failed = 0, loaded = 0;
  var layer = L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 });
  layer.on("tileerror", function () {
    failed += 1;
    if (failed === 4 && loaded === 0) {
      map.removeLayer(layer);
      el.classList.add("map-fallback");
      var note = document.createElement("p");
      note.className = "small mb-0 p-2";
      note.textContent = el.getAttribute("data-offline") || "Không tải được bản đồ nền; vị trí: " + lat.toFixed(4) + ", " + lon.toFixed(4);
      el.parentNode.appendChild(note);
    }
  });
  layer.on("tileload", function () { loaded += 1; });
  layer.addTo(map);
  L.marker([lat, lon], { title: el.dataset.name, alt: el.dataset.name }).addTo(map);
})();
