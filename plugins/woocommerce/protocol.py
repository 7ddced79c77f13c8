"""The WooCommerce REST API v3 wire contract shared by the adapter and the fake: paths,
limits, statuses, time format and the site address rules.

Evidence labels follow research/platform-apis.md §7: [SPEC] is stated there; [CORE] is read in
the WooCommerce plugin source the spec cites (WC-CORE: the v3 CRUD and order-notes REST
controllers); [UNVERIFIED] is our own choice where nothing says.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

from desktop.sdk import Rejected

API_PREFIX = "/wp-json/wc/v3"  # [SPEC] base https://{site}/wp-json/wc/v3/
ORDERS = "/orders"

# -- the order list [SPEC] / [CORE] WC_REST_CRUD_Controller::get_collection_params ------------------
# Filters used: modified_after / modified_before (ISO 8601) with dates_are_gmt=true [SPEC] (WordPress
# date_query bounds, exclusive [CORE]); exclude (ids, comma-separated) [CORE, also in WC-DOCS].
PER_PAGE_MAX = 100  # [CORE] per_page: minimum 1, maximum 100 (default 10)
# [CORE] the orderby enum includes `modified` (the spec's list predates it); the server adds `ID`
# to it "for consistency with pagination". feed.py does not rely on that tie-breaker.
ORDERBY_MODIFIED = "modified"
HEADER_TOTAL = "X-WP-Total"  # [SPEC]
HEADER_TOTAL_PAGES = "X-WP-TotalPages"  # [SPEC]

# [SPEC] order statuses. `checkout-draft` is the block checkout's draft status [UNVERIFIED in
# the spec; seen in WooCommerce's own REST schema]; a shop's plugins may add more.
STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash")

# -- order notes [SPEC] _order-notes.md, [CORE] WC_REST_Order_Notes_Controller -----------------------
NOTE_TYPE_INTERNAL = "internal"  # list filter: private notes only
SYSTEM_AUTHOR = "system"  # [CORE] `author` of a note WooCommerce itself wrote
# [UNVERIFIED] notes are WordPress comments (a TEXT column); the spec gives no limit, so this
# conservative one keeps a remark readable in wp-admin (the adapter enforces it; WooCommerce
# itself, and so the fake, would take longer notes).
MEMO_MAX_CHARS = 500

# -- times [SPEC] ISO 8601; the *_gmt fields carry no offset and are UTC ----------------------------
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def format_gmt(epoch: int) -> str:
    """Epoch seconds → `2024-05-01T02:00:00` (UTC, sent with dates_are_gmt=true)."""
    return datetime.fromtimestamp(epoch, UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """A WooCommerce `*_gmt` time (no offset: UTC), or any ISO 8601 time with an offset → an
    aware datetime. Raises ValueError."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# -- the site address ---------------------------------------------------------------------------------
def api_root(settings: Mapping[str, object]) -> str:
    """The `base_url` setting (the shop's site, e.g. https://shop.example.com, or already its
    /wp-json or /wp-json/wc/v3 address) → the API root without a trailing slash.

    HTTPS only: over plain HTTP WooCommerce accepts only OAuth 1.0a one-legged signatures [SPEC],
    and the spec does not give their base-string rules or a vector, so this adapter does not sign
    that way. A loopback address (a local test server such as our fake) is the one exception."""
    base = settings.get("base_url")
    if base is None or base == "":
        raise Rejected("enter the shop's site address (base_url), e.g. https://shop.example.com")
    if not isinstance(base, str):
        raise Rejected(f"setting base_url must be a URL, got {base!r}")
    base = base.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Rejected(f"setting base_url is not a web address: {base!r}")
    if parts.query or parts.fragment:
        raise Rejected("setting base_url must be the site address without ?query or #fragment")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise Rejected("WooCommerce over plain http:// needs OAuth 1.0a request signing, which this "
                       "adapter does not do: use the site's https:// address")
    if base.endswith(API_PREFIX):
        return base
    if base.endswith("/wp-json"):
        return base + API_PREFIX.removeprefix("/wp-json")
    return base + API_PREFIX


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
