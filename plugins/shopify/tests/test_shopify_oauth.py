"""OAuth against the fake shop: the authorize URL, the signed redirect, the code exchange for
an expiring offline token and its refresh (or a non-expiring one, which has no refresh);
the self-use paths: a pasted custom-app token, and a Dev Dashboard app's client credentials
grant (`authorize_self`); and a signed webhook delivery checked with verify_webhook."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest

from desktop.sdk import AuthExpired, PushUnavailable, Rejected, Temporary
from desktop.sdk.push import WebhookQueue
from plugins.shopify.adapter import ShopifyAdapter
from plugins.shopify.client import client_credentials_tokens, oauth_error, tokens_from
from plugins.shopify.signing import verify_callback, verify_webhook
from plugins.shopify.tests.shopify_harness import START, Harness

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


def test_code_exchange_gives_an_expiring_offline_token_with_its_refresh_token(shop: Harness) -> None:
    query = _authorize(shop)
    assert query["state"] == "st4te" and query["shop"] == shop.fake.domain
    assert verify_callback(query, shop.fake.client_secret, now=shop.clock().timestamp())
    assert not verify_callback({**query, "shop": "evil.myshopify.com"}, shop.fake.client_secret)
    tokens = shop.call(lambda a: a.exchange_code(query["code"], REDIRECT))
    assert tokens.access_token.startswith("shpat_") and tokens.access_token != shop.fake.access_token
    assert tokens.refresh_token.startswith("shprt_")
    assert tokens.expires_at == START + timedelta(hours=1)  # expires_in 3600
    assert tokens.refresh_expires_at == START + timedelta(days=90)  # refresh_token_expires_in
    assert tokens.extra == {"scope": "read_customers,read_orders,write_customers,write_orders"}
    assert shop.fake.token_grants == ["code"]
    _keep(shop, tokens.access_token, tokens.refresh_token)
    shop.fake.expire_token()  # the custom app's token is gone: the new one carries on
    shop.call(lambda a: a.check_connection())
    assert tokens.access_token not in "\n".join(shop.log.lines)
    assert tokens.refresh_token not in "\n".join(shop.log.lines)


def _keep(shop: Harness, access: str, refresh: str) -> None:
    """What the wizard / engine stores after an exchange or a refresh."""
    shop.secrets.set("access_token", access)
    shop.secrets.set("refresh_token", refresh)


def _expiring(shop: Harness) -> tuple[str, str]:
    tokens = shop.call(lambda a: a.exchange_code(_authorize(shop)["code"], REDIRECT))
    _keep(shop, tokens.access_token, tokens.refresh_token)
    return tokens.access_token, tokens.refresh_token


def test_an_expired_token_is_refreshed_and_the_new_pair_kept_at_once(shop: Harness) -> None:
    first_access, first_refresh = _expiring(shop)
    shop.clock.advance(seconds=3600)
    with pytest.raises(AuthExpired, match="HTTP 401"):
        shop.call(lambda a: a.check_connection())
    tokens = shop.call(lambda a: a.refresh_tokens())
    assert shop.fake.token_grants == ["code", "refresh_token"]
    assert tokens.access_token not in (first_access, shop.fake.access_token)
    assert tokens.refresh_token.startswith("shprt_") and tokens.refresh_token != first_refresh
    assert tokens.expires_at == START + timedelta(seconds=3600 + 3600)
    assert tokens.refresh_expires_at == START + timedelta(seconds=3600, days=90)
    # stored by the adapter itself, before the engine sees the reply
    assert shop.secrets.get("access_token") == tokens.access_token
    assert shop.secrets.get("refresh_token") == tokens.refresh_token
    shop.call(lambda a: a.check_connection())
    # the new access token was used: the refresh token it replaced is retired
    shop.secrets.set("refresh_token", first_refresh)
    with pytest.raises(AuthExpired, match="invalid_grant|refresh token is invalid"):
        shop.call(lambda a: a.refresh_tokens())
    assert first_refresh not in "\n".join(shop.log.lines)


def test_a_lost_refresh_reply_can_be_retried_with_the_old_refresh_token(shop: Harness) -> None:
    _, first_refresh = _expiring(shop)
    shop.call(lambda a: a.refresh_tokens())
    _keep(shop, "shpat_lost", first_refresh)  # the reply never reached the keyring
    tokens = shop.call(lambda a: a.refresh_tokens())
    shop.call(lambda a: a.check_connection())
    assert shop.secrets.get("access_token") == tokens.access_token


def test_only_one_expiring_token_lives_per_shop(shop: Harness) -> None:
    first_access, first_refresh = _expiring(shop)
    second_access, _ = _expiring(shop)  # authorized again: the first pair is revoked
    shop.secrets.set("access_token", first_access)
    with pytest.raises(AuthExpired):
        shop.call(lambda a: a.check_connection())
    shop.secrets.set("refresh_token", first_refresh)
    with pytest.raises(AuthExpired):
        shop.call(lambda a: a.refresh_tokens())
    shop.secrets.set("access_token", second_access)
    shop.call(lambda a: a.check_connection())


def test_refresh_failures(shop: Harness) -> None:
    _expiring(shop)
    shop.fake.fail()
    with pytest.raises(Temporary, match="HTTP 503"):
        shop.call(lambda a: a.refresh_tokens())
    refresh = shop.secrets.get("refresh_token")
    client_secret = shop.secrets.values.pop("client_secret")
    with pytest.raises(AuthExpired, match="client secret"):
        shop.call(lambda a: a.refresh_tokens())
    assert shop.fake.token_grants == ["code"]  # the outage served nothing; nothing is sent without a secret
    shop.secrets.set("client_secret", client_secret)
    shop.clock.advance(days=90)  # the refresh token's 90 days are over
    with pytest.raises(AuthExpired, match="authorize the shop again"):
        shop.call(lambda a: a.refresh_tokens())
    assert shop.secrets.get("refresh_token") == refresh  # a failed refresh stores nothing


def test_token_replies_are_read_strictly() -> None:
    now = START
    legacy = tokens_from({"access_token": "shpat_a", "scope": "read_orders"}, "x", now)
    assert (legacy.refresh_token, legacy.expires_at, legacy.extra) == ("", None, {"scope": "read_orders"})
    expiring = tokens_from({"access_token": "shpat_a", "expires_in": 3600, "refresh_token": "shprt_r"}, "x", now)
    assert expiring.expires_at == now + timedelta(hours=1) and expiring.refresh_expires_at is None
    for bad in ({"access_token": "shpat_a", "expires_in": 3600},
                {"access_token": "shpat_a", "expires_in": 0, "refresh_token": "r"},
                {"access_token": "shpat_a", "expires_in": True, "refresh_token": "r"},
                {"access_token": "shpat_a", "expires_in": 60, "refresh_token": "r", "refresh_token_expires_in": "x"},
                {"expires_in": 60, "refresh_token": "r"}, ["shpat_a"]):
        with pytest.raises(Temporary, match="malformed"):
            tokens_from(bad, "token refresh", now)


def test_with_expiring_tokens_off_the_token_does_not_expire(shop: Harness) -> None:
    query = _authorize(shop)
    tokens = shop.call(lambda a: a.exchange_code(query["code"], REDIRECT), expiring_tokens=False)
    assert (tokens.refresh_token, tokens.expires_at, tokens.refresh_expires_at) == ("", None, None)
    shop.secrets.set("access_token", tokens.access_token)
    shop.clock.advance(days=400)
    shop.call(lambda a: a.check_connection())


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


def test_non_expiring_tokens_have_no_refresh(shop: Harness) -> None:
    with pytest.raises(AuthExpired, match="do not expire and cannot be refreshed"):
        shop.call(lambda a: a.refresh_tokens())
    del shop.secrets.values["access_token"]
    with pytest.raises(AuthExpired, match="authorize the shop again"):
        shop.call(lambda a: a.refresh_tokens())
    assert shop.fake.token_grants == []  # nothing was asked of Shopify


def test_a_pasted_custom_app_token_alone_works(shop: Harness) -> None:
    """The self-use path: a custom app's Admin API access token and the shop's domain; no
    client ID or secret, no OAuth, no refresh token, nothing refreshed."""
    shop.secrets.values = {"access_token": shop.fake.access_token}
    made = shop.fake.add_orders(3)
    shop.call(lambda a: a.check_connection())
    pages, _ = shop.drain_orders()
    assert sorted(e.platform_order_id for p in pages for e in p.events) == sorted(made)
    shop.clock.advance(days=365)  # such a token does not expire
    shop.call(lambda a: a.check_connection())
    with pytest.raises(AuthExpired, match="cannot be refreshed"):
        shop.call(lambda a: a.refresh_tokens())
    assert shop.fake.token_grants == [] and shop.secrets.values == {"access_token": shop.fake.access_token}

    async def push(adapter: ShopifyAdapter) -> None:
        async for _ in adapter.push():
            pass
    shop.webhooks = WebhookQueue("https://hooks.example.test/webhooks/shop")
    with pytest.raises(PushUnavailable, match="Client secret"):
        shop.call(push)


# -- the client credentials grant (a self-use app made in the Dev Dashboard) -------------------------
SCOPE = "read_customers,read_orders,write_customers,write_orders"
DAY = timedelta(seconds=86399)  # Shopify: expires_in "Always 86399 (24 hours)"


def _self_use(shop: Harness) -> None:
    """What the wizard has before the token: the app's client id and secret, no token."""
    shop.secrets.values = {"client_id": shop.fake.client_id, "client_secret": shop.fake.client_secret}


