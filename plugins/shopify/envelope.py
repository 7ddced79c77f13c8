"""Shopify's answers → data, or the sdk's typed errors. Pure functions over status, headers
and the decoded body, so every mapping has a table test.

- HTTP: 401/403 → AuthExpired (token revoked, app uninstalled, scope missing: authorize
  again); 429 → RateLimited(Retry-After); 5xx → Temporary; 402/404/423/other 4xx → Rejected.
- GraphQL `errors` (HTTP 200): THROTTLED → RateLimited with the wait computed from the
  `extensions.cost` the reply carries (requested cost − currently available) / restore
  rate; INTERNAL_SERVER_ERROR → Temporary; anything else (ACCESS_DENIED, MAX_COST_EXCEEDED,
  a query the API version does not know) → Rejected with Shopify's message.
- Mutation `userErrors` → Rejected with Shopify's messages.
- A body that is not the documented shape → Temporary naming what was wrong.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.sdk import AdapterError, AuthExpired, RateLimited, Rejected, Temporary

from .protocol import DEFAULT_RETRY_AFTER

MIN_WAIT = 0.5  # never ask the engine to come back sooner than this
_TEMPORARY_CODES = frozenset({"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"})


def malformed(where: str, why: str) -> Temporary:
    return Temporary(f"malformed Shopify reply: {where} {why}")


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


# -- the cost extension --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Throttle:
    """`extensions.cost` of a GraphQL reply (shopify.dev GraphQL Admin API rate limits)."""

    requested: float | None
    actual: float | None
    maximum: float | None
    available: float | None
    restore_rate: float | None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def throttle_of(payload: object) -> Throttle | None:
    if not isinstance(payload, Mapping):
        return None
    extensions = payload.get("extensions")
    cost = extensions.get("cost") if isinstance(extensions, Mapping) else None
    if not isinstance(cost, Mapping):
        return None
    status = cost.get("throttleStatus")
    status = status if isinstance(status, Mapping) else {}
    return Throttle(_number(cost.get("requestedQueryCost")), _number(cost.get("actualQueryCost")),
                    _number(status.get("maximumAvailable")), _number(status.get("currentlyAvailable")),
                    _number(status.get("restoreRate")))


def throttle_wait(throttle: Throttle | None) -> float:
    """Seconds until the bucket holds the requested cost again: (requested − available) /
    restore rate, rounded up to a tenth; the default when the reply does not say."""
    if (throttle is None or throttle.requested is None or throttle.available is None
            or not throttle.restore_rate or throttle.restore_rate <= 0):
        return DEFAULT_RETRY_AFTER
    wait = (throttle.requested - throttle.available) / throttle.restore_rate
    return max(MIN_WAIT, math.ceil(wait * 10) / 10)


def retry_after(value: str | None) -> float:
    """The Retry-After header (seconds, Shopify sends e.g. "2.0"), else the default."""
    try:
        seconds = float(value or "")
    except ValueError:
        return DEFAULT_RETRY_AFTER
    return max(MIN_WAIT, seconds) if math.isfinite(seconds) else DEFAULT_RETRY_AFTER


# -- HTTP -------------------------------------------------------------------------------------------------
def error_text(body: bytes) -> str:
    """Shopify's message from an error body: `{"errors": "..."}`, `{"errors": [...]}`,
    `{"error": ..., "error_description": ...}` (OAuth), or the start of the text."""
    text = body.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        return _short(text, 160) or "no message"
    if isinstance(data, Mapping):
        for key in ("errors", "error_description", "error"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return _short(value)
            if isinstance(value, list) and value:
                return _short("; ".join(_message(v) for v in value))
            if isinstance(value, Mapping) and value:
                return _short("; ".join(f"{k}: {v}" for k, v in value.items()))
    return _short(text, 160)


def http_failure(status: int, headers: Mapping[str, str], body: bytes, where: str) -> AdapterError | None:
    """The typed error for a non-2xx answer, or None for a 2xx one."""
    if 200 <= status < 300:
        return None
    if status == 429:
        return RateLimited(retry_after(headers.get("Retry-After")), f"Shopify {where}: HTTP 429 Too Many Requests")
    if status >= 500:
        return Temporary(f"Shopify {where}: HTTP {status}")
    message = error_text(body)
    if status == 401:
        return AuthExpired(f"Shopify refused the access token for {where} (HTTP 401: {message}); "
                           "authorize the shop again or enter a new Admin API access token")
    if status == 403:
        return AuthExpired(f"Shopify denied {where} (HTTP 403: {message}): the token lacks a scope or the "
                           "app was uninstalled; authorize the shop again")
    if status == 402:
        return Rejected(f"Shopify {where}: the shop is frozen (HTTP 402 Payment Required: {message})")
    if status == 404:
        return Rejected(f"Shopify {where}: HTTP 404 ({message}); check shop_domain/base_url and api_version")
    if status == 423:
        return Rejected(f"Shopify {where}: the shop is locked (HTTP 423: {message})")
    return Rejected(f"Shopify {where}: HTTP {status}: {message}")


# -- GraphQL ------------------------------------------------------------------------------------------------
def _message(error: object) -> str:
    if isinstance(error, Mapping):
        message = error.get("message")
        return str(message) if message else json.dumps(error, ensure_ascii=False)[:200]
    return str(error)


def _code(error: object) -> str:
    if isinstance(error, Mapping):
        extensions = error.get("extensions")
        if isinstance(extensions, Mapping) and isinstance(extensions.get("code"), str):
            return str(extensions["code"])
    return ""


def graphql_data(payload: object, where: str) -> dict[str, Any]:
    """A decoded GraphQL reply → its `data`, or the typed error its `errors` mean."""
    if not isinstance(payload, Mapping):
        raise malformed(where, "is not a JSON object")
    errors = payload.get("errors")
    if errors:
        if isinstance(errors, str):
            raise Rejected(f"Shopify refused {where}: {_short(errors)}")
        if not isinstance(errors, list):
            raise malformed(where, "has `errors` that is neither a list nor a text")
        codes = {_code(e) for e in errors}
        text = _short("; ".join(_message(e) for e in errors))
        if "THROTTLED" in codes:
            raise RateLimited(throttle_wait(throttle_of(payload)), f"Shopify {where} throttled: {text}")
        if codes & _TEMPORARY_CODES:
            raise Temporary(f"Shopify {where} failed on Shopify's side: {text}")
        if "ACCESS_DENIED" in codes:
            raise Rejected(f"Shopify denied {where}: {text} (the app needs that access scope, or Shopify's "
                           "approval for protected customer data; see the read_customer_details setting)")
        if "MAX_COST_EXCEEDED" in codes:
            raise Rejected(f"Shopify refused {where} as too costly: {text} (lower the page_size setting)")
        raise Rejected(f"Shopify refused {where}: {text}")
    data = payload.get("data")
    if not isinstance(data, dict):
        raise malformed(where, "has no `data` object")
    return data


def mutation_result(data: Mapping[str, Any], field: str, where: str) -> dict[str, Any]:
    """The payload object of a mutation (`data[field]`), after its `userErrors` (→ Rejected)."""
    node = data.get(field)
    if not isinstance(node, dict):
        raise malformed(where, f"has no `{field}` payload")
    errors = node.get("userErrors")
    if errors is None:
        errors = []
    if not isinstance(errors, list):
        raise malformed(where, "has `userErrors` that is not a list")
    if errors:
        parts = []
        for error in errors:
            message = _message(error)
            field_path = error.get("field") if isinstance(error, Mapping) else None
            if isinstance(field_path, list) and field_path:
                message = f"{'.'.join(str(p) for p in field_path)}: {message}"
            parts.append(message)
        raise Rejected(f"Shopify refused {where}: {_short('; '.join(parts))}")
    return node
