"""A local fake of one Shopify shop: a loopback HTTP server speaking the Admin API as
research/platform-apis.md §6 and §10 describe it, with the conformance kit's FakePlatform
switches.

Served:
- POST /admin/api/{version}/graphql.json — `X-Shopify-Access-Token` checked (401 with
  Shopify's "[API] Invalid API key or access token" otherwise); the adapter's five named
  operations, strict about declared and given variables (fake_graphql.py); every reply
  carries `extensions.cost` from a leaky bucket (2000 points, 100/s restore on the fake's
  clock) and THROTTLED when it runs dry; MAX_COST_EXCEEDED over 1000; ACCESS_DENIED for a
  missing scope or protected customer fields without approval; `X-Shopify-API-Version`.
- GET /admin/oauth/authorize → 302 to the redirect URI with code, shop, state, timestamp,
  host and the callback `hmac`; POST /admin/oauth/access_token (form or JSON): the code
  grant (`expiring=1` → an expiring offline token, 1 h, with a 90-day refresh token) and
  `grant_type=refresh_token` (a new pair; the used refresh token stays good until the new
  access token is first used, as Shopify's "more resilient refreshes" say). Only one
  expiring token is live per app and shop: a new one revokes the others. An expired token
  is refused like an unknown one. `grant_type=client_credentials` (a Dev Dashboard app of the
  store's own organization): a 24-hour token (`expires_in` 86399) with the app's scopes and no
  refresh token; refused with 400 `app_not_installed` / `shop_not_permitted` when the
  `app_installed` / `same_organization` switches are off.
- `webhookSubscriptionCreate(topic, webhookSubscription: {uri, format})`: HTTPS only, one
  per topic and address ("Address for this topic has already been taken"), the topic's scope.
- Webhooks: `webhook(topic, order_id)` / `webhook_for(order_id)` build a signed delivery
  (X-Shopify-Hmac-SHA256 and the other headers, the topic's REST payload); `publish` queues
  one and `send_webhooks` POSTs the queue through a callable, keeping what was not answered
  2xx for Shopify's retries (the same X-Shopify-Webhook-Id, 8 retries, then dropped).
"""

from __future__ import annotations

import base64
import json
import secrets as token_source
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from desktop.sdk.loopback import LoopbackFake

from .fake_graphql import (
    MUTATION_COST,
    Field,
    GraphQLError,
    Operation,
    actual_cost,
    check_sizes,
    check_variables,
    parse,
    project,
    requested_cost,
    resolve,
)
from .fake_store import FakeShop, iso
from .protocol import DEFAULT_API_VERSION, QUERY_MAX_COST, SCOPES, TOKEN_HEADER, VERSION_HEADER
from .signing import callback_hmac, webhook_hmac
from .webhooks import (
    API_VERSION_HEADER,
    EVENT_ID_HEADER,
    HMAC_HEADER,
    ORDER_CHILD_TOPICS,
    ORDER_EDITED,
    SHOP_HEADER,
    TOPIC_HEADER,
    TRIGGERED_AT_HEADER,
    WEBHOOK_ID_HEADER,
)

SUPPORTED_VERSIONS = ("2025-10", "2026-01", "2026-04", DEFAULT_API_VERSION, "2026-10")
_ORDER_INPUT_FIELDS = {"id", "note", "tags", "email", "customAttributes", "shippingAddress", "metafields",
                       "localizedFields", "poNumber"}
# operation name → (kind, root field, declared variables, scope needed)
OPERATIONS: dict[str, tuple[str, str, dict[str, str], str | None]] = {
    "SeatDeskShop": ("query", "shop", {}, None),
    "SeatDeskOrders": ("query", "orders", {"first": "Int!", "after": "String", "query": "String!"}, "read_orders"),
    "SeatDeskOrder": ("query", "order", {"id": "ID!"}, "read_orders"),
    "SeatDeskOrderNote": ("mutation", "orderUpdate", {"input": "OrderInput!"}, "write_orders"),
    "SeatDeskTagsAdd": ("mutation", "tagsAdd", {"id": "ID!", "tags": "[String!]!"}, "write_customers"),
    "SeatDeskTagsRemove": ("mutation", "tagsRemove", {"id": "ID!", "tags": "[String!]!"}, "write_customers"),
    "SeatDeskWebhookSubscribe": ("mutation", "webhookSubscriptionCreate",
                                 {"topic": "WebhookSubscriptionTopic!",
                                  "webhookSubscription": "WebhookSubscriptionInput!"}, None),
}
# webhook topics the fake knows → the scope a subscription to it needs
WEBHOOK_TOPICS: dict[str, str | None] = {"ORDERS_CREATE": "read_orders", "ORDERS_UPDATED": "read_orders",
                                         "ORDERS_PAID": "read_orders", "ORDERS_EDITED": "read_orders",
                                         "CUSTOMERS_UPDATE": "read_customers", "APP_UNINSTALLED": None}
