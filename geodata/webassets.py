"""Point folium maps at vendored Leaflet/jQuery files so they work without the internet."""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

__all__ = [
    "VENDOR_DIR",
    "UnvendoredAssetError",
    "external_urls",
    "localize",
    "standalone_html",
    "vendor_base_url",
]

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
"""Directory of the vendored front-end files (served by Streamlit at ``/app/static/vendor``)."""

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Map defaults of folium that are not vendored. The map lists them for Bootstrap popups and
# awesome-markers icons; GeoJson, Tooltip, LayerControl, CircleMarker and legends need none of
# them, so `localize` drops them from the map. Elements that do need them are refused below.
_DROPPED_MAP_DEFAULTS = frozenset(
    {
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    }
)

# Elements that silently rely on a dropped map default or on a CDN file that streamlit-folium
# adds itself, with the asset they need and what to use instead.
_IMPLICIT_NEEDS: tuple[tuple[type, str, str], ...] = (
    (
        folium.Icon,
        dict(folium.folium._default_js)["awesome_markers"],
        "use a default folium.Marker, a folium.DivIcon or a folium.CircleMarker instead",
    ),
    (
        branca.colormap.ColorMap,
        "https://d3js.org/d3.v4.min.js",
        "streamlit-folium loads d3 from the internet for any branca colormap; draw the legend "
        "as a branca MacroElement with plain HTML instead",
    ),
)

# Attributes of folium elements holding a URL the browser fetches (tiles, overlays, GeoJSON).
_URL_ATTRIBUTES = ("tiles", "url", "video_url", "embed_link")


@dataclass(frozen=True)
class _Asset:
    path: str
    pattern: re.Pattern[str]


# Every vendored file that a folium element may reference, with the CDN URLs it replaces.
_ASSETS = (
    _Asset("leaflet/leaflet.js", re.compile(r"/leaflet[@/]1\.9\.\d+/(?:dist/)?leaflet\.js$")),
    _Asset("leaflet/leaflet.css", re.compile(r"/leaflet[@/]1\.9\.\d+/(?:dist/)?leaflet\.css$")),
    _Asset(
        "jquery/jquery.min.js",
        re.compile(r"/jquery(?:-3\.\d+\.\d+|[@/]3\.\d+\.\d+/(?:dist/)?jquery)(?:\.min)?\.js$"),
    ),
)

_LEAFLET_IMAGES = {
    "iconUrl": "marker-icon.png",
    "iconRetinaUrl": "marker-icon-2x.png",
    "shadowUrl": "marker-shadow.png",
}

_INLINE_BASE = "/__vendored__"


class UnvendoredAssetError(ValueError):
    """A map element needs a front-end file that is not vendored under ``static/vendor``.

    Parameters
    ----------
    element : str
        Class and folium name of the element, e.g. ``folium.map.Icon icon_3f2a``.
    url : str
        The asset the element needs.
    hint : str
        How to fix it.
    """

    def __init__(self, element: str, url: str, hint: str):
        self.element = element
        self.url = url
        super().__init__(
            f"{element} needs {url}, which is not served by the app (static/vendor): {hint}"
        )


