"""OAuth per spec §5.4 against the fake's token endpoints: authorize URL, code exchange, refresh."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from plugins.jd.tests.jd_harness import START, Harness

from desktop.sdk import AuthExpired, Rejected, Tokens
from plugins.jd.adapter import JdAdapter
from plugins.jd.fake import TOKEN_LIFETIME_S, JdFake


def test_authorize_url_carries_what_jd_needs(jd_fake: JdFake) -> None:
    url = JdAdapter.authorize_url(jd_fake.settings(), {"app_key": jd_fake.app_key},
                                  "https://seatdesk.example/cb", "st4te")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == jd_fake.url and parts.path == "/oauth2/to_login"
    query = parse_qs(parts.query)
    assert query == {"app_key": [jd_fake.app_key], "response_type": ["code"],
                     "redirect_uri": ["https://seatdesk.example/cb"], "state": ["st4te"], "scope": ["snsapi_base"]}
    default = JdAdapter.authorize_url({}, {"app_key": "k"}, "urn:ietf:wg:oauth:2.0:oob", "s")
    assert default.startswith("https://open-oauth.jd.com/oauth2/to_login?")
    with pytest.raises(Rejected):
        JdAdapter.authorize_url({}, {}, "x", "s")


def test_the_seller_agrees_and_the_code_becomes_tokens(jd: Harness, jd_fake: JdFake) -> None:
    url = JdAdapter.authorize_url(jd_fake.settings(), jd.secrets.values, "https://seatdesk.example/cb", "s1")
    redirect = httpx.get(url).headers["Location"]
    query = parse_qs(urlsplit(redirect).query)
    assert query["state"] == ["s1"]
    jd.secrets.values.pop("access_token")
    jd.secrets.values.pop("refresh_token")
    tokens: Tokens = jd.call(lambda a: a.exchange_code(query["code"][0], "https://seatdesk.example/cb"))
    assert tokens.access_token == jd_fake.access_token and tokens.refresh_token == jd_fake.refresh_token
    assert tokens.expires_at == START + timedelta(seconds=TOKEN_LIFETIME_S)
    assert tokens.extra["open_id"] and tokens.extra["scope"] == "snsapi_base"
    jd.secrets.set("access_token", tokens.access_token)
    jd.call(lambda a: a.check_connection())


def test_a_used_or_wrong_code_is_rejected(jd: Harness, jd_fake: JdFake) -> None:
    code = jd_fake.issue_code()
    jd.call(lambda a: a.exchange_code(code, "x"))
    with pytest.raises(Rejected, match="invalid or used code"):
        jd.call(lambda a: a.exchange_code(code, "x"))


def test_refresh_rotates_and_stores_the_tokens(jd: Harness, jd_fake: JdFake) -> None:
    old_access, old_refresh = jd.secrets.values["access_token"], jd.secrets.values["refresh_token"]
    tokens: Tokens = jd.call(lambda a: a.refresh_tokens())
    assert tokens.access_token != old_access and tokens.refresh_token != old_refresh
    assert jd.secrets.values["access_token"] == tokens.access_token
    assert jd.secrets.values["refresh_token"] == tokens.refresh_token
    assert jd.secrets.values["open_id"] == tokens.extra["open_id"]
    jd.call(lambda a: a.check_connection())
    jd.secrets.set("refresh_token", old_refresh)  # used up by the rotation
    with pytest.raises(AuthExpired, match="invalid refresh_token"):
        jd.call(lambda a: a.refresh_tokens())


def test_refresh_without_a_refresh_token_needs_login(jd: Harness) -> None:
    jd.secrets.values.pop("refresh_token")
    with pytest.raises(AuthExpired):
        jd.call(lambda a: a.refresh_tokens())


def test_a_wrong_app_secret_at_the_token_endpoint(jd: Harness) -> None:
    jd.secrets.set("app_secret", "wrong")
    with pytest.raises(AuthExpired, match="invalid app_key or app_secret"):
        jd.call(lambda a: a.refresh_tokens())
