"""Build the map page with folium: layers, layer switcher, legend hooks, local assets only.

The reports themselves are not folium markers: they go to the page in a compact data
script (see :mod:`desktop.map.data`) that ``resources/web/razem/map.js`` clusters itself
(typed arrays, a grid per view) and paints as a heat map, so filters run in the page without
a rebuild.
"""
from __future__ import annotations

import html
import json

import folium
from folium.elements import JSCSSMixin
from jinja2 import Template

from desktop.map import assets
from desktop.map.builder import MapPage
from desktop.map.data import MapData, data_script, reports_block
from desktop.map.settings import OSM_URL, MapSettings
from desktop.map.texts import PAGE_TEXTS, PAGE_TEXTS_CONTEXT  # noqa: F401 (re-exported)
from desktop.map.tiles import MBTILES_URL_TEMPLATE, MBTilesInfo

# The page's texts live in desktop.map.texts (importable without folium).

MAX_ZOOM = 18
MIN_ZOOM = 7
KONIN = (52.223, 18.251)


class RazemLayers(JSCSSMixin):
    """Hooks the app's own script (map.js) to the folium map and its feature groups."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            razem.init({{ this._parent.get_name() }}, {
                groups: {{ this.groups_js }},
                texts: {{ this.texts_json }},
                colourBy: {{ this.colour_by_json }},
                bounds: {{ this.bounds_json }}
            });
        {% endmacro %}
    """)

    def __init__(self, data_url: str, groups: dict[str, folium.FeatureGroup],
                 texts: dict[str, str], colour_by: str, bounds):
        super().__init__()
        self._name = "RazemLayers"
        self.default_js = [
            ("qwebchannel", assets.QWEBCHANNEL_URL),
            ("leaflet-heat.js", assets.web_url("leaflet.heat/dist/leaflet-heat.js")),
            ("razem_data", data_url),
            ("razem_map", assets.web_url("razem/map.js")),
        ]
        self.default_css = [("razem_map_css", assets.web_url("razem/map.css"))]
        self._groups = groups
        self.texts_json = json.dumps(texts).replace("</", "<\\/")  # stays inside <script>
        self.colour_by_json = json.dumps(colour_by)
        self.bounds_json = json.dumps(
            None if bounds is None else [[bounds[0], bounds[1]], [bounds[2], bounds[3]]])

    @property
    def groups_js(self) -> str:
        # Folium's variable names are random: refer to the layers through get_name().
        return "{" + ", ".join(f"{json.dumps(k)}: {g.get_name()}"
                               for k, g in self._groups.items()) + "}"


def _outline_layer(features: list[dict], style: dict, name: str) -> folium.GeoJson:
    # Geometry only: names in properties never reach the page through folium.
    clean = {"type": "FeatureCollection",
             "features": [{"type": "Feature", "properties": {}, "geometry": f["geometry"]}
                          for f in features]}
    return folium.GeoJson(clean, name=name, style_function=lambda _f: style,
                          interactive=False, control=False)


def _online_layer(settings: MapSettings, name: str) -> folium.raster_layers.Layer:
    """The online basemap: an XYZ/WMTS tile layer or a WMS layer (Leaflet's own)."""
    source = settings.tile_source()
    # Leaflet shows the attribution as HTML: only the built-in OSM text is trusted.
    attribution = (settings.online_attribution if settings.online_url == OSM_URL
                   else html.escape(source.attribution or source.host))
    template = source.leaflet_template()
    if template is None:
        return folium.WmsTileLayer(url=source.url, layers=source.layers, fmt=source.image_format,
                                   transparent=False, version="1.3.0", attr=attribution,
                                   name=name, overlay=False, max_zoom=MAX_ZOOM)
    return folium.TileLayer(tiles=template, name=name, attr=attribution, max_zoom=MAX_ZOOM,
                            max_native_zoom=19, overlay=False)


def build_map(data: MapData | None, settings: MapSettings, token: str,
              county_features: list[dict] | None = None,
              texts: dict[str, str] | None = None,
              mbtiles: MBTilesInfo | None = None) -> folium.Map:
    """The folium map (local assets only, checked). It does not depend on the database:
    the area's extent and the gmina outlines come with the data script (``data``, kept for
    callers, is not used), so the page can load while the reports are still being read."""
    del data
    texts = {**PAGE_TEXTS, **(texts or {})}
    label = {k: html.escape(v) for k, v in texts.items()}  # the layer switcher uses innerHTML
    m = folium.Map(location=KONIN, zoom_start=10, tiles=None, control_scale=False,
                   max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM, maxZoom=MAX_ZOOM, zoomSnap=0.25)
    if mbtiles is not None:
        folium.TileLayer(tiles=assets.app_url(MBTILES_URL_TEMPLATE), name=label["tiles"],
                         attr=html.escape(mbtiles.attribution or mbtiles.name or "MBTiles"),
                         min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM,
                         max_native_zoom=mbtiles.max_zoom, overlay=False).add_to(m)
    elif settings.online_tiles:
        _online_layer(settings, label["tiles"]).add_to(m)
    county = folium.FeatureGroup(name=label["county"], show=True)
    if county_features:
        _outline_layer(county_features, {"color": "#222222", "weight": 3, "fill": False},
                       "county").add_to(county)
    county.add_to(m)
    groups = {
        "gminas": folium.FeatureGroup(name=label["gminas"], show=True),  # map.js draws them
        "beats": folium.FeatureGroup(name=label["beats"], show=True),
        "clusters": folium.FeatureGroup(name=label["clusters"], show=True),
        "heat": folium.FeatureGroup(name=label["heat"], show=False),
    }
    for g in groups.values():
        g.add_to(m)
    RazemLayers(assets.app_url(f"map/{token}/data.js"), groups, texts, settings.colour_by,
                None).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    assets.localize(m)
    assets.check_local(m)
    return m


def shell_html(settings: MapSettings, token: str, **kwargs) -> bytes:
    """The page without its data (which it loads from ``map/<token>/data.js``)."""
    return build_map(None, settings, token, **kwargs).get_root().render().encode("utf-8")


def build_page(data: MapData, settings: MapSettings, token: str, **kwargs) -> MapPage:
    return MapPage(token, shell_html(settings, token, **kwargs), data_script(data),
                   data.report_count, data.beat_polygons, reports_block(data))