_SUBSCRIPTION_FIELDS = {"uri", "format", "includeFields", "metafieldNamespaces", "filter"}
_PROTECTED = {"Customer": {"displayName", "firstName", "lastName", "email", "phone"},
              "Order": {"shippingAddress", "billingAddress", "email", "phone"}}
_TYPE_OF = {"nodes": "Order", "order": "Order", "customer": "Customer"}  # what the served fields return
_INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
ACCESS_TTL = timedelta(seconds=3600)  # an expiring offline token's `expires_in`
CLIENT_CREDENTIALS_TTL = timedelta(seconds=86399)  # "Always 86399 (24 hours)"
REFRESH_TTL = timedelta(days=90)  # its refresh token's `refresh_token_expires_in`
WEBHOOK_RETRIES = 8  # Shopify retries a failed delivery 8 times over 4 hours, then gives up


@dataclass
class Outgoing:
    """A webhook delivery Shopify still owes the app: sent until answered 2xx."""

    headers: dict[str, str]
    body: bytes
    attempts: int = 0


def _order_input(name: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise GraphQLError(f"Variable ${name} of type OrderInput! was provided invalid value")
    unknown = set(value) - _ORDER_INPUT_FIELDS
    if unknown:
        raise GraphQLError(f"Variable ${name} of type OrderInput! was provided invalid value for "
                           f"{sorted(unknown)[0]} (Field is not defined on OrderInput)")
    if not isinstance(value.get("id"), str):
        raise GraphQLError(f"Variable ${name} of type OrderInput! was provided invalid value for id "
                           "(Expected value to not be null)")
    if "note" in value and value["note"] is not None and not isinstance(value["note"], str):
        raise GraphQLError(f"Variable ${name} of type OrderInput! was provided invalid value for note")


def _subscription_topic(name: str, value: Any) -> None:
    if value not in WEBHOOK_TOPICS:
        raise GraphQLError(f"Variable ${name} of type WebhookSubscriptionTopic! was provided invalid value",
                           problems=[{"path": [], "explanation": f"Expected {value!r} to be one of the topics"}])


def _subscription_input(name: str, value: Any) -> None:
    if not isinstance(value, dict) or set(value) - _SUBSCRIPTION_FIELDS or not isinstance(value.get("uri"), str):
        raise GraphQLError(f"Variable ${name} of type WebhookSubscriptionInput! was provided invalid value")
    if value.get("format", "JSON") not in ("JSON", "XML"):
        raise GraphQLError(f"Variable ${name} of type WebhookSubscriptionInput! was provided invalid value for format")


_INPUTS = {"OrderInput": _order_input, "WebhookSubscriptionTopic": _subscription_topic,
           "WebhookSubscriptionInput": _subscription_input}


class Bucket:
    """Shopify's leaky bucket of query cost points for one app on one shop."""

    def __init__(self, clock: Callable[[], datetime], maximum: float, rate: float) -> None:
        self.clock, self.maximum, self.rate = clock, maximum, rate
        self.available, self._at = maximum, clock()

    def level(self) -> float:
        now = self.clock()
        elapsed = max(0.0, (now - self._at).total_seconds())
        self.available, self._at = min(self.maximum, self.available + elapsed * self.rate), now
        return self.available

    def status(self) -> dict[str, float]:
        return {"maximumAvailable": self.maximum, "currentlyAvailable": round(self.level(), 1),
                "restoreRate": self.rate}


class ShopifyFake(LoopbackFake):
    """One shop: `with ShopifyFake() as fake:` serves it on 127.0.0.1 until the block ends."""

    domain = "silk-and-tea.myshopify.com"
    platform_shop_id = domain

    def __init__(self, clock: Callable[[], datetime] | None = None, seed: int = 20240501, currency: str = "USD",
                 search_lag_s: float = 0.0, bucket: tuple[float, float] = (2000.0, 100.0)) -> None:
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.lock = threading.Lock()
        self.shop = FakeShop(lambda: self.clock(), seed, currency, search_lag_s)
        self.bucket = Bucket(lambda: self.clock(), *bucket)
        self.client_id = "6c1f0e9d2b8a4f37a1d5c3e7b9f2a4c6"
        self.client_secret = "shpss_" + "3b7e1c9a5d2f4e6a8c0b1d3f5a7c9e2b"
        self.access_token = "shpat_" + token_source.token_hex(16)
        self.tokens: dict[str, set[str]] = {self.access_token: set(SCOPES)}  # token → granted scopes
        self.expiry: dict[str, datetime] = {}  # expiring access token → when it stops working
        self.cc_expiry: dict[str, datetime] = {}  # client credentials token → when it stops working
        self.app_installed = True  # off: the client credentials grant answers app_not_installed
        self.same_organization = True  # off: it answers shop_not_permitted (app of another organization)
        self.refreshes: dict[str, tuple[set[str], datetime]] = {}  # refresh token → (scopes, expiry)
        self._superseded: dict[str, str] = {}  # new access token → the refresh token it replaced
        self.codes: dict[str, set[str]] = {}  # authorization code → scopes asked
        self.token_grants: list[str] = []  # grant of each token request served ("code", "refresh_token",
        # "client_credentials")
        self.outbox: dict[str, Outgoing] = {}  # webhook id → a delivery not yet answered 2xx
        self.subscriptions: dict[tuple[str, str], str] = {}  # (topic, uri) → subscription GID
        self.protected_data_approved = True
        self.calls: list[tuple[str, dict[str, Any]]] = []  # (operation, variables) of served calls
        self._limited = self._http_limited = self._failing = self._graphql_failing = self._garbled = 0

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    # -- FakePlatform --------------------------------------------------------------------------------------
    def settings(self) -> dict[str, object]:
        return {"base_url": self.url, "shop_domain": self.domain, "api_version": DEFAULT_API_VERSION}

    def secrets(self) -> dict[str, str]:
        return {"access_token": self.access_token, "client_id": self.client_id, "client_secret": self.client_secret}

    def add_orders(self, n: int) -> list[str]:
        with self.lock:
            return [str(self.shop.add_order().id) for _ in range(n)]

    def touch_order(self, order_id: str) -> None:
        with self.lock:
            self.shop.touch(int(order_id))

    def add_messages(self, n: int) -> list[str]:
        raise NotImplementedError("Shopify's Admin API has no chat (Inbox) conversations")

    def memo(self, order_id: str) -> tuple[str, int | None]:
        with self.lock:
            return self.shop.orders[int(order_id)].note, None

    def expire_token(self) -> None:
        """The shop's (custom app) token does not expire; this is the app being uninstalled (the
        token revoked). Expiring OAuth tokens also run out with the fake's clock (ACCESS_TTL)."""
        with self.lock:
            self.tokens.pop(self.access_token, None)

    def uninstall_app(self) -> None:
        """The merchant uninstalls the app: every token it holds stops working, and the client
        credentials grant answers app_not_installed until `app_installed` is set again."""
        with self.lock:
            self.app_installed = False
            self.tokens.clear()
            self.refreshes.clear()

    def limit_calls(self, n: int = 1) -> None:
        with self.lock:
            self._limited += n

    def fail(self, n: int = 1) -> None:
        with self.lock:
            self._failing += n

    # -- more switches for the adapter's own tests -------------------------------------------------------
    def limit_http(self, n: int = 1) -> None:
        """The next n calls answer HTTP 429 with Retry-After (the REST-style limit)."""
        with self.lock:
            self._http_limited += n

    def fail_graphql(self, n: int = 1) -> None:
        """The next n calls answer 200 with an INTERNAL_SERVER_ERROR GraphQL error."""
        with self.lock:
            self._graphql_failing += n

    def garble(self, n: int = 1) -> None:
        with self.lock:
            self._garbled += n

    def grant(self, *scopes: str) -> None:
        """The shop's token holds only these scopes from now on."""
        with self.lock:
            self.tokens[self.access_token] = set(scopes)

    def customer_tags(self, customer_id: str) -> list[str]:
        with self.lock:
            return list(self.shop.customers[int(customer_id)].tags)

    def operations(self) -> list[str]:
        with self.lock:
            return [name for name, _ in self.calls]

    # -- the GraphQL endpoint -----------------------------------------------------------------------------
    def graphql(self, version: str, token: str | None, body: bytes
                ) -> tuple[int, dict[str, Any] | str, dict[str, str]]:
        """→ (status, JSON body or text, extra headers)."""
        headers = {VERSION_HEADER: version if version in SUPPORTED_VERSIONS else SUPPORTED_VERSIONS[0]}
        with self.lock:
            if self._failing:
                self._failing -= 1
                return 503, "<html><body><h1>503 Service Unavailable</h1></body></html>", {}
            if self._http_limited:
                self._http_limited -= 1
                return 429, {"errors": "Exceeded 2 calls per second for api client. Reduce request rates "
                                       "to resume uninterrupted service."}, {**headers, "Retry-After": "2.0"}
            if token is None or not self._token_ok(token):
                return 401, {"errors": _INVALID_TOKEN}, {}
            if self._garbled:
                self._garbled -= 1
                return 200, '{"data":{"orders":{"nodes":[{"id":"gid://shopify/Order/1","na', headers
            try:
                request = json.loads(body.decode("utf-8"))
                document, variables = request["query"], request.get("variables") or {}
                if not isinstance(document, str) or not isinstance(variables, dict):
                    raise ValueError
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                return 400, {"errors": {"query": "Required parameter missing or invalid"}}, headers
            try:
                return 200, self._execute(token, document, variables), headers
            except GraphQLError as exc:
                return 200, {"errors": [exc.as_dict()]}, headers

    def _token_ok(self, token: str) -> bool:
        """Known and not expired; the first use of a refreshed token retires the refresh
        token it replaced."""
        if token not in self.tokens:
            return False
        if token in self.expiry and self.clock() >= self.expiry[token]:
            return False
        if token in self.cc_expiry and self.clock() >= self.cc_expiry[token]:
            return False
        replaced = self._superseded.pop(token, None)
        if replaced is not None:
            self.refreshes.pop(replaced, None)
        return True

    def _execute(self, token: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        op = parse(document)
        known = OPERATIONS.get(op.name)
        if known is None:
            raise GraphQLError(f"fake: operation {op.name} is not served", "undefinedOperation")
        kind, root_name, declared, scope = known
        root = op.fields[0]
        if op.kind != kind or len(op.fields) != 1 or root.name != root_name:
            raise GraphQLError(f"fake: {op.name} must be a {kind} of {root_name} alone", "undefinedField")
        check_variables(op, variables, declared, _INPUTS)
        check_sizes(op.fields, variables)
        requested = MUTATION_COST if kind == "mutation" else requested_cost(op.fields, variables)
        if requested > QUERY_MAX_COST:
            raise GraphQLError(f"Query cost is {requested}, which exceeds the single query max cost limit "
                               f"({QUERY_MAX_COST}).", "MAX_COST_EXCEEDED", cost=requested, maxCost=QUERY_MAX_COST)
        if self._limited or requested > self.bucket.level():
            throttled = self._limited > 0
            self._limited = max(0, self._limited - 1)
            status = self.bucket.status()
            if throttled:
                status["currentlyAvailable"] = 0.0
            return {"errors": [{"message": "Throttled", "extensions": {
                        "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                    "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": None,
                                            "throttleStatus": status}}}
        if self._graphql_failing:
            self._graphql_failing -= 1
            raise GraphQLError("Internal error. Looks like something went wrong on our end.\nRequest ID: "
                               + str(uuid.uuid4()), "INTERNAL_SERVER_ERROR", requestId=str(uuid.uuid4()))
        if scope is not None and scope not in self.tokens[token]:
            return {"data": {root.key: None}, "errors": [GraphQLError(
                f"Access denied for {root_name} field. Required access: `{scope}` access scope.",
                "ACCESS_DENIED", [root.key], requiredAccess=f"`{scope}` access scope.").as_dict()]}
        if not self.protected_data_approved:
            self._refuse_protected(root.children, _TYPE_OF.get(root.name, ""), [root.key])
        args = {name: resolve(value, variables) for name, value in root.args.items()}
        data = {root.key: project({"__typename": "Root", root_name: self._run(root_name, args, token)},
                                  [root], variables, [])[root.key]}
        # the requested cost is held while the query runs and the difference refunded after
        actual = MUTATION_COST if kind == "mutation" else actual_cost(op.fields, data)
        self.bucket.available -= actual
        self.calls.append((op.name, variables))
        return {"data": data, "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual,
                                                      "throttleStatus": self.bucket.status()}}}

    def _run(self, root: str, args: dict[str, Any], token: str) -> Any:
        if root == "shop":
            return self.shop.shop_node(self.domain)
        if root == "orders":
            return self.shop.search(args)
        if root == "order":
            return self.shop.order_by_gid(args.get("id"))
        if root == "webhookSubscriptionCreate":
            return self._subscribe(str(args.get("topic")), args.get("webhookSubscription") or {}, token)
        if root == "orderUpdate":
            return self.shop.order_update(args.get("input") or {})
        return self.shop.tags(args.get("id"), list(args.get("tags") or []), add=root == "tagsAdd")

    def _subscribe(self, topic: str, data: dict[str, Any], token: str) -> dict[str, Any]:
        """`webhookSubscriptionCreate`: one subscription per topic and address (HTTPS only)."""
        def refused(field: str, message: str) -> dict[str, Any]:
            return {"__typename": "WebhookSubscriptionCreatePayload", "webhookSubscription": None,
                    "userErrors": [{"__typename": "UserError", "field": ["webhookSubscription", field],
                                    "message": message}]}
        uri, scope = data["uri"], WEBHOOK_TOPICS[topic]
        if not uri.startswith("https://"):
            return refused("uri", "Address protocol is not supported: use https")
        if scope is not None and scope not in self.tokens[token]:
            return refused("topic", f"You do not have permission to create or update webhooks with {topic} "
                                    f"topic. This topic requires `{scope}` access scope.")
        if (topic, uri) in self.subscriptions:
            return refused("uri", "Address for this topic has already been taken")
        gid = f"gid://shopify/WebhookSubscription/{1300000000 + len(self.subscriptions)}"
        self.subscriptions[(topic, uri)] = gid
        return {"__typename": "WebhookSubscriptionCreatePayload", "userErrors": [],
                "webhookSubscription": {"__typename": "WebhookSubscription", "id": gid, "topic": topic,
                                        "uri": uri}}

    def _refuse_protected(self, fields: list[Field], typename: str, path: list[str]) -> None:
        """Without Shopify's approval for protected customer data, its fields are refused."""
        for child in fields:
            if child.name in _PROTECTED.get(typename, ()):
                raise GraphQLError(f"This app is not approved to access the {child.name} field of "
                                   f"{typename} objects (protected customer data).", "ACCESS_DENIED",
                                   path + [child.key])
            self._refuse_protected(child.children, _TYPE_OF.get(child.name, ""), path + [child.key])

    # -- OAuth ----------------------------------------------------------------------------------------------
    def authorize(self, p: dict[str, str]) -> tuple[int, dict[str, Any] | str, str | None]:
        with self.lock:
            if p.get("client_id") != self.client_id:
                return 400, "Oauth error invalid_request: The client_id is invalid", None
            scopes = {s for s in p.get("scope", "").split(",") if s}
            if not p.get("redirect_uri") or not scopes <= set(SCOPES):
                return 400, "Oauth error invalid_request: The redirect_uri or scope is invalid", None
            code = token_source.token_hex(16)
            self.codes[code] = scopes
            host = base64.b64encode(f"admin.shopify.com/store/{self.domain.split('.')[0]}".encode()).decode()
            query = {"code": code, "host": host, "shop": self.domain, "state": p.get("state", ""),
                     "timestamp": str(int(self.clock().timestamp()))}
            query["hmac"] = callback_hmac(query, self.client_secret)
            target = p["redirect_uri"]
            return 302, "", f"{target}{'&' if '?' in target else '?'}{urlencode(query)}"

    def access_token_grant(self, p: dict[str, str]) -> tuple[int, dict[str, Any] | str]:
        with self.lock:
            if self._failing:
                self._failing -= 1
                return 503, "<html><body><h1>503 Service Unavailable</h1></body></html>"
            if p.get("client_id") != self.client_id or p.get("client_secret") != self.client_secret:
                return 400, {"error": "invalid_client", "error_description": "Client credentials are invalid"}
            if p.get("grant_type") == "refresh_token":
                self.token_grants.append("refresh_token")
                return self._refresh_grant(p.get("refresh_token", ""))
            if p.get("grant_type") == "client_credentials":
                self.token_grants.append("client_credentials")
                return self._client_credentials_grant()
            self.token_grants.append("code")
            scopes = self.codes.pop(p.get("code", ""), None)
            if scopes is None:
                return 400, {"error": "invalid_request",
                             "error_description": "The authorization code was not found or was already used"}
            if p.get("expiring") == "1":
                return 200, self._issue_expiring(scopes)
            token = "shpat_" + token_source.token_hex(16)
            self.tokens[token] = scopes
            return 200, {"access_token": token, "scope": ",".join(sorted(scopes))}

    def _client_credentials_grant(self) -> tuple[int, dict[str, Any]]:
        """A new 24-hour token, no refresh token. Earlier ones keep working until their own
        expiry ([UNVERIFIED]: Shopify's pages do not say that a new one revokes the old)."""
        if not self.same_organization:
            return 400, {"error": "shop_not_permitted",
                         "error_description": "Client credentials cannot be performed on this shop."}
        if not self.app_installed:
            return 400, {"error": "app_not_installed",
                         "error_description": "The application is not installed on this shop."}
        token, scopes = "shpat_" + token_source.token_hex(16), set(SCOPES)
        self.tokens[token], self.cc_expiry[token] = scopes, self.clock() + CLIENT_CREDENTIALS_TTL
        return 200, {"access_token": token, "scope": ",".join(sorted(scopes)),
                     "expires_in": int(CLIENT_CREDENTIALS_TTL.total_seconds())}

    def _refresh_grant(self, refresh: str) -> tuple[int, dict[str, Any]]:
        known = self.refreshes.get(refresh)
        if known is None or self.clock() >= known[1]:
            return 400, {"error": "invalid_grant", "error_description": "The refresh token is invalid or has expired"}
        return 200, self._issue_expiring(known[0], replacing=refresh)

    def _issue_expiring(self, scopes: set[str], replacing: str | None = None) -> dict[str, Any]:
        """A new expiring pair; every other expiring token and refresh token of the app on this
        shop is revoked, but the refresh token being used stays until its successor is used."""
        for token in self.expiry:
            self.tokens.pop(token, None)
        self.expiry.clear()
        self.refreshes = {k: v for k, v in self.refreshes.items() if k == replacing}
        self._superseded.clear()
        token, refresh, now = "shpat_" + token_source.token_hex(16), "shprt_" + token_source.token_hex(16), self.clock()
        self.tokens[token], self.expiry[token] = scopes, now + ACCESS_TTL
        self.refreshes[refresh] = (scopes, now + REFRESH_TTL)
        if replacing is not None:
            self._superseded[token] = replacing
        return {"access_token": token, "expires_in": int(ACCESS_TTL.total_seconds()), "refresh_token": refresh,
                "refresh_token_expires_in": int(REFRESH_TTL.total_seconds()), "scope": ",".join(sorted(scopes))}

    # -- webhooks -------------------------------------------------------------------------------------------
    def signed(self, topic: str, payload: dict[str, Any], *, domain: str | None = None,
               secret: str | None = None) -> tuple[dict[str, str], bytes]:
        """A delivery of `topic` with `payload` as Shopify POSTs it: (headers, raw body)."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return {TOPIC_HEADER: topic, HMAC_HEADER: webhook_hmac(body, secret or self.client_secret),
                SHOP_HEADER: domain or self.domain, API_VERSION_HEADER: DEFAULT_API_VERSION,
                WEBHOOK_ID_HEADER: str(uuid.uuid4()), EVENT_ID_HEADER: str(uuid.uuid4()),
                TRIGGERED_AT_HEADER: self.clock().isoformat()}, body

    def webhook(self, topic: str, order_id: str) -> tuple[dict[str, str], bytes]:
        """A delivery of an order topic (e.g. "orders/updated", "orders/edited",
        "fulfillments/create") for the order, with that topic's REST payload."""
        with self.lock:
            order = self.shop.orders[int(order_id)]
            payload: dict[str, Any] = {
                "id": order.id, "admin_graphql_api_id": f"gid://shopify/Order/{order.id}",
                "name": f"#{order.number}", "note": order.note or None, "tags": ", ".join(order.tags),
                "created_at": iso(order.created), "updated_at": iso(order.updated),
                "financial_status": order.financial.lower(), "currency": self.shop.currency,
                "cancelled_at": iso(order.cancelled) if order.cancelled else None}
            if topic == ORDER_EDITED:
                payload = {"order_edit": {"id": 7700000000000 + order.id % 1000, "app_id": None,
                                          "created_at": iso(self.clock()), "notify_customer": False,
                                          "order_id": order.id, "staff_note": "", "user_id": None,
                                          "line_items": {"additions": [], "removals": []}}}
            elif topic in ORDER_CHILD_TOPICS:
                payload = {"id": 8800000000000 + order.id % 1000, "order_id": order.id,
                           "admin_graphql_api_id": f"gid://shopify/Fulfillment/{8800000000000 + order.id % 1000}",
                           "created_at": iso(self.clock())}
        return self.signed(topic, payload)

    def webhook_for(self, order_id: str) -> tuple[dict[str, str], bytes]:
        """The conformance kit's delivery: orders/updated for the order."""
        return self.webhook("orders/updated", order_id)

    def publish(self, topic: str, order_id: str) -> str:
        """Queue a delivery for `send_webhooks`; → its X-Shopify-Webhook-Id."""
        headers, body = self.webhook(topic, order_id)
        with self.lock:
            self.outbox[headers[WEBHOOK_ID_HEADER]] = Outgoing(headers, body)
        return headers[WEBHOOK_ID_HEADER]

    async def send_webhooks(self, post: Callable[[dict[str, str], bytes], Awaitable[int]]) -> dict[str, int]:
        """POST every queued delivery once through `post` (→ the HTTP status, 0 for no answer
        in time); a 2xx answer settles it, anything else keeps it for the next round, the
        same delivery with the same X-Shopify-Webhook-Id, until WEBHOOK_RETRIES retries."""
        with self.lock:
            due = list(self.outbox.items())
        answers: dict[str, int] = {}
        for webhook_id, outgoing in due:
            status = await post(dict(outgoing.headers), outgoing.body)
            answers[webhook_id] = status
            with self.lock:
                outgoing.attempts += 1
                if 200 <= status < 300 or outgoing.attempts > WEBHOOK_RETRIES:
                    self.outbox.pop(webhook_id, None)
        return answers


class _Handler(BaseHTTPRequestHandler):
    server_version = "ShopifyFake/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve()

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve()

    def _serve(self) -> None:
        fake: ShopifyFake = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        segments = parts.path.strip("/").split("/")
        headers: dict[str, str] = {}
        location = None
        if (self.command == "POST" and len(segments) == 4 and segments[:2] == ["admin", "api"]
                and segments[3] == "graphql.json"):
            if segments[2] in SUPPORTED_VERSIONS or _looks_like_version(segments[2]):
                status, payload, headers = fake.graphql(segments[2], self.headers.get(TOKEN_HEADER), body)
            else:
                status, payload = 404, {"errors": "Not Found"}
        elif self.command == "GET" and parts.path == "/admin/oauth/authorize":
            status, payload, location = fake.authorize(dict(parse_qsl(parts.query)))
        elif self.command == "POST" and parts.path == "/admin/oauth/access_token":
            status, payload = fake.access_token_grant(_form_or_json(body, self.headers.get("Content-Type", "")))
        else:
            status, payload = 404, {"errors": "Not Found"}
        data = (payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)).encode("utf-8")
        self.send_response(status)
        kind = "text/html" if isinstance(payload, str) else "application/json"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(data)


def _looks_like_version(text: str) -> bool:
    """A well-formed but unsupported release is answered by the oldest supported one."""
    year, _, month = text.partition("-")
    return year.isdigit() and len(year) == 4 and month in ("01", "04", "07", "10")


def _form_or_json(body: bytes, content_type: str) -> dict[str, str]:
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return dict(parse_qsl(text))