def test_a_self_use_app_gets_a_24_hour_token_without_a_code(shop: Harness) -> None:
    _self_use(shop)
    tokens = shop.call(lambda a: a.authorize_self())
    assert tokens.access_token.startswith("shpat_") and tokens.access_token != shop.fake.access_token
    assert (tokens.refresh_token, tokens.refresh_expires_at) == ("", None)  # this grant has no refresh token
    assert tokens.expires_at == START + DAY
    assert tokens.extra == {"scope": SCOPE}
    assert shop.fake.token_grants == ["client_credentials"]
    # kept by the adapter itself, before the engine sees the reply
    assert shop.secrets.get("access_token") == tokens.access_token
    made = shop.fake.add_orders(2)
    shop.call(lambda a: a.check_connection())
    pages, _ = shop.drain_orders()
    assert sorted(e.platform_order_id for p in pages for e in p.events) == sorted(made)
    assert tokens.access_token not in "\n".join(shop.log.lines)
    assert shop.fake.client_secret not in "\n".join(shop.log.lines)


def test_the_token_expires_after_a_day_and_asking_again_gives_a_new_one(shop: Harness) -> None:
    _self_use(shop)
    first = shop.call(lambda a: a.authorize_self())
    shop.clock.advance(seconds=86398)
    shop.call(lambda a: a.check_connection())  # still good one second before its end
    shop.clock.advance(seconds=1)
    with pytest.raises(AuthExpired, match="HTTP 401"):
        shop.call(lambda a: a.check_connection())
    with pytest.raises(AuthExpired, match="no refresh token"):  # the engine asks with authorize_self instead
        shop.call(lambda a: a.refresh_tokens())
    second = shop.call(lambda a: a.authorize_self())
    assert second.access_token != first.access_token
    assert second.expires_at == START + DAY + DAY
    assert shop.secrets.get("access_token") == second.access_token
    shop.call(lambda a: a.check_connection())
    assert shop.fake.token_grants == ["client_credentials", "client_credentials"]


