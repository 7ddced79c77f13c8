"""The fake Shopify is strict where the real one is: token header, versioned path, declared
and given variables, known fields, quoted search dates, connection sizes, cost and paging."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from plugins.shopify.fake import ShopifyFake
from plugins.shopify.fake_graphql import GraphQLError, parse
from plugins.shopify.protocol import ORDER_NOTE_MUTATION, SHOP_QUERY, order_query, orders_query
from plugins.shopify.tests.shopify_harness import Clock

ORDERS = orders_query(True)
WINDOW = "updated_at:>='2026-10-01T00:00:00Z' AND updated_at:<='2026-11-30T00:00:00Z'"


def post(fake: ShopifyFake, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None,
         version: str = "2026-07") -> httpx.Response:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return httpx.post(f"{fake.url}/admin/api/{version}/graphql.json", json=body,
                      headers={"X-Shopify-Access-Token": token or fake.access_token})


def error(answer: httpx.Response) -> str:
    """The first GraphQL error: its message, code and any other extensions, as one text."""
    assert answer.status_code == 200
    first = answer.json()["errors"][0]
    extensions = first.get("extensions", {})
    return f"{first['message']} {extensions.get('code')} {json.dumps(extensions, ensure_ascii=False)}"


def test_the_token_and_the_versioned_path(shopify_fake: ShopifyFake) -> None:
    answer = post(shopify_fake, SHOP_QUERY, token="shpat_nope")
    assert answer.status_code == 401 and "Invalid API key or access token" in answer.json()["errors"]
    assert post(shopify_fake, SHOP_QUERY, version="latest").status_code == 404
    old = post(shopify_fake, SHOP_QUERY, version="2023-04")
    assert old.status_code == 200 and old.headers["X-Shopify-API-Version"] == "2025-10"
    good = post(shopify_fake, SHOP_QUERY)
    assert good.headers["X-Shopify-API-Version"] == "2026-07"
    assert good.json()["data"]["shop"]["myshopifyDomain"] == shopify_fake.domain
    cost = good.json()["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1 and cost["throttleStatus"]["maximumAvailable"] == 2000.0


@pytest.mark.parametrize(("variables", "words"), [
    ({"after": None, "query": WINDOW}, "Variable $first of type Int! was provided invalid value"),
    ({"first": "10", "after": None, "query": WINDOW}, "Could not coerce"),
    ({"first": 10, "after": None}, "Variable $query of type String!"),
    ({"first": 251, "after": None, "query": WINDOW}, "between 0 and 250"),
    ({"first": 10, "after": "bm9wZQ==", "query": WINDOW}, "Invalid cursor"),
    ({"first": 10, "query": "updated_at:>=2026-10-01T00:00:00Z"}, "must be quoted"),
    ({"first": 10, "query": "status:open"}, "not served"),
    ({"first": 10, "query": "updated_at:>'2026-10-01' OR created_at:<'2026-10-02'"}, "only AND"),
])
def test_orders_variables_are_checked(shopify_fake: ShopifyFake, variables: dict[str, Any], words: str) -> None:
    assert words in error(post(shopify_fake, ORDERS, variables))


def test_declarations_fields_and_operations_are_checked(shopify_fake: ShopifyFake) -> None:
    shopify_fake.add_orders(1)
    loose = ORDERS.replace("$query: String!", "$query: String")
    assert "must declare" in error(post(shopify_fake, loose, {"first": 1, "query": WINDOW}))
    unknown = ORDERS.replace("returnStatus", "returnState")
    assert "Field 'returnState' doesn't exist on type 'Order' undefinedField" in error(
        post(shopify_fake, unknown, {"first": 1, "query": WINDOW}))
    bare = ORDERS.replace("totalPriceSet { shopMoney { amount currencyCode } }", "totalPriceSet")
    assert "must have selections" in error(post(shopify_fake, bare, {"first": 1, "query": WINDOW}))
    assert "not served" in error(post(shopify_fake, "query Other { shop { name } }"))
    assert "named" in error(post(shopify_fake, "{ shop { name } }"))
    no_first = ORDERS.replace("lineItems(first: 10)", "lineItems")
    assert "first or last" in error(post(shopify_fake, no_first, {"first": 1, "query": WINDOW}))
    extra_key = {"input": {"id": "gid://shopify/Order/1", "note": "x", "flag": 1}}
    assert "Field is not defined on OrderInput" in error(post(shopify_fake, ORDER_NOTE_MUTATION, extra_key))


def test_paging_by_updated_at_with_cursors(clock: Clock) -> None:
    with ShopifyFake(clock=clock) as fake:
        made = []
        for _ in range(3):
            made += fake.add_orders(2)
            clock.advance(seconds=5)
        fake.touch_order(made[0])  # now the most recently updated
        seen, after = [], None
        while True:
            data = post(fake, ORDERS, {"first": 4, "after": after, "query": WINDOW}).json()["data"]["orders"]
            seen += [n["id"].rsplit("/", 1)[1] for n in data["nodes"]]
            if not data["pageInfo"]["hasNextPage"]:
                break
            after = data["pageInfo"]["endCursor"]
        assert seen == made[1:] + made[:1]
        narrow = "updated_at:>='2026-11-02T08:00:05Z' AND updated_at:<'2026-11-02T08:00:10Z'"
        data = post(fake, ORDERS, {"first": 10, "after": None, "query": narrow}).json()["data"]["orders"]
        assert [n["id"].rsplit("/", 1)[1] for n in data["nodes"]] == made[2:4]


def test_cost_and_throttling(clock: Clock) -> None:
    with ShopifyFake(clock=clock, bucket=(1000.0, 50.0)) as fake:
        fake.add_orders(3)
        answer = post(fake, ORDERS, {"first": 15, "after": None, "query": WINDOW}).json()
        cost = answer["extensions"]["cost"]
        assert cost["requestedQueryCost"] == 2 + 15 * 57 and cost["actualQueryCost"] < cost["requestedQueryCost"]
        assert cost["throttleStatus"]["currentlyAvailable"] == 1000 - cost["actualQueryCost"]
        fake.bucket.available = 10.0
        throttled = post(fake, ORDERS, {"first": 15, "after": None, "query": WINDOW}).json()
        assert throttled["errors"][0]["extensions"]["code"] == "THROTTLED" and "data" not in throttled
        assert throttled["extensions"]["cost"]["actualQueryCost"] is None
        clock.advance(seconds=20)  # 10 + 20 × 50 ≥ 857
        assert "data" in post(fake, ORDERS, {"first": 15, "after": None, "query": WINDOW}).json()
        costly = ORDERS.replace("lineItems(first: 10)", "lineItems(first: 100)")
        assert "MAX_COST_EXCEEDED" in error(post(fake, costly, {"first": 15, "after": None, "query": WINDOW}))


def test_the_parser_refuses_what_it_does_not_serve() -> None:
    for document in ("query Q { ...F }", "query Q($a: Int = 1) { shop { name } }", "query Q { shop { name } } extra",
                     "query Q { shop { name }", "query Q { }", "query Q { shop @skip(if: true) { name } }"):
        with pytest.raises(GraphQLError):
            parse(document)
    op = parse('query Q($id: ID!) { a: node(id: $id, n: [1, 2.5, "x", {k: V}], f: false) { id } }')
    assert (op.fields[0].alias, op.fields[0].name, op.variables) == ("a", "node", {"id": "ID!"})


def test_one_order_by_its_gid(shopify_fake: ShopifyFake) -> None:
    order = shopify_fake.add_orders(1)[0]
    found = post(shopify_fake, order_query(True), {"id": f"gid://shopify/Order/{order}"}).json()
    assert found["data"]["order"]["id"] == f"gid://shopify/Order/{order}"
    assert found["extensions"]["cost"]["requestedQueryCost"] < 100
    assert post(shopify_fake, order_query(True), {"id": "gid://shopify/Order/1"}).json()["data"] == {"order": None}
    assert "Invalid global id" in error(post(shopify_fake, order_query(True), {"id": order}))
    shopify_fake.protected_data_approved = False
    assert "not approved to access the displayName" in error(
        post(shopify_fake, order_query(True), {"id": f"gid://shopify/Order/{order}"}))
