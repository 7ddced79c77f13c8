"""OAuth against the fake shop: the authorize URL, the signed redirect, the code exchange,
no refresh for offline tokens; and a signed webhook delivery checked with verify_webhook."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest

from desktop.sdk import AuthExpired, Rejected, Temporary
from plugins.shopify.adapter import ShopifyAdapter
from plugins.shopify.signing import verify_callback, verify_webhook
from plugins.shopify.tests.shopify_harness import Harness

REDIRECT = "https://seatdesk.example/oauth/callback"


def test_authorize_url_on_the_shop_domain() -> None:
    url = ShopifyAdapter.authorize_url({"shop_domain": "silk-and-tea"}, {"client_id": "abc123"}, REDIRECT, "st4te")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "silk-and-tea.myshopify.com", "/admin/oauth/authorize")
    assert parse_qs(parts.query) == {"client_id": ["abc123"], "redirect_uri": [REDIRECT], "state": ["st4te"],
                                     "scope": ["read_orders,write_orders,read_customers,write_customers"]}
    with pytest.raises(Rejected, match="client ID"):
        ShopifyAdapter.authorize_url({"shop_domain": "silk-and-tea"}, {}, REDIRECT, "s")
    with pytest.raises(Rejected, match="shop_domain"):
        ShopifyAdapter.authorize_url({}, {"client_id": "abc123"}, REDIRECT, "s")


def _authorize(shop: Harness) -> dict[str, str]:
    """The merchant approves: the fake redirects to REDIRECT with the signed query."""
    url = ShopifyAdapter.authorize_url(shop.fake.settings(), shop.fake.secrets(), REDIRECT, "st4te")
    answer = httpx.get(url, follow_redirects=False)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    return dict(parse_qsl(urlsplit(location).query))


def test_code_exchange_gives_an_offline_token_that_works(shop: Harness) -> None:
    query = _authorize(shop)
    assert query["state"] == "st4te" and query["shop"] == shop.fake.domain
    assert verify_callback(query, shop.fake.client_secret, now=shop.clock().timestamp())
    assert not verify_callback({**query, "shop": "evil.myshopify.com"}, shop.fake.client_secret)
    tokens = shop.call(lambda a: a.exchange_code(query["code"], REDIRECT))
    assert tokens.access_token.startswith("shpat_") and tokens.access_token != shop.fake.access_token
    assert (tokens.refresh_token, tokens.expires_at, tokens.refresh_expires_at) == ("", None, None)
    assert tokens.extra == {"scope": "read_customers,read_orders,write_customers,write_orders"}
    shop.secrets.set("access_token", tokens.access_token)
    shop.fake.expire_token()  # the old token is gone: the new one carries on
    shop.call(lambda a: a.check_connection())
    assert tokens.access_token not in "\n".join(shop.log.lines)


def test_a_used_or_wrong_code_is_refused(shop: Harness) -> None:
    code = _authorize(shop)["code"]
    shop.call(lambda a: a.exchange_code(code, REDIRECT))
    with pytest.raises(Rejected, match="already used"):
        shop.call(lambda a: a.exchange_code(code, REDIRECT))
    with pytest.raises(Rejected, match="empty"):
        shop.call(lambda a: a.exchange_code("  ", REDIRECT))
    shop.secrets.set("client_secret", "shpss_wrong")
    with pytest.raises(Rejected, match="Client credentials are invalid"):
        shop.call(lambda a: a.exchange_code(_authorize(shop)["code"], REDIRECT))
    del shop.secrets.values["client_secret"]
    with pytest.raises(Rejected, match="client secret"):
        shop.call(lambda a: a.exchange_code("abc", REDIRECT))


def test_an_outage_during_the_exchange_is_temporary(shop: Harness) -> None:
    query = _authorize(shop)
    shop.fake.fail()
    with pytest.raises(Temporary, match="HTTP 503"):
        shop.call(lambda a: a.exchange_code(query["code"], REDIRECT))
    assert shop.call(lambda a: a.exchange_code(query["code"], REDIRECT)).access_token  # the code still works


def test_offline_tokens_have_no_refresh(shop: Harness) -> None:
    with pytest.raises(AuthExpired, match="do not expire and cannot be refreshed"):
        shop.call(lambda a: a.refresh_tokens())
    del shop.secrets.values["access_token"]
    with pytest.raises(AuthExpired, match="authorize the shop again"):
        shop.call(lambda a: a.refresh_tokens())


def test_a_webhook_delivery_verifies_with_the_client_secret(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    headers, body = shop.fake.webhook("orders/updated", order)
    assert headers["X-Shopify-Topic"] == "orders/updated" and headers["X-Shopify-Shop-Domain"] == shop.fake.domain
    assert verify_webhook(body, headers["X-Shopify-Hmac-SHA256"], shop.fake.client_secret)
    assert not verify_webhook(body + b" ", headers["X-Shopify-Hmac-SHA256"], shop.fake.client_secret)
