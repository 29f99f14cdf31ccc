// Draw the sites on a Leaflet map. The basemap is the Natural Earth outline of the
// countries (world-atlas, installed from npm and served by us): no tile server needed.
// A tile server is added only when the deployment configures one.
(function () {
  "use strict";

  function drawBasemap(map, url) {
    return fetch(url)
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        var countries = topojson.feature(topology, topology.objects.countries);
        map.getContainer().dataset.basemapFeatures = String(countries.features.length);
        L.geoJSON(countries, {
          interactive: false,
          style: function (feature) {
            var germany = feature.id === "276";
            return {
              color: "#6b7280",
              weight: germany ? 1.5 : 0.7,
              fillColor: germany ? "#f5f3ef" : "#e5e7eb",
              fillOpacity: 1,
            };
          },
        }).addTo(map);
      });
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function drawPoints(map, points) {
    var layer = L.featureGroup();
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {
        radius: 6, color: "#7c2d12", weight: 1, fillColor: "#ea580c", fillOpacity: 0.85,
      })
        .bindPopup(
          '<a href="/organisations/' + encodeURIComponent(p.slug) + '/">' +
          escapeHtml(p.organisation) + "</a><br>" + escapeHtml(p.name) + ", " + escapeHtml(p.place)
        )
        .addTo(layer);
    });
    layer.addTo(map);
    return layer;
  }

  function init() {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") { return; }
    var points = JSON.parse(document.getElementById("map-points").textContent);
    var map = L.map(element, { preferCanvas: true, attributionControl: true })
      .setView([51.2, 9.5], 6);
    map.getContainer().style.background = "#dbeafe";
    map.attributionControl.addAttribution("Natural Earth");
    var tileUrl = element.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    var basemap = tileUrl ? Promise.resolve() : drawBasemap(map, element.dataset.basemap);
    basemap.then(function () {
      var layer = drawPoints(map, points);
      if (points.length) {
        map.fitBounds(layer.getBounds().pad(0.15), { maxZoom: 11 });
      }
      element.dataset.ready = "true";
      element.dataset.markers = String(points.length);
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
