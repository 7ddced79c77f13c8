"""The fake site itself speaks the wire protocol of §7/§10: Basic or query auth, WordPress's error
envelope, the list filters and paging headers, and notes that behave as WooCommerce's do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from plugins.woocommerce.tests.woocommerce_harness import START, Clock

from plugins.woocommerce.fake import WooCommerceFake


@pytest.fixture
def site(wc_fake: WooCommerceFake) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=wc_fake.url + "/wp-json/wc/v3",
                      auth=(wc_fake.consumer_key, wc_fake.consumer_secret)) as client:
        yield client


def error(response: httpx.Response) -> tuple[int, str, str]:
    body: dict[str, Any] = response.json()
    assert body["data"]["status"] == response.status_code
    return response.status_code, body["code"], body["message"]


def test_paging_headers_and_links(site: httpx.Client, wc_fake: WooCommerceFake) -> None:
    wc_fake.add_orders(23)
    first = site.get("/orders", params={"per_page": 10})
    assert first.headers["X-WP-Total"] == "23" and first.headers["X-WP-TotalPages"] == "3"
    assert len(first.json()) == 10 and 'rel="next"' in first.headers["Link"]
    last = site.get("/orders", params={"per_page": 10, "page": 3})
    assert len(last.json()) == 3 and 'rel="prev"' in last.headers["Link"] and 'rel="next"' not in last.headers["Link"]
    assert len(site.get("/orders").json()) == 10, "per_page defaults to 10"


@pytest.mark.parametrize(("params", "name"), [
    ({"per_page": 101}, "per_page"), ({"per_page": 0}, "per_page"), ({"page": 0}, "page"),
    ({"orderby": "date_modified"}, "orderby"), ({"order": "up"}, "order"),
    ({"modified_after": "2024-05-01"}, "modified_after"), ({"dates_are_gmt": "yes"}, "dates_are_gmt"),
    ({"status": "shipped"}, "status"), ({"exclude": "1,x"}, "exclude"),
])
def test_invalid_list_parameters(site: httpx.Client, params: dict[str, object], name: str) -> None:
    response = site.get("/orders", params=params)  # type: ignore[arg-type]
    assert error(response) == (400, "rest_invalid_param", f"Invalid parameter(s): {name}")
    assert name in response.json()["data"]["params"]


def test_modified_filters_are_exclusive_and_sorted_with_the_id(site: httpx.Client, wc_fake: WooCommerceFake,
                                                               clock: Clock) -> None:
    clock.now = START - timedelta(seconds=10)
    early = wc_fake.add_orders(2)
    clock.now = START
    late = wc_fake.add_orders(3)
    gmt = {"dates_are_gmt": "true", "orderby": "modified", "order": "asc"}
    listed = site.get("/orders", params={**gmt, "modified_after": "2024-05-01T01:59:50"}).json()
    assert [str(o["id"]) for o in listed] == late, "`after` the very second of the early ones leaves them out"
    both = site.get("/orders", params={**gmt, "modified_after": "2024-05-01T01:59:49"}).json()
    assert [str(o["id"]) for o in both] == early + late
    before = site.get("/orders", params={**gmt, "modified_before": "2024-05-01T02:00:00"}).json()
    assert [str(o["id"]) for o in before] == early
    local = site.get("/orders", params={"orderby": "modified", "modified_after": "2024-05-01T09:59:55"}).json()
    assert sorted(str(o["id"]) for o in local) == late, "without dates_are_gmt the site's time (UTC+8) is compared"
    excluded = site.get("/orders", params={**gmt, "exclude": ",".join(late[:2])}).json()
    assert [str(o["id"]) for o in excluded] == early + late[2:]
    php_style = site.get("/orders", params={**gmt, "exclude[]": late[:2]}).json()
    assert php_style == excluded


def test_authentication(wc_fake: WooCommerceFake) -> None:
    url = wc_fake.url + "/wp-json/wc/v3/orders"
    with httpx.Client() as client:
        assert error(client.get(url)) == (401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        assert error(client.get(url, auth=("ck_nope", "cs_nope")))[1:] == (
            "woocommerce_rest_authentication_error", "Consumer key is invalid.")
        assert error(client.get(url, auth=(wc_fake.consumer_key, "cs_nope")))[2] == "Consumer secret is invalid."
        query = {"consumer_key": wc_fake.consumer_key, "consumer_secret": wc_fake.consumer_secret}
        assert client.get(url, params=query).status_code == 200
        wc_fake.set_key_permissions("read")
        order_id = wc_fake.add_orders(1)[0]
        posted = client.post(f"{url}/{order_id}/notes", params=query, json={"note": "x"})
        assert error(posted)[2] == "The API key provided does not have write permissions."
        assert error(client.get(wc_fake.url + "/wp-json/wc/v3/nothing", params=query))[1] == "rest_no_route"


def test_notes_behave_as_woocommerces(site: httpx.Client, wc_fake: WooCommerceFake, clock: Clock) -> None:
    order_id = wc_fake.add_orders(1)[0]
    modified = site.get(f"/orders/{order_id}").json()["date_modified_gmt"]
    clock.advance(seconds=5)
    made = site.post(f"/orders/{order_id}/notes", json={"note": "已核实 C:\\单号", "added_by_user": True})
    assert made.status_code == 201 and made.headers["Location"].endswith(f"/notes/{made.json()['id']}")
    assert made.json()["customer_note"] is False and made.json()["note"] == "已核实 C:单号", "unslashed"
    assert site.get(f"/orders/{order_id}").json()["date_modified_gmt"] == modified, "a note is not an order edit"
    clock.advance(seconds=5)
    site.post(f"/orders/{order_id}/notes", json={"note": "您的包裹已发出", "customer_note": True})
    assert wc_fake.shop.emails == [(int(order_id), "您的包裹已发出")], "a customer note is mailed to the buyer"
    everything = site.get(f"/orders/{order_id}/notes").json()
    assert everything[0]["note"] == "您的包裹已发出", "newest first"
    internal = site.get(f"/orders/{order_id}/notes", params={"type": "internal"}).json()
    assert all(n["customer_note"] is False for n in internal) and {n["author"] for n in internal} >= {"system"}
    assert wc_fake.memo(order_id) == ("已核实 C:单号", None)
    wc_fake.touch_order(order_id)
    assert site.get(f"/orders/{order_id}/notes").json()[0]["author"] == "system"
    assert wc_fake.memo(order_id) == ("已核实 C:单号", None), "the system's status note is not the memo"
    assert error(site.post("/orders/99999/notes", json={"note": "x"}))[1] == "woocommerce_rest_order_invalid_id"
    assert error(site.post(f"/orders/{order_id}/notes", json={}))[1] == "rest_missing_callback_param"
    assert error(site.get("/orders/99999"))[1] == "woocommerce_rest_shop_order_invalid_id"


def test_seeded_orders_look_like_a_chinese_shop(site: httpx.Client, wc_fake: WooCommerceFake) -> None:
    wc_fake.add_orders(60)
    orders = site.get("/orders", params={"per_page": 100}).json()
    statuses = {o["status"] for o in orders}
    assert {"processing", "completed", "pending", "refunded"} <= statuses
    assert all(o["currency"] == "CNY" and o["billing"]["country"] == "CN" for o in orders)
    assert any(o["refunds"] for o in orders if o["status"] == "completed"), "partial refunds too"
    assert any(o["customer_id"] == 0 for o in orders) and any(o["customer_id"] > 0 for o in orders)


def test_the_switches(site: httpx.Client, wc_fake: WooCommerceFake) -> None:
    wc_fake.limit_calls(1)
    limited = site.get("/orders")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "30"
    wc_fake.fail(1)
    assert error(site.get("/orders"))[:2] == (500, "internal_server_error")
    wc_fake.garble(1)
    with pytest.raises(ValueError):
        site.get("/orders").json()
    assert site.get("/orders").status_code == 200
    with pytest.raises(NotImplementedError):
        wc_fake.add_messages(1)
