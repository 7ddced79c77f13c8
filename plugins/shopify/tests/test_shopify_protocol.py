"""Where the adapter calls and what it sends: shop domain, origin, version, ids, the search
query, and the orders query's cost against Shopify's single-query limit."""

from __future__ import annotations

import pytest

from desktop.sdk import Rejected
from plugins.shopify.fake_graphql import parse, requested_cost
from plugins.shopify.protocol import (
    PAGE_SIZE_MAX,
    QUERY_MAX_COST,
    admin_origin,
    api_version,
    gid,
    graphql_url,
    legacy_id,
    orders_query,
    shop_domain,
    updated_between,
)


@pytest.mark.parametrize(("value", "domain"), [
    ("silk-and-tea.myshopify.com", "silk-and-tea.myshopify.com"),
    ("Silk-And-Tea", "silk-and-tea.myshopify.com"),
    ("https://silk-and-tea.myshopify.com/admin/orders", "silk-and-tea.myshopify.com"),
    (" silk-and-tea.myshopify.com:443 ", "silk-and-tea.myshopify.com"),
])
def test_shop_domain(value: str, domain: str) -> None:
    assert shop_domain({"shop_domain": value}) == domain


@pytest.mark.parametrize("value", ["www.silk-and-tea.com", "silk-and-tea.myshopify.com.evil.net", "-bad", "a b"])
def test_shop_domain_must_be_myshopify(value: str) -> None:
    with pytest.raises(Rejected, match="myshopify.com"):
        shop_domain({"shop_domain": value})


def test_shop_domain_falls_back_to_the_platform_shop_id() -> None:
    assert shop_domain({}, "silk-and-tea.myshopify.com") == "silk-and-tea.myshopify.com"
    with pytest.raises(Rejected, match="not set"):
        shop_domain({})


def test_origin_version_and_url() -> None:
    settings: dict[str, object] = {"shop_domain": "silk-and-tea"}
    assert admin_origin(settings) == "https://silk-and-tea.myshopify.com"
    assert graphql_url(settings) == "https://silk-and-tea.myshopify.com/admin/api/2026-07/graphql.json"
    assert graphql_url({**settings, "api_version": "2026-10", "base_url": "http://127.0.0.1:9/gw/"}) == \
        "http://127.0.0.1:9/gw/admin/api/2026-10/graphql.json"
    for bad in ("2026-05", "latest", "2026-7"):
        with pytest.raises(Rejected, match="api_version"):
            api_version({"api_version": bad})
    with pytest.raises(Rejected, match="base_url"):
        admin_origin({"base_url": "ftp://x"})


def test_ids() -> None:
    assert gid("Order", "123") == "gid://shopify/Order/123"
    assert gid("Order", "gid://shopify/Order/123") == "gid://shopify/Order/123"
    with pytest.raises(Rejected):
        gid("Order", "#1001")
    with pytest.raises(Rejected):
        gid("Customer", "gid://shopify/Order/123")
    assert legacy_id("gid://shopify/Customer/99", "Customer") == "99"
    assert legacy_id("gid://shopify/Customer/99", "Order") is None
    assert legacy_id("gid://shopify/Order/x", "Order") is None


def test_search_query_is_quoted_utc_iso() -> None:
    assert updated_between(1793606400, 1793610000) == \
        "updated_at:>='2026-11-02T08:00:00Z' AND updated_at:<='2026-11-02T09:00:00Z'"


@pytest.mark.parametrize("details", [True, False])
def test_orders_query_stays_under_the_single_query_cost_limit(details: bool) -> None:
    op = parse(orders_query(details))
    assert op.name == "SeatDeskOrders"
    assert op.variables == {"first": "Int!", "after": "String", "query": "String!"}
    assert requested_cost(op.fields, {"first": PAGE_SIZE_MAX}) <= QUERY_MAX_COST
    assert requested_cost(op.fields, {"first": PAGE_SIZE_MAX + 3}) > QUERY_MAX_COST  # the limit is tight, not loose


def test_orders_query_asks_no_more_customer_data_than_needed() -> None:
    text = orders_query(True)
    for field in ("email", "phone", "address1", "firstName", "lastName", "billingAddress"):
        assert field not in text
    assert "displayName" not in orders_query(False) and "shippingAddress" not in orders_query(False)
