"""Shape listings and processors for one actor: the API, the pages, the map and the exports
show the owner (organisation, site, person, attachments, exact position) only where
``listing_reveals_owner`` allows it. Everything an actor reads about a listing passes here."""

from metalloop.exchange.presenters.common import (
    code_out,
    label,
    location_out,
    position_of,
    quality_out,
    site_out,
)
from metalloop.exchange.presenters.listings import (
    attachment_out,
    listing_out,
    listing_page,
    listings_out,
    map_points,
)
from metalloop.exchange.presenters.processors import processor_out, processor_page

__all__ = [
    "attachment_out",
    "code_out",
    "label",
    "listing_out",
    "listing_page",
    "listings_out",
    "location_out",
    "map_points",
    "position_of",
    "processor_out",
    "processor_page",
    "quality_out",
    "site_out",
]
