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

  // A point is a site ({slug, organisation, name, place}) or, on the exchange pages, a
  // listing ({url, title, subtitle, side, precision}); "area" marks a coarsened position.
  var COLOURS = {
    site: { color: "#7c2d12", fillColor: "#ea580c" },
    offer: { color: "#7c2d12", fillColor: "#ea580c" },
    demand: { color: "#1e3a8a", fillColor: "#3b82f6" },
  };

  function popupOf(p) {
    if (p.url) {
      return '<a href="' + encodeURI(p.url) + '">' + escapeHtml(p.title) + "</a><br>" +
        escapeHtml(p.subtitle || "");
    }
    return '<a href="/organisations/' + encodeURIComponent(p.slug) + '/">' +
      escapeHtml(p.organisation) + "</a><br>" + escapeHtml(p.name) + ", " + escapeHtml(p.place);
  }

  function drawPoints(map, points) {
    var layer = L.featureGroup();
    points.forEach(function (p) {
      var colours = COLOURS[p.side] || COLOURS.site;
      var style = { color: colours.color, weight: 1, fillColor: colours.fillColor };
      var shape;
      if (p.cell) {
        // A coarsened position: draw the whole grid cell, not a point that looks exact.
        var half = [p.cell[0] / 2, p.cell[1] / 2];
        shape = L.rectangle(
          [[p.lat - half[0], p.lon - half[1]], [p.lat + half[0], p.lon + half[1]]],
          Object.assign(style, { dashArray: "4", fillOpacity: 0.25 })
        );
      } else {
        shape = L.circleMarker([p.lat, p.lon], Object.assign(style, { radius: 6, fillOpacity: 0.85 }));
      }
      shape.bindPopup(popupOf(p)).addTo(layer);
    });
    layer.addTo(map);
    return layer;
  }

  var state = { map: null, layer: null, element: null };

  function show(points) {
    if (state.layer) { state.map.removeLayer(state.layer); }
    state.layer = drawPoints(state.map, points);
    if (points.length) {
      var maxZoom = Number(state.element.dataset.maxZoom || 11);
      state.map.fitBounds(state.layer.getBounds().pad(0.15), { maxZoom: maxZoom });
    }
    state.element.dataset.ready = "true";
    state.element.dataset.markers = String(points.length);
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
    state.map = map;
    state.element = element;
    var basemap = tileUrl ? Promise.resolve() : drawBasemap(map, element.dataset.basemap);
    basemap.then(function () { show(points); });
  }

  function redraw(points) {
    if (state.map) { state.element.dataset.ready = "false"; show(points); }
  }

  // Pages that replace their results in place (htmx) carry the new points in the results,
  // as JSON in #result-points: draw them after the swap.
  document.addEventListener("htmx:afterSettle", function (event) {
    var points = document.getElementById("result-points");
    if (event.detail.target && event.detail.target.id === "results" && points) {
      redraw(JSON.parse(points.textContent));
    }
  });

  window.metalloopMap = { redraw: redraw };

  document.addEventListener("DOMContentLoaded", init);
})();