def test_a_refresh_token_left_from_oauth_is_cleared(shop: Harness) -> None:
    """Else the engine would go on refreshing a token the shop no longer uses, not ask again."""
    _, refresh = _expiring(shop)
    assert refresh
    tokens = shop.call(lambda a: a.authorize_self())
    assert shop.secrets.get("refresh_token") == "" and shop.secrets.get("access_token") == tokens.access_token
    shop.call(lambda a: a.check_connection())


def test_a_wrong_or_missing_client_secret_is_refused(shop: Harness) -> None:
    _self_use(shop)
    shop.secrets.set("client_secret", "shpss_wrong")
    with pytest.raises(AuthExpired, match="invalid_client: Client credentials are invalid.*client secret"):
        shop.call(lambda a: a.authorize_self())
    assert shop.secrets.get("access_token") is None  # nothing kept
    del shop.secrets.values["client_secret"]
    with pytest.raises(AuthExpired, match="client ID and client secret"):
        shop.call(lambda a: a.authorize_self())
    assert shop.fake.token_grants == []  # the fake checks the secret first; nothing is sent without one


def test_an_app_not_installed_or_of_another_organization_is_refused(shop: Harness) -> None:
    _self_use(shop)
    tokens = shop.call(lambda a: a.authorize_self())
    shop.fake.uninstall_app()  # the app's tokens die with the installation
    with pytest.raises(AuthExpired, match="HTTP 401"):
        shop.call(lambda a: a.check_connection())
    with pytest.raises(AuthExpired, match="app_not_installed: The application is not installed on this shop.*"
                                          "install the app"):
        shop.call(lambda a: a.authorize_self())
    shop.fake.app_installed, shop.fake.same_organization = True, False
    with pytest.raises(AuthExpired, match="shop_not_permitted: Client credentials cannot be performed on this "
                                          "shop.*same Shopify organization"):
        shop.call(lambda a: a.authorize_self())
    assert shop.secrets.get("access_token") == tokens.access_token  # a refusal stores nothing