class _IconDefaults(MacroElement):
    """Point Leaflet's default marker icon at the vendored images instead of guessing."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = "";
            L.Icon.Default.mergeOptions({{ this.urls|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, urls: dict[str, str]):
        super().__init__()
        self._name = "IconDefaults"
        self.urls = urls


def vendor_base_url(*, base_url_path: str = "") -> str:
    """Return the URL path under which Streamlit serves ``static/vendor``.

    Parameters
    ----------
    base_url_path : str
        Streamlit's ``server.baseUrlPath`` (``st.get_option("server.baseUrlPath")``), with or
        without slashes; empty when the app is served at the root.

    Returns
    -------
    str
        An absolute path without host, e.g. ``/app/static/vendor`` or
        ``/gis/app/static/vendor``, so it resolves against whatever host serves the app.
    """
    prefix = base_url_path.strip("/")
    return f"/{prefix}/app/static/vendor" if prefix else "/app/static/vendor"


def localize(m: folium.Map, *, base_url: str, allow_tiles: bool = False) -> folium.Map:
    """Point a folium map and all its elements at the vendored front-end files.

    Rewrites ``default_js``/``default_css`` of the map and of every element of its figure
    (header, plugins, nested layers), drops the map's Bootstrap/awesome-markers/font-awesome
    defaults, fixes the header links of an already rendered figure, and sets Leaflet's default
    marker icon to the vendored images. Nothing is changed if an element is refused.

    Parameters
    ----------
    m : folium.Map
        The map; changed in place.
    base_url : str
        URL of ``static/vendor`` as the browser sees it, usually
        ``vendor_base_url(base_url_path=st.get_option("server.baseUrlPath"))``.
    allow_tiles : bool
        Let tile layers load from other hosts: only when the user configured a tile basemap,
        which is an option, never a requirement.

    Returns
    -------
    folium.Map
        The same map.

    Raises
    ------
    UnvendoredAssetError
        If an element needs a file that is not vendored (a plugin, ``folium.Icon``, a branca
        colormap) or loads tiles, overlays or GeoJSON from another host.
    """
    base = base_url.rstrip("/")
    if not base:
        raise ValueError(
            "base_url is empty: pass the URL of static/vendor, e.g. /app/static/vendor"
        )
    icon_urls = {
        option: f"{base}/leaflet/images/{name}" for option, name in _LEAFLET_IMAGES.items()
    }
    return _localize(m, base=base, icon_urls=icon_urls, allow_tiles=allow_tiles)


def standalone_html(m: folium.Map) -> str:
    """Render a folium map as one self-contained HTML page that opens offline from a file.

    The vendored JavaScript and CSS are inlined and Leaflet's images become data URIs. The map
    itself is not changed.

    Parameters
    ----------
    m : folium.Map
        The map.

    Returns
    -------
    str
        A complete HTML document.

    Raises
    ------
    UnvendoredAssetError
        As `localize`, or if the page would still load a file from a URL.
    """
    images = VENDOR_DIR / "leaflet" / "images"
    icon_urls = {option: _data_uri(images / name) for option, name in _LEAFLET_IMAGES.items()}
    page = _localize(copy.deepcopy(m), base=_INLINE_BASE, icon_urls=icon_urls)
    return _inline_assets(page.get_root().render())


def external_urls(html: str) -> list[str]:
    """List the non-local URLs a rendered page would fetch.

    Parameters
    ----------
    html : str
        Rendered HTML.

    Returns
    -------
    list of str
        ``http(s)`` and protocol-relative URLs in ``script src``, ``link href``, ``img src`` and
        ``iframe src`` whose host is not localhost, 127.0.0.1 or ::1, in document order.
    """
    parser = _UrlCollector()
    parser.feed(html)
    parser.close()
    return [url for url in parser.urls if _is_external(url)]


def _localize(
    m: folium.Map, *, base: str, icon_urls: dict[str, str], allow_tiles: bool = False
) -> folium.Map:
    links: list[tuple[Element, str, str | None]] = []
    defaults: list[tuple[JSCSSMixin, list[tuple[str, str]], list[tuple[str, str]]]] = []
    for parent, name, elem in _walk(m.get_root()):
        _check_implicit_needs(elem)
        if isinstance(elem, JavascriptLink | CssLink):
            # Left in the figure header by an earlier render, named like the default it loads.
            links.append((parent, name, _rewrite(elem, name, elem.url, base, droppable=True)))
            continue
        if not (allow_tiles and isinstance(elem, folium.TileLayer)):
            _check_url_attributes(elem)
        if isinstance(elem, JSCSSMixin):
            droppable = isinstance(elem, folium.Map)
            js = _rewrite_list(elem, elem.default_js, base, droppable=droppable)
            css = _rewrite_list(elem, elem.default_css, base, droppable=droppable)
            defaults.append((elem, js, css))
    for parent, name, url in links:
        if url is None:
            del parent._children[name]
        else:
            parent._children[name].url = url
    for elem, js, css in defaults:
        # Instance attributes: folium's lists are class attributes shared by every map.
        elem.default_js = js
        elem.default_css = css
    m.add_child(_IconDefaults(icon_urls), name="vendored_icon_defaults", index=0)
    return m


def _walk(elem: Element) -> Iterator[tuple[Element, str, Element]]:
    if isinstance(elem, Figure):
        # Not children: attributes holding what the figure's elements rendered into them.
        for part in (elem.header, elem.html, elem.script):
            yield from _walk(part)
    for name, child in list(elem._children.items()):
        yield elem, name, child
        yield from _walk(child)


def _label(elem: Element) -> str:
    cls = type(elem)
    return f"{cls.__module__}.{cls.__qualname__} {elem.get_name()}"


def _check_implicit_needs(elem: Element) -> None:
    for cls, url, hint in _IMPLICIT_NEEDS:
        if isinstance(elem, cls):
            raise UnvendoredAssetError(_label(elem), url, hint)


def _check_url_attributes(elem: Element) -> None:
    options = getattr(elem, "options", None)
    values = [getattr(elem, attr, None) for attr in _URL_ATTRIBUTES]
    if isinstance(options, dict):
        values.extend(options.values())
    for value in values:
        if isinstance(value, str) and _is_external(value):
            raise UnvendoredAssetError(
                _label(elem),
                value,
                "the page may only fetch from the app's own host; use tiles=None or a relative "
                "URL served by the app",
            )


def _rewrite_list(
    elem: Element, pairs: list[tuple[str, str]], base: str, *, droppable: bool
) -> list[tuple[str, str]]:
    rewritten = [
        (name, _rewrite(elem, name, url, base, droppable=droppable)) for name, url in pairs
    ]
    return [(name, url) for name, url in rewritten if url is not None]


def _rewrite(elem: Element, name: str, url: str, base: str, *, droppable: bool) -> str | None:
    """Return the vendored URL for an asset, None to drop it, or raise if it is not vendored."""
    for asset in _ASSETS:
        if asset.pattern.search(url) or url.endswith(f"/{asset.path}"):
            return f"{base}/{asset.path}"
    if droppable and name in _DROPPED_MAP_DEFAULTS:
        return None
    if not _is_external(url):
        return url
    raise UnvendoredAssetError(
        _label(elem),
        url,
        f"vendor it under static/vendor (see static/vendor/README.md) and list it in _ASSETS "
        f"of geodata/webassets.py, or do without the element (asset name {name!r})",
    )


def _is_external(url: str) -> bool:
    url = url.strip()
    if not url.startswith(("http://", "https://", "//")):
        return False
    return urlsplit(url).hostname not in _LOCAL_HOSTS


def _data_uri(path: Path) -> str:
    return f"data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _read_asset(path: str) -> str:
    text = (VENDOR_DIR / path).read_text(encoding="utf-8")
    text = re.sub(r"^\s*//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    if path.endswith(".css"):
        images = (VENDOR_DIR / path).parent / "images"
        text = re.sub(
            r"url\(images/([\w.-]+\.png)\)",
            lambda match: f"url({_data_uri(images / match.group(1))})",
            text,
        )
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


_SCRIPT_TAG = re.compile(rf'<script src="{_INLINE_BASE}/([\w./-]+)"></script>')
_CSS_TAG = re.compile(rf'<link rel="stylesheet" href="{_INLINE_BASE}/([\w./-]+)"/>')


def _inline_assets(html: str) -> str:
    parser = _UrlCollector()
    parser.feed(html)
    parser.close()
    for url in parser.urls:
        if not url.startswith((f"{_INLINE_BASE}/", "data:")):
            raise UnvendoredAssetError(
                "standalone page", url, "a page opened from a file can only use inlined assets"
            )
    html = _SCRIPT_TAG.sub(lambda match: f"<script>{_read_asset(match.group(1))}</script>", html)
    return _CSS_TAG.sub(lambda match: f"<style>{_read_asset(match.group(1))}</style>", html)


_FETCHING_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src"}


class _UrlCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _FETCHING_ATTRIBUTES.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)

    handle_startendtag = handle_starttag
