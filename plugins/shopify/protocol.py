"""The Shopify Admin API wire protocol as data: endpoints, GraphQL documents, ids, times,
and the per-shop settings that choose where to call ([SPEC] research/platform-apis.md §6).

Everything here is pure; the client sends, the mapping reads, the fake serves the same names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

from desktop.sdk import Rejected
from desktop.sdk.settings import setting_text

# -- endpoints [SPEC] §6 ----------------------------------------------------------------------------
API_PREFIX = "/admin/api"  # SHOPIFY-PY shopify/api_version.py
GRAPHQL_PATH = API_PREFIX + "/{version}/graphql.json"
AUTHORIZE_PATH = "/admin/oauth/authorize"
TOKEN_PATH = "/admin/oauth/access_token"
# Expiring offline access tokens (Shopify, December 2025; required for public apps from
# 2027-01-01, not for custom or merchant-made apps): the code exchange with `expiring=1`
# returns `access_token`, `expires_in` (3600 s), `refresh_token` and
# `refresh_token_expires_in` (90 days); `grant_type=refresh_token` with `refresh_token`
# (and the client id and secret) at the same TOKEN_PATH returns a new pair, and the
# refresh token rotates. Without `expiring` the token does not expire and has no refresh.
# https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens
# https://shopify.dev/changelog/offline-access-tokens-now-support-expiry-and-refresh
EXPIRING_PARAM = "expiring"
REFRESH_GRANT = "refresh_token"
# The client credentials grant (RFC 6749 §4.4), the self-use path of an app made in the Dev
# Dashboard (since 2026-01-01 a store admin can no longer create a "custom app" that shows a
# shpat_ token): POST TOKEN_PATH, form-encoded `grant_type=client_credentials`, `client_id`,
# `client_secret` → `{"access_token", "scope", "expires_in": 86399}` ("Always 86399 (24
# hours)"), no refresh token: a new token is asked for the same way. Only for an app and a
# store of the same Shopify organization, with the app installed on the store; otherwise 400
# `shop_not_permitted` ("Client credentials cannot be performed on this shop.") or
# `app_not_installed` ("The application is not installed on this shop.").
# https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant
# https://shopify.dev/docs/apps/build/authentication-authorization/client-secrets
# https://shopify.dev/docs/apps/build/dev-dashboard/get-api-access-tokens (response fields, troubleshooting)
CLIENT_CREDENTIALS_GRANT = "client_credentials"
SHOP_NOT_PERMITTED = "shop_not_permitted"
APP_NOT_INSTALLED = "app_not_installed"
TOKEN_HEADER = "X-Shopify-Access-Token"
VERSION_HEADER = "X-Shopify-API-Version"  # the version that actually answered
MYSHOPIFY = "myshopify.com"
# Date-based versions, one per quarter, each supported for at least 12 months [SPEC] §6.
# Shopify answers an unsupported one with its oldest supported version (see VERSION_HEADER).
DEFAULT_API_VERSION = "2026-07"
_VERSION = re.compile(r"\d{4}-(01|04|07|10)")
# The OAuth scopes the adapter needs: orders (read, note), customers (tags).
SCOPES = ("read_orders", "write_orders", "read_customers", "write_customers")

# -- limits ------------------------------------------------------------------------------------------
# [COMMUNITY] Shopify's order note limit is 5000 characters (third-party API docs quoting it,
# e.g. developers.membership.appstle.com "updateOrderNote": "Maximum Length: 5000 characters
# (Shopify order note limit)"); the official OrderInput page gives no number.
NOTE_MAX_CHARS = 5000
TAGS_MAX = 250  # "Input arguments that accept an array have a maximum size of 250" (shopify.dev/api/usage/limits)
TAG_MAX_CHARS = 255  # [UNVERIFIED] Shopify's per-tag length limit as commonly reported
QUERY_MAX_COST = 1000  # [COMMUNITY] max cost of a single query (MAX_COST_EXCEEDED above it)
LINE_ITEMS_FIRST = 10  # line items read per order; the total is exact either way
FULFILLMENTS_FIRST = 5
PAGE_SIZE_DEFAULT = 10
PAGE_SIZE_MAX = 15  # keeps the orders query's requested cost under QUERY_MAX_COST (tested)
HISTORY_DAYS_MAX = 60  # older orders need Shopify's extra "all orders" access [SPEC] §6
DEFAULT_RETRY_AFTER = 2.0  # seconds, when Shopify gives no usable hint

# -- GraphQL documents -----------------------------------------------------------------------------------
SHOP_QUERY = """query SeatDeskShop {
  shop { name myshopifyDomain currencyCode }
}"""

_ORDER_FIELDS = """id name createdAt updatedAt processedAt cancelledAt closed
      displayFinancialStatus displayFulfillmentStatus returnStatus
      note tags
      totalPriceSet { shopMoney { amount currencyCode } }
      %(customer)s
      lineItems(first: %(lines)d) {
        nodes {
          sku title variantTitle quantity
          originalUnitPriceSet { shopMoney { amount currencyCode } }
          variant { id }
        }
      }
      fulfillments(first: %(fulfillments)d) { createdAt trackingInfo(first: 1) { company number } }"""

ORDERS_OPERATION = "SeatDeskOrders"
ORDER_OPERATION = "SeatDeskOrder"


def _order_fields(details: bool) -> str:
    customer = ("customer { id displayName tags }\n      shippingAddress { formattedArea }" if details
                else "customer { id tags }")
    return _ORDER_FIELDS % {"customer": customer, "lines": LINE_ITEMS_FIRST, "fulfillments": FULFILLMENTS_FIRST}


def orders_query(details: bool) -> str:
    """The incremental order query. `details`: also the buyer's display name and the shipping
    area (city, province, country) — protected customer data on Shopify; never the street,
    phone or e-mail, which a customer-service desk does not need."""
    return f"""query {ORDERS_OPERATION}($first: Int!, $after: String, $query: String!) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      {_order_fields(details)}
    }}
  }}
}}"""


def order_query(details: bool) -> str:
    """One order by its GID (`order(id:)`, null when there is none), with the same fields as
    `orders_query`, so a pushed order maps exactly as a pulled one."""
    return f"""query {ORDER_OPERATION}($id: ID!) {{
  order(id: $id) {{
      {_order_fields(details)}
  }}
}}"""


ORDER_NOTE_MUTATION = """mutation SeatDeskOrderNote($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id note updatedAt }
    userErrors { field message }
  }
}"""

TAGS_ADD_MUTATION = """mutation SeatDeskTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}"""

TAGS_REMOVE_MUTATION = """mutation SeatDeskTagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}"""


WEBHOOK_SUBSCRIBE_OPERATION = "SeatDeskWebhookSubscribe"
# The unified `uri` (HTTPS, Pub/Sub or EventBridge) of WebhookSubscriptionInput and
# WebhookSubscription, from API 2025-10 (shopify.dev/changelog/consolidate-webhook-graphql-surfaces).
# Subscriptions an app makes through the API are signed with its client secret.
WEBHOOK_SUBSCRIBE_MUTATION = """mutation SeatDeskWebhookSubscribe($topic: WebhookSubscriptionTopic!,
    $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}"""
ALREADY_SUBSCRIBED = "has already been taken"  # Shopify's userError for the same topic and address again


# -- ids ------------------------------------------------------------------------------------------------
def gid(kind: str, legacy_id: str) -> str:
    """`gid://shopify/Order/123`; a value that already is a GID of that kind passes through."""
    prefix = f"gid://shopify/{kind}/"
    value = legacy_id.strip()
    if value.startswith(prefix) and value[len(prefix):].isdigit():
        return value
    if not value.isdigit():
        raise Rejected(f"not a Shopify {kind} id: {legacy_id!r}")
    return prefix + value


def legacy_id(global_id: str, kind: str) -> str | None:
    """The number at the end of a GID of `kind`, or None if `global_id` is not one."""
    prefix = f"gid://shopify/{kind}/"
    if not global_id.startswith(prefix):
        return None
    tail = global_id[len(prefix):].split("?", 1)[0]
    return tail if tail.isdigit() else None


# -- times ----------------------------------------------------------------------------------------------
def search_time(epoch: int) -> str:
    """A search-syntax date value: ISO-8601 in UTC, quoted ("Date values must be a string
    surrounded by quotes", shopify.dev/docs/api/usage/search-syntax)."""
    return "'" + datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + "'"


def updated_between(start: int, end: int) -> str:
    """The orders `query` for updated_at in [start, end], both inclusive, epoch seconds."""
    return f"updated_at:>={search_time(start)} AND updated_at:<={search_time(end)}"


# -- where to call --------------------------------------------------------------------------------------
_SHOP = re.compile(r"[a-z0-9][a-z0-9-]*\." + re.escape(MYSHOPIFY))


def shop_domain(settings: Mapping[str, object], fallback: str = "") -> str:
    """The shop's `xxx.myshopify.com` from the `shop_domain` setting (or `fallback`, the
    shop's platform id); "xxx", "https://xxx.myshopify.com/admin" are accepted too. The Admin
    API lives only on the myshopify.com address, never on a custom storefront domain."""
    raw = setting_text(settings, "shop_domain", "") or fallback.strip()
    if not raw:
        raise Rejected("Shopify shop_domain is not set (e.g. your-store.myshopify.com)")
    text = raw.lower()
    host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    if host and "." not in host:
        host += "." + MYSHOPIFY
    if not _SHOP.fullmatch(host):
        raise Rejected(f"Shopify shop_domain must be the shop's .{MYSHOPIFY} address, got {raw!r}")
    return host


def admin_origin(settings: Mapping[str, object], fallback: str = "") -> str:
    """Where the shop's admin answers: the `base_url` override (a test server or gateway,
    scheme + host [+ path prefix]) or https://{shop_domain}."""
    base = setting_text(settings, "base_url", "")
    if base:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Rejected(f"setting base_url must be an http(s) URL, got {base!r}")
        return base.rstrip("/")
    return "https://" + shop_domain(settings, fallback)


def api_version(settings: Mapping[str, object]) -> str:
    version = setting_text(settings, "api_version", DEFAULT_API_VERSION)
    if not _VERSION.fullmatch(version):
        raise Rejected(f"setting api_version must be a Shopify release like {DEFAULT_API_VERSION!r}, "
                       f"got {version!r}")
    return version


def graphql_url(settings: Mapping[str, object], fallback: str = "") -> str:
    return admin_origin(settings, fallback) + GRAPHQL_PATH.format(version=api_version(settings))
