"""Positions: the municipality's bounds, distances, and the map's settings.

``PORTAL_MUNICIPALITY_BOUNDS`` is ``south,west,north,east`` in decimal degrees
(WGS 84, what phones and Open311 clients send).  A report outside it is
refused: the municipality cannot mend what lies in the next one, and a
position at 0,0 or in another country is a mistake.  A box is rough, but it
needs no map data; a municipality with an odd shape can still refuse more by
hand.  The Open311 endpoint calls :func:`within_bounds` too.

The map is optional.  ``PORTAL_MAP_TILE_URL`` (``https://tiles.example/{z}/{x}/{y}.png``)
and ``PORTAL_MAP_ATTRIBUTION`` turn it on; without them the pages work with
an address or coordinates alone and no map server is needed.  Tiles from
another origin need that origin in the page's ``img-src``: :func:`csp_with_tiles`
extends the portal's policy for the pages that show a map, and only for them.
"""
import re
from dataclasses import dataclass
from math import asin, cos, radians, sin, sqrt
from urllib.parse import urlsplit

from flask import current_app

from portal.security import CONTENT_SECURITY_POLICY

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320     # of latitude; of longitude times cos(latitude)
IMG_SRC = "img-src 'self' data:"
HOST = re.compile(r"[A-Za-z0-9.*-]+(:\d+)?")


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    def contains(self, lat, lon):
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @property
    def centre(self):
        return (self.south + self.north) / 2, (self.west + self.east) / 2

    def as_text(self):
        return ",".join(f"{value:g}" for value in (self.south, self.west, self.north, self.east))


def parse_bounds(value):
    """``"56.55,15.95,56.80,16.45"`` (or four numbers) as :class:`Bounds`; a setting
    that cannot be right stops the app with a message rather than refusing every place."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        bounds = Bounds(*(float(part) for part in parts))
    except (TypeError, ValueError) as error:
        raise ValueError(f"PORTAL_MUNICIPALITY_BOUNDS must be south,west,north,east: {value!r}") from error
    if not (-90 <= bounds.south < bounds.north <= 90 and -180 <= bounds.west < bounds.east <= 180):
        raise ValueError(f"PORTAL_MUNICIPALITY_BOUNDS is not a box south,west,north,east: {value!r}")
    return bounds


def municipality_bounds():
    return parse_bounds(current_app.config["PORTAL_MUNICIPALITY_BOUNDS"])


def within_bounds(lat, lon):
    """Whether a position lies inside the municipality's box (None: no position, False)."""
    if lat is None or lon is None:
        return False
    return municipality_bounds().contains(float(lat), float(lon))


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine): exact enough for "within 100 m"."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(sqrt(a))


def box_around(lat, lon, metres):
    """(south, west, north, east) of a box that holds every point within ``metres``:
    what the database can filter on with plain comparisons before the exact distance."""
    dlat = metres / METRES_PER_DEGREE
    dlon = metres / (METRES_PER_DEGREE * max(cos(radians(lat)), 0.01))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


# --- the map --------------------------------------------------------------------------
def map_settings():
    """What the map script needs, or None when no tile server is configured."""
    config = current_app.config
    if not config.get("PORTAL_MAP_TILE_URL"):
        return None
    return {"tiles": config["PORTAL_MAP_TILE_URL"], "attribution": config.get("PORTAL_MAP_ATTRIBUTION", ""),
            "bounds": municipality_bounds().as_text()}


def tile_origin(url):
    """The origin tiles come from (``{s}`` subdomains become a wildcard), or None when they
    come from the portal itself."""
    parts = urlsplit(url.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return None
    if parts.scheme not in ("https", "http") or not HOST.fullmatch(parts.netloc):
        raise ValueError(f"PORTAL_MAP_TILE_URL must be an http(s) URL of a plain host: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def csp_with_tiles():
    """The portal's Content-Security-Policy with the tile server in ``img-src``, for a page
    that shows a map; None when the portal's own policy will do."""
    settings = map_settings()
    origin = tile_origin(settings["tiles"]) if settings else None
    if origin is None:
        return None
    return CONTENT_SECURITY_POLICY.replace(IMG_SRC, f"{IMG_SRC} {origin}")
