"""Shopify answers → typed errors: HTTP status, GraphQL `errors` (THROTTLED with its cost
extension), `userErrors`, malformed bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop.sdk import AuthExpired, RateLimited, Rejected, Temporary
from plugins.shopify.envelope import (
    error_text,
    graphql_data,
    http_failure,
    mutation_result,
    retry_after,
    throttle_of,
    throttle_wait,
)

INVALID_TOKEN = json.dumps({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})

# A throttled reply as posted on community.shopify.com/t/throttled/254776 (HTTP 200).
THROTTLED = {
    "errors": [{"message": "Throttled",
                "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
    "extensions": {"cost": {"requestedQueryCost": 752, "actualQueryCost": None,
                            "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": 666,
                                               "restoreRate": 50.0}}},
}


@pytest.mark.parametrize(("status", "headers", "body", "kind", "words"), [
    (401, {}, INVALID_TOKEN, AuthExpired, "Invalid API key or access token"),
    (403, {}, '{"errors":"[API] This action requires merchant approval for write_customers scope."}',
     AuthExpired, "write_customers"),
    (402, {}, '{"errors":"Unavailable Shop"}', Rejected, "frozen"),
    (404, {}, '{"errors":"Not Found"}', Rejected, "api_version"),
    (423, {}, '{"errors":"Locked"}', Rejected, "locked"),
    (400, {}, '{"errors":{"query":"Required parameter missing or invalid"}}', Rejected, "query: Required"),
    (429, {"Retry-After": "2.0"}, '{"errors":"Exceeded 2 calls per second"}', RateLimited, "429"),
    (500, {}, "<html>oops</html>", Temporary, "HTTP 500"),
    (502, {}, "", Temporary, "HTTP 502"),
    (503, {}, "<html>503</html>", Temporary, "HTTP 503"),
])
def test_http_failures(status: int, headers: dict[str, str], body: str, kind: type[Exception], words: str) -> None:
    failure = http_failure(status, headers, body.encode(), "SeatDeskOrders")
    assert isinstance(failure, kind) and words in str(failure)


def test_success_statuses_are_no_failure() -> None:
    assert http_failure(200, {}, b"{}", "x") is None


@pytest.mark.parametrize(("header", "seconds"), [("2.0", 2.0), ("7", 7.0), ("0", 0.5), (None, 2.0), ("soon", 2.0),
                                                 ("inf", 2.0)])
def test_retry_after_header(header: str | None, seconds: float) -> None:
    assert retry_after(header) == seconds
    limited = http_failure(429, {"Retry-After": header} if header else {}, b"", "x")
    assert isinstance(limited, RateLimited) and limited.retry_after == seconds


def test_error_text_shapes() -> None:
    assert error_text(b'{"error":"invalid_request","error_description":"code was already used"}') == \
        "code was already used"
    assert error_text(b'{"errors":[{"message":"a"},{"message":"b"}]}') == "a; b"
    assert error_text(b"<html>  down  </html>") == "<html> down </html>"


# -- GraphQL errors ---------------------------------------------------------------------------------------------
def test_throttled_waits_for_the_requested_cost_to_restore() -> None:
    with pytest.raises(RateLimited) as raised:
        graphql_data(THROTTLED, "SeatDeskOrders")
    assert raised.value.retry_after == pytest.approx(1.8)  # (752 − 666) / 50 = 1.72, rounded up


def test_throttle_arithmetic() -> None:
    throttle = throttle_of(THROTTLED)
    assert throttle is not None and (throttle.requested, throttle.available, throttle.maximum,
                                     throttle.restore_rate, throttle.actual) == (752, 666, 1000, 50, None)
    assert throttle_wait(throttle_of({"extensions": {"cost": {"requestedQueryCost": 572, "throttleStatus": {
        "currentlyAvailable": 0, "restoreRate": 100}}}})) == pytest.approx(5.8)
    # throttled although enough seems available (another process drew from the bucket): a short wait
    assert throttle_wait(throttle_of({"extensions": {"cost": {"requestedQueryCost": 10, "throttleStatus": {
        "currentlyAvailable": 900, "restoreRate": 100}}}})) == 0.5
    assert throttle_wait(None) == 2.0
    assert throttle_wait(throttle_of({"extensions": {"cost": {"requestedQueryCost": 10}}})) == 2.0
    assert throttle_of({"errors": []}) is None and throttle_of("x") is None


def test_throttled_without_cost_uses_the_default_wait() -> None:
    with pytest.raises(RateLimited) as raised:
        graphql_data({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]}, "x")
    assert raised.value.retry_after == 2.0


@pytest.mark.parametrize(("payload", "kind", "words"), [
    ({"errors": [{"message": "Internal error. Looks like something went wrong on our end.",
                  "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}, Temporary, "Shopify's side"),
    ({"data": {"orders": None}, "errors": [{"message": "Access denied for orders field.",
                                            "extensions": {"code": "ACCESS_DENIED"}}]}, Rejected, "Access denied"),
    ({"errors": [{"message": "Query cost is 1372, which exceeds the single query max cost limit (1000).",
                  "extensions": {"code": "MAX_COST_EXCEEDED"}}]}, Rejected, "page_size"),
    ({"errors": [{"message": "Field 'returnStatus' doesn't exist on type 'Order'",
                  "extensions": {"code": "undefinedField"}}]}, Rejected, "doesn't exist"),
    ({"errors": "[API] Invalid API key"}, Rejected, "Invalid API key"),
    ({"errors": {"x": 1}}, Temporary, "neither a list"),
    ({"data": None}, Temporary, "no `data`"),
    ([1, 2], Temporary, "not a JSON object"),
])
def test_graphql_errors(payload: Any, kind: type[Exception], words: str) -> None:
    with pytest.raises(kind, match=words):
        graphql_data(payload, "SeatDeskOrders")


def test_graphql_data() -> None:
    assert graphql_data({"data": {"shop": {"name": "x"}}, "extensions": {}}, "x") == {"shop": {"name": "x"}}


# -- userErrors --------------------------------------------------------------------------------------------------
def test_user_errors_are_rejected_with_shopifys_message() -> None:
    data = {"orderUpdate": {"order": None, "userErrors": [{"field": ["id"], "message": "Order does not exist"}]}}
    with pytest.raises(Rejected, match="id: Order does not exist"):
        mutation_result(data, "orderUpdate", "the note of order 1")
    two = {"tagsAdd": {"node": None, "userErrors": [{"field": None, "message": "a"}, {"message": "b"}]}}
    with pytest.raises(Rejected, match="a; b"):
        mutation_result(two, "tagsAdd", "tags")


def test_mutation_result() -> None:
    ok = {"orderUpdate": {"order": {"id": "gid://shopify/Order/1"}, "userErrors": []}}
    assert mutation_result(ok, "orderUpdate", "x") == ok["orderUpdate"]
    with pytest.raises(Temporary, match="no `orderUpdate` payload"):
        mutation_result({"orderUpdate": None}, "orderUpdate", "x")
    with pytest.raises(Temporary, match="not a list"):
        mutation_result({"orderUpdate": {"userErrors": "bad"}}, "orderUpdate", "x")
