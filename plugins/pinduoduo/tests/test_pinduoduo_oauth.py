"""OAuth (§3.4): the authorisation URL, code exchange and token refresh against the fake."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from desktop.sdk import AuthExpired, Rejected, Tokens
from desktop.sdk.testing import run
from plugins.pinduoduo.adapter import PinduoduoAdapter
from plugins.pinduoduo.fake import ManualClock, MemorySecrets, PinduoduoFake

T = TypeVar("T")
T0 = 1_714_528_800


def use(fake: PinduoduoFake, fn: Callable[[PinduoduoAdapter], Awaitable[T]], secrets: MemorySecrets,
        shop_id: str | None = None) -> T:
    async def go() -> T:
        async with httpx.AsyncClient(timeout=5) as http:
            ctx = fake.context(http, secrets=secrets)
            if shop_id is not None:
                ctx.platform_shop_id = shop_id
            return await fn(PinduoduoAdapter(ctx))
    return run(go())


def app_only(fake: PinduoduoFake) -> MemorySecrets:
    """What the wizard holds before the OAuth step: the app's credentials only."""
    return MemorySecrets({"client_id": fake.client_id, "client_secret": fake.client_secret})


# -- the authorisation page ----------------------------------------------------------------------
def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_merchant_web_page_by_default() -> None:
    url = PinduoduoAdapter.authorize_url({}, {"client_id": "cid", "client_secret": "never-in-url"},
                                         "https://seatdesk.example/cb?x=1", "st4te")
    assert url.startswith("https://fuwu.pinduoduo.com/service-market/auth?")
    assert query(url) == {"response_type": ["code"], "client_id": ["cid"],
                          "redirect_uri": ["https://seatdesk.example/cb?x=1"], "state": ["st4te"], "view": ["web"]}
    assert "never-in-url" not in url


def test_the_mobile_page_and_a_page_with_its_own_query() -> None:
    h5 = PinduoduoAdapter.authorize_url({"auth_url": "https://mai.pinduoduo.com/h5-login.html"},
                                        {"client_id": "cid"}, "urn:ietf:wg:oauth:2.0:oob", "s")
    assert h5.startswith("https://mai.pinduoduo.com/h5-login.html?") and query(h5)["view"] == ["h5"]
    own = PinduoduoAdapter.authorize_url({"auth_url": "https://auth.test/page?from=seatdesk"},
                                         {"client_id": "cid"}, "urn:x", "s")
    assert own.startswith("https://auth.test/page?from=seatdesk&response_type=code")


def test_no_client_id_no_page() -> None:
    with pytest.raises(Rejected, match="client_id"):
        PinduoduoAdapter.authorize_url({}, {}, "urn:x", "s")


# -- exchange -------------------------------------------------------------------------------------
def test_a_code_becomes_tokens(fake: PinduoduoFake) -> None:
    old = fake.access_token
    secrets = app_only(fake)
    tokens: Tokens = use(fake, lambda a: a.exchange_code(fake.issue_code(), "urn:ietf:wg:oauth:2.0:oob"), secrets)
    assert tokens.access_token == fake.access_token != old
    assert tokens.refresh_token == fake.refresh_token
    assert tokens.expires_at == datetime.fromtimestamp(fake.grant_expires_at, UTC)
    assert tokens.refresh_expires_at is not None and tokens.refresh_expires_at > tokens.expires_at
    assert tokens.extra["owner_id"] == fake.platform_shop_id and tokens.extra["owner_name"]
    assert secrets.values["access_token"] == tokens.access_token  # usable at once
    assert secrets.values["refresh_token"] == tokens.refresh_token
    use(fake, lambda a: a.check_connection(), secrets)
    [create] = [c for c in fake.calls if c["type"] == "pdd.pop.auth.token.create"]
    assert "access_token" not in create and create["code"]


def test_re_authorising_invalidates_the_old_token(fake: PinduoduoFake) -> None:
    before = MemorySecrets(fake.secrets())
    use(fake, lambda a: a.exchange_code(fake.issue_code(), "urn:x"), app_only(fake))
    with pytest.raises(AuthExpired):
        use(fake, lambda a: a.check_connection(), before)


def test_a_code_works_once(fake: PinduoduoFake) -> None:
    code = fake.issue_code()
    use(fake, lambda a: a.exchange_code(code, "urn:x"), app_only(fake))
    with pytest.raises(Rejected, match="code"):
        use(fake, lambda a: a.exchange_code(code, "urn:x"), app_only(fake))


def test_a_code_lives_ten_minutes(fake: PinduoduoFake, clock: ManualClock) -> None:
    code = fake.issue_code()
    clock.advance(601)
    with pytest.raises(Rejected, match="code"):
        use(fake, lambda a: a.exchange_code(code, "urn:x"), app_only(fake))


def test_authorising_another_shop_is_refused(fake: PinduoduoFake) -> None:
    with pytest.raises(Rejected, match="另一个店铺"):
        use(fake, lambda a: a.exchange_code(fake.issue_code(), "urn:x"), app_only(fake), shop_id="100000001")


def test_a_wrong_app_secret_cannot_exchange(fake: PinduoduoFake) -> None:
    secrets = MemorySecrets({"client_id": fake.client_id, "client_secret": "not-it"})
    with pytest.raises(AuthExpired, match="20004"):
        use(fake, lambda a: a.exchange_code(fake.issue_code(), "urn:x"), secrets)


# -- refresh ------------------------------------------------------------------------------------------
def test_refresh_replaces_an_expired_token(fake: PinduoduoFake) -> None:
    secrets = MemorySecrets(fake.secrets())
    fake.expire_token()
    with pytest.raises(AuthExpired):
        use(fake, lambda a: a.check_connection(), secrets)
    tokens: Tokens = use(fake, lambda a: a.refresh_tokens(), secrets)
    assert secrets.values["access_token"] == tokens.access_token == fake.access_token
    # refresh does not extend the grant (§3.4): the expiry is the authorisation's
    assert tokens.expires_at == datetime.fromtimestamp(fake.grant_expires_at, UTC)
    use(fake, lambda a: a.check_connection(), secrets)
    [refresh] = [c for c in fake.calls if c["type"] == "pdd.pop.auth.token.refresh"]
    assert "access_token" not in refresh


@pytest.mark.parametrize("change", [{"refresh_token": "rt-unknown"}, {"refresh_token": ""}])
def test_a_refused_or_missing_refresh_token_needs_a_new_login(fake: PinduoduoFake, change: dict[str, Any]) -> None:
    secrets = MemorySecrets({**fake.secrets(), **change})
    with pytest.raises(AuthExpired):
        use(fake, lambda a: a.refresh_tokens(), secrets)


def test_tokens_never_reach_the_log(fake: PinduoduoFake, caplog: pytest.LogCaptureFixture) -> None:
    secrets = app_only(fake)
    with caplog.at_level("DEBUG"):
        use(fake, lambda a: a.exchange_code(fake.issue_code(), "urn:x"), secrets)
        use(fake, lambda a: a.refresh_tokens(), secrets)
    for value in secrets.values.values():
        assert value not in caplog.text