def test_client_credentials_failures_that_are_not_refusals(shop: Harness) -> None:
    _self_use(shop)
    shop.fake.fail()
    with pytest.raises(Temporary, match="HTTP 503"):
        shop.call(lambda a: a.authorize_self())
    with pytest.raises(Rejected, match="HTTP 404.*shop_domain"):  # an address where no shop answers
        shop.call(lambda a: a.authorize_self(), base_url=shop.fake.url + "/no-shop")
    with pytest.raises(Rejected, match="shop_domain"):
        shop.call(lambda a: a.authorize_self(), shop_domain="https://example.com/store")
    assert shop.secrets.get("access_token") is None
    assert shop.call(lambda a: a.authorize_self()).access_token  # the outage is over


def test_client_credentials_replies_are_read_strictly() -> None:
    tokens = client_credentials_tokens({"access_token": "shpat_a", "scope": "read_orders", "expires_in": 86399},
                                       "x", START)
    assert (tokens.refresh_token, tokens.expires_at, tokens.extra) == ("", START + DAY, {"scope": "read_orders"})
    for bad in ({"access_token": "shpat_a", "scope": "read_orders"}, {"access_token": "shpat_a", "expires_in": 0},
                {"expires_in": 86399}, {"access_token": "", "expires_in": 86399}, "shpat_a"):
        with pytest.raises(Temporary, match="malformed"):
            client_credentials_tokens(bad, "client credentials grant", START)


def test_oauth_errors_in_both_of_shopifys_forms() -> None:
    assert oauth_error(b'{"error":"app_not_installed","error_description":"The application is not installed '
                       b'on this shop."}') == ("app_not_installed",
                                               "app_not_installed: The application is not installed on this shop.")
    text = b"Oauth error shop_not_permitted: Client credentials cannot be performed on this shop."
    assert oauth_error(text) == ("shop_not_permitted", text.decode())
    assert oauth_error(b'{"errors":"[API] Invalid API key or access token"}') == (
        "", "[API] Invalid API key or access token")
    assert oauth_error(b"<html>Bad Request</html>")[0] == ""


def test_a_webhook_delivery_verifies_with_the_client_secret(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    headers, body = shop.fake.webhook("orders/updated", order)
    assert headers["X-Shopify-Topic"] == "orders/updated" and headers["X-Shopify-Shop-Domain"] == shop.fake.domain
    assert verify_webhook(body, headers["X-Shopify-Hmac-SHA256"], shop.fake.client_secret)
    assert not verify_webhook(body + b" ", headers["X-Shopify-Hmac-SHA256"], shop.fake.client_secret)
