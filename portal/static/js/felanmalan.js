/* Felanmälan, progressive enhancement only: the pages work without this file.
   - "Använd min position": fills latitude and longitude from navigator.geolocation
     (the button is hidden in the HTML and shown only here, where it can work).
   - The map (only when the server configured a tile server and so sent Leaflet):
     picking the place on the form, the open reports of a list, one report. */
(function () {
  "use strict";
  var DECIMALS = 6;
  var ZOOM_PLACE = 17;

  function bounds(text) {
    var b = (text || "").split(",").map(Number);
    return b.length === 4 && b.every(isFinite) ? {south: b[0], west: b[1], north: b[2], east: b[3]} : null;
  }

  function inside(box, lat, lon) {
    return !box || (lat >= box.south && lat <= box.north && lon >= box.west && lon <= box.east);
  }

  function fill(latInput, lonInput, lat, lon) {
    latInput.value = lat.toFixed(DECIMALS);
    lonInput.value = lon.toFixed(DECIMALS);
    latInput.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function geolocate(button) {
    var data = button.dataset;
    var status = document.getElementById(data.status);
    var latInput = document.getElementById(data.latInput);
    var lonInput = document.getElementById(data.lonInput);
    var box = bounds(data.bounds);
    var wrapper = button.closest(".geolocate");
    if (wrapper) { wrapper.hidden = false; }
    button.addEventListener("click", function () {
      status.textContent = data.busy;
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = position.coords.latitude, lon = position.coords.longitude;
        if (!inside(box, lat, lon)) { status.textContent = data.outside; return; }
        fill(latInput, lonInput, lat, lon);
        status.textContent = data.done;
      }, function (error) {
        status.textContent = error.code === error.PERMISSION_DENIED ? data.denied : data.failed;
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
  }

  // Leaflet writes the attribution as HTML: the configured text is escaped first.
  function escaped(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function baseMap(box, element) {
    var data = element.dataset;
    element.hidden = false;
    var map = L.map(element, {scrollWheelZoom: false});
    L.tileLayer(data.tiles, {attribution: escaped(data.attribution), maxZoom: 19}).addTo(map);
    if (box) {
      var area = L.latLngBounds([box.south, box.west], [box.north, box.east]);
      map.setMaxBounds(area.pad(0.5));
      map.fitBounds(area);
    } else {
      map.setView([0, 0], 2);
    }
    return map;
  }

  function pickOnMap(map, element) {
    var data = element.dataset;
    var latInput = document.getElementById(data.latInput);
    var lonInput = document.getElementById(data.lonInput);
    var marker = null;
    function show(lat, lon) {
      if (!isFinite(lat) || !isFinite(lon) || latInput.value === "" || lonInput.value === "") { return; }
      marker = marker || L.marker([lat, lon], {keyboard: false}).addTo(map);
      marker.setLatLng([lat, lon]);
      map.setView([lat, lon], Math.max(map.getZoom(), ZOOM_PLACE - 2));
    }
    map.on("click", function (event) {
      fill(latInput, lonInput, event.latlng.lat, event.latlng.lng);
    });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () { show(Number(latInput.value), Number(lonInput.value)); });
    });
    show(Number(latInput.value), Number(lonInput.value));
    document.querySelectorAll("[data-map-hint]").forEach(function (hint) { hint.hidden = false; });
  }

  function reportMarkers(map, table) {
    var points = [];
    table.querySelectorAll("tr[data-lat]").forEach(function (row) {
      var link = row.querySelector("a");
      var lat = Number(row.dataset.lat), lon = Number(row.dataset.lon);
      var popup = document.createElement("a");
      popup.href = link.href;
      popup.textContent = link.textContent;
      L.marker([lat, lon], {title: link.textContent}).addTo(map).bindPopup(popup);
      points.push([lat, lon]);
    });
    if (points.length) { map.fitBounds(L.latLngBounds(points).pad(0.2), {maxZoom: ZOOM_PLACE}); }
  }

  function drawMap(element) {
    var data = element.dataset;
    var map = baseMap(bounds(data.bounds), element);
    if (data.pick) { pickOnMap(map, element); }
    if (data.markers) { reportMarkers(map, document.getElementById(data.markers)); }
    if (data.lat && !data.pick) {
      L.marker([Number(data.lat), Number(data.lon)], {keyboard: false}).addTo(map);
      map.setView([Number(data.lat), Number(data.lon)], ZOOM_PLACE);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if ("geolocation" in navigator) {
      document.querySelectorAll("[data-geolocate]").forEach(geolocate);
    }
    if (window.L) {
      document.querySelectorAll("[data-fault-map]").forEach(drawMap);
    }
  });
}());
