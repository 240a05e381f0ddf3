"""Local copies of every asset a map page loads, and the check that nothing is remote.

Folium elements name their JS/CSS in class-level lists (``default_js`` / ``default_css``).
Changing those lists in place would leak into every later map in the process, so
:func:`localize` assigns fresh lists on each *instance* of the element tree instead.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # branca/folium load numpy and jinja (0.3 s): only where a page is built
    from branca.element import Element

SCHEME = "razem"
HOST = "app"
ORIGIN = f"{SCHEME}://{HOST}"


def app_url(path: str) -> str:
    """URL of something the app serves itself (``path`` without the leading slash)."""
    return f"{ORIGIN}/{path.lstrip('/')}"


def web_url(rel: str) -> str:
    """URL of a shipped file under resources/web/."""
    return app_url(f"web/{rel}")


QWEBCHANNEL_URL = app_url("qwebchannel.js")

# Folium's asset names -> shipped file (resources/web/...). None = not needed: dropped.
FOLIUM_ASSETS: dict[str, str | None] = {
    "leaflet": "leaflet/dist/leaflet.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    "jquery": "jquery/dist/jquery.min.js",  # folium popups go through $(...)
    "leaflet-heat.js": "leaflet.heat/dist/leaflet-heat.js",
    "markerclusterjs": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    # Bootstrap, glyphicons, Font Awesome and awesome-markers serve folium's Icon and
    # bootstrap-styled popups; the map uses neither, so they are left out.
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}


class RemoteAssetError(RuntimeError):
    """A page element still names an asset outside the app."""


def walk(root: Element) -> Iterator[Element]:
    """The element and all its descendants (folium keeps children in ``_children``)."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(getattr(element, "_children", {}).values())


def _local_list(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, url in pairs:
        if url.startswith(ORIGIN + "/"):
            out.append((name, url))
            continue
        if name not in FOLIUM_ASSETS:
            raise RemoteAssetError(f"Brak lokalnej kopii zasobu mapy: {name} ({url})")
        rel = FOLIUM_ASSETS[name]
        if rel is not None:
            out.append((name, web_url(rel)))
    return out


def localize(root: Element) -> None:
    """Point every element of the tree at local assets, per instance."""
    for element in walk(root):
        for attr in ("default_js", "default_css"):
            pairs = getattr(element, attr, None)
            if pairs:
                setattr(element, attr, _local_list(pairs))


def remote_assets(root: Element) -> list[str]:
    """Every asset URL in the tree that the app does not serve itself."""
    found = []
    for element in walk(root):
        for attr in ("default_js", "default_css"):
            for name, url in getattr(element, attr, None) or []:
                if not url.startswith(ORIGIN + "/"):
                    found.append(f"{type(element).__name__}.{name}: {url}")
    return found


def check_local(root: Element) -> None:
    """Raise :class:`RemoteAssetError` naming the first remote assets, if any."""
    found = remote_assets(root)
    if found:
        raise RemoteAssetError("Zasoby spoza aplikacji: " + "; ".join(found[:5]))
