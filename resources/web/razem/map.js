/* Razem map page: beats, clustered reports (own grid clustering), heat map, legend and the
   QWebChannel bridge to the application. Text from data reaches the DOM only through
   textContent (never innerHTML), so a name like <img onerror=...> stays text. */
(function () {
  "use strict";
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39",
    "#7b4173", "#3182bd", "#e6550d"];
  var S = {
    map: null, groups: null, T: {}, colourBy: "unit", data: null, beatLayer: null,
    beatById: {}, singles: {}, selected: null, sel: null, heat: null, clusters: null, legend: null,
    shown: 0, rendered: 0, filterMs: 0, filterSeq: 0, bridge: null, ready: false,
    px: null, py: null, scratch: null, hit: null, cache: new Map(), cacheHits: 0, lastFilter: {}, received: 0
  };
  var CACHE_MAX = 6;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function colourIndex(p) { return S.colourBy === "gmina" ? p.gmina : p.unit; }
  function colourOf(i) { return i < 0 ? "#9e9e9e" : PALETTE[i % PALETTE.length]; }

  function beatStyle(feature) {
    var p = feature.properties, chosen = S.selected === p.id;
    return { color: chosen ? "#000000" : "#37474f", weight: chosen ? 3.5 : 1.2,
      fillColor: colourOf(colourIndex(p)), fillOpacity: chosen ? 0.5 : 0.32,
      className: "razem-beat" };
  }

  function person(title, who) {
    var box = el("div", "razem-person");
    box.appendChild(el("div", "razem-role", title));
    if (!who) { box.appendChild(el("div", "razem-none", S.T.none)); return box; }
    box.appendChild(el("div", "razem-name", who.name));
    if (who.phone) { box.appendChild(el("div", null, S.T.phone + " " + who.phone)); }
    if (who.mobile) { box.appendChild(el("div", null, S.T.mobile + " " + who.mobile)); }
    if (who.email) { box.appendChild(el("div", null, S.T.email + ": " + who.email)); }
    return box;
  }

  function beatPopup(p) {
    var box = el("div", "razem-popup razem-beat-popup");
    box.appendChild(el("div", "razem-title", p.number + " " + p.name));
    box.appendChild(el("div", null, S.T.unit + ": " + p.unitName));
    if (p.gmina >= 0) { box.appendChild(el("div", null, S.T.gmina + ": " + S.data.gminas[p.gmina].name)); }
    box.appendChild(person(S.T.officer, p.officer));
    box.appendChild(person(S.T.traffic, p.traffic));
    return box;
  }

  function polishDate(days) {
    // days since 1970-01-01 -> "dd.mm.rrrr", as everywhere else in the application
    var iso = new Date(days * 86400000).toISOString();
    return iso.slice(8, 10) + "." + iso.slice(5, 7) + "." + iso.slice(0, 4);
  }

  function measurePanel() {
    // Beat popups auto-pan clear of the layer panel (top right). Leaflet pads only the top-left
    // and bottom-right corners, so: the panel's height at the top, its width at the right
    // (shared points, updated when the map resizes).
    var ctl = S.map.getContainer().querySelector(".leaflet-control-layers");
    if (!ctl) { return; }
    S.padTopLeft.y = ctl.offsetHeight + 20;
    S.padBottomRight.x = ctl.offsetWidth + 20;
  }

  function popupCoversControls() {
    // For tests: does the open popup overlap the layer panel?
    var box = document.querySelector(".leaflet-popup"), ctl = document.querySelector(".leaflet-control-layers");
    if (!box || !ctl) { return null; }
    var a = box.getBoundingClientRect(), c = ctl.getBoundingClientRect();
    if (a.top < 0 || a.left < 0 || a.right > window.innerWidth) { return "panning"; }
    return Math.min(a.right, c.right) > Math.max(a.left, c.left) &&
      Math.min(a.bottom, c.bottom) > Math.max(a.top, c.top);
  }

  function reportPopup(i) {
    var r = S.data.reports, box = el("div", "razem-popup razem-report-popup");
    box.appendChild(el("div", "razem-title", S.data.categories[r.cat[i]].name));
    box.appendChild(el("div", null, S.T.status + ": " + S.data.statuses[r.st[i]].name));
    box.appendChild(el("div", null, S.T.date + ": " + polishDate(r.day[i])));
    if (r.beat[i] >= 0) {
      var layer = S.beatById[S.data.beatIds[r.beat[i]]];
      if (layer) {
        var p = layer.feature.properties;
        box.appendChild(el("div", null, p.number + " " + p.name));
      }
    }
    return box;
  }

  function addBeats() {
    S.beatLayer = L.geoJSON(S.data.beats, {
      style: beatStyle,
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        S.beatById[p.id] = layer;
        layer.bindTooltip(function () { return el("span", "razem-beat-label", p.number + " " + p.name); },
          { sticky: true });
        layer.bindPopup(function () { return beatPopup(p); },
          { maxWidth: 340, autoPanPaddingTopLeft: S.padTopLeft,
            autoPanPaddingBottomRight: S.padBottomRight });
        layer.on("click", function () {
          select(p.id);
          if (S.bridge) { S.bridge.beatClicked(p.id); }
        });
      }
    }).addTo(S.groups.beats);
  }

  function select(id) {
    S.selected = id;
    if (S.beatLayer) { S.beatLayer.setStyle(beatStyle); }
    var layer = S.beatById[id];
    if (layer) { layer.bringToFront(); }
  }

  function centreOnBeat(id) {
    var layer = S.beatById[id];
    if (!layer) { return false; }
    select(id);
    S.map.fitBounds(layer.getBounds(), { maxZoom: 15, animate: false });
    return true;
  }

  function openBeat(id) {
    var layer = S.beatById[id];
    if (!layer) { return false; }
    var centre = layer.getBounds().getCenter();
    layer.openTooltip(centre);
    layer.openPopup(centre);
    return true;
  }

  function clickBeat(id) {
    // What a mouse click on the polygon does (used by tests and keyboard helpers).
    var layer = S.beatById[id];
    if (!layer) { return false; }
    layer.fire("click", { latlng: layer.getBounds().getCenter() });
    return true;
  }

  function firstSingle() {
    // For tests: the index of a report drawn as a single marker (or null).
    var keys = Object.keys(S.singles || {});
    return keys.length ? Number(keys[0]) : null;
  }

  function openReport(i) {
    var m = S.singles[i];
    if (!m) { return false; }
    m.openPopup();
    return true;
  }

  function showReport(r) {
    // A report chosen in the reports browser: centre on it and mark it (text via textContent).
    if (!S.map || typeof r.lat !== "number" || typeof r.lon !== "number") { return false; }
    if (!S.marked) {
      S.marked = L.circleMarker([r.lat, r.lon], { radius: 11, color: "#d50000", weight: 3,
        fillOpacity: 0.15, className: "razem-marked" }).addTo(S.map);
    }
    S.marked.setLatLng([r.lat, r.lon]);
    S.marked.bindTooltip(el("span", null, r.label || ""), { permanent: false });
    S.markedId = r.id;
    S.map.setView([r.lat, r.lon], Math.max(S.map.getZoom(), 16), { animate: false });
    return true;
  }

  function clusterIcon(n) {
    var size = n < 100 ? "small" : (n < 1000 ? "medium" : "large");
    var inner = el("div"), label = el("span", null, n);
    inner.appendChild(label);
    return L.divIcon({ html: inner, className: "razem-cluster razem-cluster-" + size,
      iconSize: L.point(40, 40) });
  }

  // Clustering (the reports layer). Every report's Web-Mercator position is kept in typed
  // arrays (0..1 across the world); a view gathers the filter's reports in the padded bounds
  // into grid cells one radius wide, then merges neighbouring cells greedily, largest first,
  // when their centres lie within the radius: one pass over the chosen reports per view, no
  // index per filter, nothing kept between views.
  var CLUSTER_RADIUS = 60, CLUSTER_EXTENT = 512;  // a cluster's reach: 30 screen pixels

  function lngX(lng) { return lng / 360 + 0.5; }
  function latY(lat) {
    var s = Math.sin(lat * Math.PI / 180), y = 0.5 - 0.25 * Math.log((1 + s) / (1 - s)) / Math.PI;
    return y < 0 ? 0 : (y > 1 ? 1 : y);
  }
  function xLng(x) { return (x - 0.5) * 360; }
  function yLat(y) { return 360 * Math.atan(Math.exp((180 - y * 360) * Math.PI / 180)) / Math.PI - 90; }

  function clusterMaxZoom() { return Math.min(15, S.map.getMaxZoom() - 1); }

  function clusterView(sel, x0, y0, x1, y1, radius) {
    // The clusters ({x, y, n, first, minX..maxY}) of the chosen reports inside [x0, x1]×[y0, y1];
    // radius 0: every report on its own.
    var px = S.px, py = S.py, out = [], k, i, x, y;
    if (!(radius > 0)) {
      for (k = 0; k < sel.length; k++) {
        i = sel[k];
        x = px[i];
        y = py[i];
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) {
          out.push({ x: x, y: y, n: 1, first: i, minX: x, minY: y, maxX: x, maxY: y });
        }
      }
      return out;
    }
    var cols = Math.max(1, Math.ceil((x1 - x0) / radius)), rows = Math.max(1, Math.ceil((y1 - y0) / radius));
    if (cols * rows > 4000000) {  // a view far wider than the data: coarser cells
      radius = Math.max((x1 - x0) / 2000, (y1 - y0) / 2000);
      cols = Math.max(1, Math.ceil((x1 - x0) / radius));
      rows = Math.max(1, Math.ceil((y1 - y0) / radius));
    }
    var cells = cols * rows, cnt = new Int32Array(cells), first = new Int32Array(cells);
    var sx = new Float64Array(cells), sy = new Float64Array(cells);
    var lo = new Float64Array(2 * cells), hi = new Float64Array(2 * cells), used = [];
    for (k = 0; k < sel.length; k++) {
      i = sel[k];
      x = px[i];
      y = py[i];
      if (x < x0 || x > x1 || y < y0 || y > y1) { continue; }
      var c = Math.min(rows - 1, Math.floor((y - y0) / radius)) * cols
        + Math.min(cols - 1, Math.floor((x - x0) / radius));
      if (cnt[c] === 0) {
        used.push(c);
        first[c] = i;
        lo[2 * c] = hi[2 * c] = x;
        lo[2 * c + 1] = hi[2 * c + 1] = y;
      } else {
        if (x < lo[2 * c]) { lo[2 * c] = x; } else if (x > hi[2 * c]) { hi[2 * c] = x; }
        if (y < lo[2 * c + 1]) { lo[2 * c + 1] = y; } else if (y > hi[2 * c + 1]) { hi[2 * c + 1] = y; }
      }
      cnt[c] += 1;
      sx[c] += x;
      sy[c] += y;
    }
    used.sort(function (a, b) { return cnt[b] - cnt[a] || a - b; });
    var taken = new Uint8Array(cells), r2 = radius * radius;
    for (k = 0; k < used.length; k++) {
      var seed = used[k];
      if (taken[seed]) { continue; }
      taken[seed] = 1;
      var n = cnt[seed], cx = sx[seed] / n, cy = sy[seed] / n;
      var cl = { x: 0, y: 0, n: n, first: first[seed], minX: lo[2 * seed], minY: lo[2 * seed + 1],
        maxX: hi[2 * seed], maxY: hi[2 * seed + 1] }, tx = sx[seed], ty = sy[seed];
      var row = Math.floor(seed / cols), col = seed - row * cols;
      for (var dr = -1; dr <= 1; dr++) {
        for (var dc = -1; dc <= 1; dc++) {
          var rr = row + dr, cc = col + dc, nb = rr * cols + cc;
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols || taken[nb] || cnt[nb] === 0) { continue; }
          var dx = sx[nb] / cnt[nb] - cx, dy = sy[nb] / cnt[nb] - cy;
          if (dx * dx + dy * dy > r2) { continue; }
          taken[nb] = 1;
          cl.n += cnt[nb];
          tx += sx[nb];
          ty += sy[nb];
          cl.minX = Math.min(cl.minX, lo[2 * nb]);
          cl.minY = Math.min(cl.minY, lo[2 * nb + 1]);
          cl.maxX = Math.max(cl.maxX, hi[2 * nb]);
          cl.maxY = Math.max(cl.maxY, hi[2 * nb + 1]);
        }
      }
      cl.x = tx / cl.n;
      cl.y = ty / cl.n;
      out.push(cl);
    }
    return out;
  }

  function expandCluster(box, z) {
    // A click on a cluster: zoom in until its reports part (at least one step, at most the
    // map's maximum); a cluster of one place goes straight past the clustering zooms.
    var target = box.getNorthEast().equals(box.getSouthWest()) ? clusterMaxZoom() + 1
      : Math.max(z + 1, S.map.getBoundsZoom(box));
    S.map.setView(box.getCenter(), Math.min(target, S.map.getMaxZoom()));
  }

  function renderClusters() {
    var layer = S.clusters;
    layer.clearLayers();
    S.rendered = 0;
    S.singles = {};
    if (!S.sel) { return; }
    var b = S.map.getBounds().pad(0.25), zoom = S.map.getZoom(), z = Math.round(zoom);
    S.renderedBounds = b;
    S.renderedZoom = zoom;
    // Clusters only for the zooms the map allows; beyond them points stand alone.
    var radius = z <= clusterMaxZoom() ? CLUSTER_RADIUS / (CLUSTER_EXTENT * Math.pow(2, z)) : 0;
    var found = clusterView(S.sel, lngX(Math.max(-180, b.getWest())), latY(Math.min(85, b.getNorth())),
      lngX(Math.min(180, b.getEast())), latY(Math.max(-85, b.getSouth())), radius);
    var markers = [];
    found.forEach(function (c) {
      var m;
      S.rendered += c.n;
      if (c.n > 1) {
        var ll = [yLat(c.y), xLng(c.x)];
        var box = L.latLngBounds([yLat(c.maxY), xLng(c.minX)], [yLat(c.minY), xLng(c.maxX)]);
        m = L.marker(ll, { icon: clusterIcon(c.n), keyboard: false });
        m.on("click", function () { expandCluster(box, z); });
      } else {
        var i = c.first;
        m = L.circleMarker(latLngOf(i), { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#c62828",
          fillOpacity: 0.9, className: "razem-report" });
        m.bindPopup(function () { return reportPopup(i); });
        S.singles[i] = m;
      }
      markers.push(m);
    });
    markers.forEach(function (m) { layer.addLayer(m); });
  }

  function onMoveEnd() {
    // Small pans (a popup's auto-pan) stay inside the padded area already drawn: redrawing
    // would remove the marker whose popup is opening.
    if (S.renderedBounds && S.renderedZoom === S.map.getZoom()
        && S.renderedBounds.contains(S.map.getBounds())) { return; }
    renderClusters();
  }

  function mask(ids, list) {
    if (ids === null || ids === undefined) { return null; }
    var wanted = {}, out = new Uint8Array(list.length);
    ids.forEach(function (id) { wanted[id] = true; });
    list.forEach(function (item, i) { out[i] = wanted[item.id] ? 1 : 0; });
    return out;
  }

  function beatMask(f) {
    var ids = S.data.beatIds, out = new Uint8Array(ids.length), i;
    if (f.beat !== null && f.beat !== undefined) {
      i = ids.indexOf(f.beat);
      if (i >= 0) { out[i] = 1; }
      return out;
    }
    if (f.unit !== null && f.unit !== undefined) {
      var u = -1;
      S.data.units.forEach(function (unit, k) { if (unit.id === f.unit) { u = k; } });
      for (i = 0; i < ids.length; i++) { out[i] = S.data.beatUnits[i] === u ? 1 : 0; }
      return out;
    }
    return null;
  }

  function decodeReports(block) {
    // One block of typed columns (desktop/map/reports.py): int32 lat, lon, day; int16 beat;
    // uint8 category, status. Little-endian, as every workstation is. An ArrayBuffer (fetched
    // at start-up) is used as it is; a base64 text (the bridge's updates) is decoded first.
    var buf = block;
    if (!(block instanceof ArrayBuffer)) {
      var raw = atob(block || "");
      buf = new ArrayBuffer(raw.length);
      var bytes = new Uint8Array(buf);
      for (var k = 0; k < raw.length; k++) { bytes[k] = raw.charCodeAt(k); }
    }
    var n = buf.byteLength / 16;
    return { n: n, lat: new Int32Array(buf, 0, n), lon: new Int32Array(buf, 4 * n, n),
      day: new Int32Array(buf, 8 * n, n), beat: new Int16Array(buf, 12 * n, n),
      cat: new Uint8Array(buf, 14 * n, n), st: new Uint8Array(buf, 15 * n, n) };
  }

  function joined(a, b) {
    var out = new a.constructor(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  function latLngOf(i) {
    var r = S.data.reports, scale = S.data.scale;
    return [r.lat[i] / scale, r.lon[i] / scale];
  }

  function preparePoints(from) {
    // Built once per report (and for new ones after an import): projected positions in typed
    // arrays for clustering. Filters then only pick indexes, no new objects per change. The
    // heat map's [lat, lon] pairs are made only while it is shown (heatOf): one small array a
    // report cost 0.2 s and 70 MB at a million reports, for a layer that starts hidden.
    var r = S.data.reports, n = r.lat.length, scale = S.data.scale;
    var px = new Float64Array(n), py = new Float64Array(n);
    if (from > 0) {
      px.set(S.px.subarray(0, from));
      py.set(S.py.subarray(0, from));
    }
    for (var i = from; i < n; i++) {
      var lat = r.lat[i] / scale, lon = r.lon[i] / scale;
      px[i] = lngX(lon);
      py[i] = latY(lat);
    }
    S.px = px;
    S.py = py;
    S.scratch = null;
  }

  function appendReports(b64) {
    // Reports added since the page was built (an import): only they are sent.
    var t0 = performance.now(), add = decodeReports(b64), r = S.data.reports, from = r.lat.length;
    S.data.reports = { lat: joined(r.lat, add.lat), lon: joined(r.lon, add.lon),
      day: joined(r.day, add.day), beat: joined(r.beat, add.beat),
      cat: joined(r.cat, add.cat), st: joined(r.st, add.st) };
    S.received = add.n;
    preparePoints(from);
    S.cache.clear();  // every selection misses the new reports
    return applyFilter(S.lastFilter, t0);
  }

  function filterKey(f) {
    var sorted = function (v) { return v === null || v === undefined ? null : v.slice().sort(); };
    return JSON.stringify([sorted(f.categories), sorted(f.statuses),
      f.dayFrom === undefined ? null : f.dayFrom, f.dayTo === undefined ? null : f.dayTo,
      f.unit === undefined ? null : f.unit, f.beat === undefined ? null : f.beat]);
  }

  function selectPoints(f) {
    // One pass over the typed columns: the indexes of the reports the filter keeps.
    var r = S.data.reports, n = r.lat.length;
    var cats = mask(f.categories, S.data.categories), sts = mask(f.statuses, S.data.statuses);
    var beats = beatMask(f);
    var from = f.dayFrom === undefined ? null : f.dayFrom, to = f.dayTo === undefined ? null : f.dayTo;
    if (!S.scratch || S.scratch.length < n) { S.scratch = new Int32Array(n); }
    var picked = S.scratch, k = 0, i;
    for (i = 0; i < n; i++) {
      if (cats && !cats[r.cat[i]]) { continue; }
      if (sts && !sts[r.st[i]]) { continue; }
      if (from !== null && r.day[i] < from) { continue; }
      if (to !== null && r.day[i] > to) { continue; }
      if (beats && (r.beat[i] < 0 || !beats[r.beat[i]])) { continue; }
      picked[k++] = i;
    }
    return { sel: picked.slice(0, k), heat: null, shown: k };
  }

  function heatOf(hit) {
    // The heat map's points of a selection, made when the layer is first shown for it.
    if (!hit.heat) {
      var k = hit.shown, heat = new Array(k), i;  // sized once: no growing by push
      for (i = 0; i < k; i++) { heat[i] = latLngOf(hit.sel[i]); }
      hit.heat = heat;
    }
    return hit.heat;
  }

  function heatShown() {
    return !!(S.map && S.groups.heat && S.map.hasLayer(S.groups.heat));
  }

  function fillHeat() {
    // Hidden, the heat layer holds nothing (and a selection keeps no pairs it made before).
    if (!S.heat || !S.hit) { return; }
    if (heatShown()) {
      S.heat.setLatLngs(heatOf(S.hit));
      return;
    }
    // leaflet-heat redraws on setLatLngs and fails off the map (it reads its map), also in a
    // redraw still pending when it was hidden: its list is emptied in place, the redraw dropped.
    if (S.heat._frame) {
      L.Util.cancelAnimFrame(S.heat._frame);
      S.heat._frame = null;
    }
    S.heat._latlngs = [];
    S.cache.forEach(function (v) { v.heat = null; });
  }

  function cached(f) {
    // Indexes of recent filters are kept and reused (going back to "all" costs nothing),
    // within a budget of points so the page's memory stays bounded.
    var key = filterKey(f), hit = S.cache.get(key);
    if (hit) {
      S.cache.delete(key);
      S.cache.set(key, hit);  // most recently used last
      S.cacheHits += 1;
      return hit;
    }
    hit = selectPoints(f);
    S.cache.set(key, hit);
    var budget = Math.max(2 * S.data.reports.lat.length, 200000), total = 0;
    S.cache.forEach(function (v) { total += v.shown; });
    var keys = Array.from(S.cache.keys());
    for (var k = 0; k < keys.length - 1 && (S.cache.size > CACHE_MAX || total > budget); k++) {
      total -= S.cache.get(keys[k]).shown;
      S.cache.delete(keys[k]);
    }
    return hit;
  }

  function applyFilter(f, started) {
    var t0 = started === undefined ? performance.now() : started;  // an import: from its start
    f = f || {};
    S.lastFilter = f;
    var n = S.data.reports.lat.length, hit = cached(f);
    S.sel = hit.sel;
    S.hit = hit;
    fillHeat();
    S.shown = hit.shown;
    renderClusters();
    S.filterMs = performance.now() - t0;
    S.filterSeq += 1;
    if (S.bridge) {
      S.bridge.filterApplied(JSON.stringify({ shown: S.shown, total: n, ms: S.filterMs }));
    }
    return S.shown;
  }

  function setColourBy(mode) {
    S.colourBy = mode === "gmina" ? "gmina" : "unit";
    if (S.beatLayer) { S.beatLayer.setStyle(beatStyle); }
    buildLegend();
  }

  function buildLegend() {
    var box = S.legend.getContainer();
    box.textContent = "";
    box.appendChild(el("div", "razem-title", S.T.legend));
    box.appendChild(el("div", "razem-legend-mode", S.colourBy === "gmina" ? S.T.byGmina : S.T.byUnit));
    var used = {};
    S.data.beats.features.forEach(function (f) { used[colourIndex(f.properties)] = true; });
    var list = S.colourBy === "gmina" ? S.data.gminas : S.data.units;
    list.forEach(function (item, i) {
      if (!used[i]) { return; }
      var row = el("div", "razem-legend-row"), sw = el("span", "razem-swatch");
      sw.style.background = colourOf(i);
      row.appendChild(sw);
      row.appendChild(el("span", null, item.name));
      box.appendChild(row);
    });
    var s1 = el("div", "razem-legend-row"), si = el("span", "razem-swatch razem-swatch-single");
    s1.appendChild(si);
    s1.appendChild(el("span", null, S.T.singleNote));
    box.appendChild(s1);
    var c = el("div", "razem-legend-row"), ci = el("span", "razem-swatch razem-swatch-cluster");
    c.appendChild(ci);
    c.appendChild(el("span", null, S.T.clusterNote));
    box.appendChild(c);
    var h = el("div", "razem-legend-row"), hi = el("span", "razem-swatch razem-swatch-heat");
    h.appendChild(hi);
    h.appendChild(el("span", null, S.T.heat));
    box.appendChild(h);
  }

  function connectBridge() {
    if (typeof QWebChannel === "undefined" || typeof qt === "undefined" || !qt.webChannelTransport) {
      S.ready = true;  // opened outside the application: the map still works
      return;
    }
    new QWebChannel(qt.webChannelTransport, function (channel) {
      var b = channel.objects.bridge;
      b.filterChanged.connect(function (json) { applyFilter(JSON.parse(json)); });
      b.centreRequested.connect(function (id) { centreOnBeat(id); });
      b.reportRequested.connect(function (json) { showReport(JSON.parse(json)); });
      b.colourModeChanged.connect(function (mode) { setColourBy(mode); });
      b.reportsAdded.connect(function (b64) { appendReports(b64); });
      S.bridge = b;
      S.ready = true;
      b.pageReady(JSON.stringify(state()));
    });
  }

  function state() {
    return {
      beats: S.beatLayer ? S.beatLayer.getLayers().length : 0,
      beatPaths: document.querySelectorAll("path.razem-beat").length,
      total: S.data ? S.data.reports.lat.length : 0,
      shown: S.shown, rendered: S.rendered,
      clusterIcons: document.querySelectorAll(".razem-cluster").length,
      singleMarkers: document.querySelectorAll("path.razem-report").length,
      heatPoints: S.heat ? S.heat._latlngs.length : 0, heatShown: heatShown(),
      page: window.location.pathname,  // which page says it is ready (the bridge checks)
      filterMs: S.filterMs, filterSeq: S.filterSeq, selected: S.selected,
      cachedIndexes: S.cache.size, cacheHits: S.cacheHits, received: S.received,
      cachedPoints: Array.from(S.cache.values()).reduce(function (a, v) { return a + v.shown; }, 0),
      colourBy: S.colourBy, ready: S.ready, timing: S.timing, markedReport: S.markedId === undefined ? null : S.markedId, bridge: !!S.bridge,
      zoom: S.map ? S.map.getZoom() : null,
      renderedBounds: S.renderedBounds ? [S.renderedBounds.getWest(), S.renderedBounds.getSouth(),
        S.renderedBounds.getEast(), S.renderedBounds.getNorth()] : null,
      centre: S.map ? [S.map.getCenter().lat, S.map.getCenter().lng] : null,
      bounds: S.map ? [S.map.getBounds().getWest(), S.map.getBounds().getSouth(),
                       S.map.getBounds().getEast(), S.map.getBounds().getNorth()] : null
    };
  }

  function init(map, options) {
    S.timing = { init: performance.now() };  // ms since the page's navigation started
    S.map = map;
    S.padTopLeft = L.point(5, 5);
    S.padBottomRight = L.point(5, 5);
    S.groups = options.groups;
    S.T = options.texts;
    S.colourBy = options.colourBy;
    S.data = window.RAZEM_DATA;
    S.data.reports = decodeReports("");  // until the block arrives (below)
    map.getContainer().classList.add("razem-map");
    // The area's extent and the gmina outlines come with the data, not the page (cached).
    if (S.groups.gminas && S.data.gminaOutlines) {
      L.geoJSON(S.data.gminaOutlines, { interactive: false, style: function () {
        return { color: "#555555", weight: 1.5, dashArray: "6 4", fill: false };
      } }).addTo(S.groups.gminas);
    }
    options.bounds = options.bounds || S.data.bounds || null;
    addBeats();
    S.clusters = L.layerGroup().addTo(S.groups.clusters);
    S.heat = L.heatLayer([], { radius: 14, blur: 18, maxZoom: 13, minOpacity: 0.25 })
      .addTo(S.groups.heat);
    S.groups.heat.on("add remove", fillHeat);  // the layer control shows or hides it
    L.control.scale({ imperial: false }).addTo(map);  // metric only
    S.legend = L.control({ position: "bottomright" });
    S.legend.onAdd = function () { return el("div", "razem-legend leaflet-control"); };
    S.legend.addTo(map);
    buildLegend();
    if (options.bounds) {
      map.fitBounds(options.bounds, { animate: false });
      // Until the user moves the map, keep the whole area in view as the window is resized.
      var moved = false, container = map.getContainer();
      map.on("dragstart", function () { moved = true; });
      container.addEventListener("wheel", function () { moved = true; }, { passive: true });
      container.addEventListener("dblclick", function () { moved = true; });
      map.on("resize", function () {
        if (!moved && S.selected === null) { map.fitBounds(options.bounds, { animate: false }); }
      });
    }
    map.on("moveend", onMoveEnd);
    measurePanel();
    setTimeout(measurePanel, 0);  // the layer panel may be added after this script
    map.on("resize", measurePanel);
    S.timing.laidOut = performance.now();
    // The reports: an ArrayBuffer fetched by data.js (reports.bin) while the page was set up.
    Promise.resolve(window.RAZEM_REPORTS).then(function (block) {
      window.RAZEM_REPORTS = null;  // decoded: only the typed arrays are kept
      S.timing.received = performance.now();
      S.data.reports = decodeReports(block);
      preparePoints(0);
      S.timing.prepared = performance.now();
      applyFilter({});
      S.timing.drawn = performance.now();
      connectBridge();
    }).catch(function (err) {
      console.error("razem: the reports could not be read: " + err);
    });
  }

  window.razem = { init: init, applyFilter: applyFilter, appendReports: appendReports, centreOnBeat: centreOnBeat,
    openBeat: openBeat, clickBeat: clickBeat, openReport: openReport, showReport: showReport,
    setColourBy: setColourBy, state: state, popupCoversControls: popupCoversControls,
    firstSingle: firstSingle, closePopups: function () { S.map.closePopup(); } };
}());
