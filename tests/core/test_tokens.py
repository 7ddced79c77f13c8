"""OAuth shops: the engine refreshes the token ahead of its stored expiry, and once
more when the platform says it expired; a failed refresh is "needs login"."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import ClassVar

import pytest
from fakes import FakeAdapter, FakePlatform, msg
from test_engine import wait_for

from desktop.core.desk import Desk
from desktop.core.engine import EngineRunner
from desktop.core.registry import Registry
from desktop.core.secrets import MemoryKeyring, SecretStore
from desktop.core.shops import save_shop
from desktop.core.sync import TOKEN_EXPIRES_AT
from desktop.core.views import InboxFilter
from desktop.sdk import AuthExpired, Capability, Page, Tokens


class OAuthAdapter(FakeAdapter):
    info = dataclasses.replace(FakeAdapter.info, platform_id="oauthy",
                               capabilities=FakeAdapter.info.capabilities | {Capability.OAUTH})
    valid: ClassVar[set[str]] = {"a0"}
    refreshes: ClassVar[int] = 0
    refresh_ok: ClassVar[bool] = True

    async def fetch_messages(self, cursor: str | None) -> Page:  # type: ignore[type-arg]
        if self.ctx.secrets.get("access_token") not in self.valid:
            raise AuthExpired("access token expired")
        return await super().fetch_messages(cursor)

    async def refresh_tokens(self) -> Tokens:
        cls = type(self)
        if not cls.refresh_ok:
            raise AuthExpired("refresh token revoked")
        cls.refreshes += 1
        token = f"a{cls.refreshes}"
        cls.valid = {token}
        return Tokens(token, f"r{cls.refreshes}", datetime.now(timezone.utc) + timedelta(hours=8))


@pytest.fixture
def setup(db):
    FakeAdapter.platform = FakePlatform(messages=[msg(i) for i in range(1, 4)])
    OAuthAdapter.valid, OAuthAdapter.refreshes, OAuthAdapter.refresh_ok = {"a0"}, 0, True
    secrets = SecretStore(MemoryKeyring())
    runners = []

    def start(expires_at: datetime | None) -> tuple[EngineRunner, Desk, SecretStore]:
        creds = {"access_token": "a0", "refresh_token": "r0"}
        if expires_at is not None:
            creds[TOKEN_EXPIRES_AT] = expires_at.isoformat()
        save_shop(db, secrets, platform="oauthy", platform_shop_id="s1", name="店", credentials=creds)
        runner = EngineRunner(db, Registry.of(OAuthAdapter), secrets, poll_interval=0.05)
        runners.append(runner)
        runner.start()
        return runner, Desk(db, runner.registry, runner, "小王"), secrets

    yield start
    for runner in runners:
        runner.stop()


def test_a_token_about_to_expire_is_refreshed_before_any_call_fails(setup):
    runner, desk, secrets = setup(datetime.now(timezone.utc) + timedelta(minutes=2))
    ref = "shop:oauthy:s1"
    wait_for(lambda: secrets.get(ref, "access_token") == "a1")
    assert secrets.get(ref, "refresh_token") == "r1"
    assert datetime.fromisoformat(secrets.get(ref, TOKEN_EXPIRES_AT)) > datetime.now(timezone.utc)
    wait_for(lambda: desk.conversation_ids(InboxFilter()))
    wait_for(lambda: desk.shops()[0].health == "connected")
    assert OAuthAdapter.refreshes == 1  # once, however many loops noticed


def test_an_expired_token_is_refreshed_once_and_sync_goes_on(setup):
    OAuthAdapter.valid = {"nothing yet"}
    runner, desk, secrets = setup(None)
    wait_for(lambda: desk.conversation_ids(InboxFilter()))
    assert OAuthAdapter.refreshes == 1
    wait_for(lambda: desk.shops()[0].health == "connected")


def test_a_refused_refresh_means_needs_login(setup):
    OAuthAdapter.valid = {"nothing"}
    OAuthAdapter.refresh_ok = False
    runner, desk, secrets = setup(None)
    wait_for(lambda: desk.shops()[0].health == "needs_login")
    assert desk.conversation_ids(InboxFilter()) == []


class SelfUseAdapter(FakeAdapter):
    """A self-use app: no refresh token, a new token asked for the way the first came."""

    info = dataclasses.replace(FakeAdapter.info, platform_id="selfy",
                               capabilities=FakeAdapter.info.capabilities | {Capability.OAUTH})
    valid: ClassVar[set[str]] = {"s0"}
    issued: ClassVar[int] = 0
    grant_ok: ClassVar[bool] = True

    async def fetch_messages(self, cursor: str | None) -> Page:  # type: ignore[type-arg]
        if self.ctx.secrets.get("access_token") not in self.valid:
            raise AuthExpired("access token expired")
        return await super().fetch_messages(cursor)

    async def authorize_self(self) -> Tokens:
        cls = type(self)
        if not cls.grant_ok:
            raise AuthExpired("app not installed on this shop")
        cls.issued += 1
        token = f"s{cls.issued}"
        cls.valid = {token}
        return Tokens(token, "", datetime.now(timezone.utc) + timedelta(hours=24))


@pytest.mark.parametrize("expiry", [timedelta(minutes=2), None])
def test_without_a_refresh_token_a_self_use_app_asks_for_a_new_token(db, expiry):
    """Ahead of a known expiry, or when a pasted token (no expiry) stops working."""
    FakeAdapter.platform = FakePlatform(messages=[msg(i) for i in range(1, 4)])
    SelfUseAdapter.valid, SelfUseAdapter.issued, SelfUseAdapter.grant_ok = {"s0"}, 0, True
    secrets = SecretStore(MemoryKeyring())
    creds = {"access_token": "s0"}
    if expiry is not None:
        creds[TOKEN_EXPIRES_AT] = (datetime.now(timezone.utc) + expiry).isoformat()
    save_shop(db, secrets, platform="selfy", platform_shop_id="s1", name="店", credentials=creds)
    runner = EngineRunner(db, Registry.of(SelfUseAdapter), secrets, poll_interval=0.05)
    runner.start()
    try:
        desk = Desk(db, runner.registry, runner, "小王")
        ref = "shop:selfy:s1"
        if expiry is None:
            wait_for(lambda: desk.conversation_ids(InboxFilter()))
            SelfUseAdapter.valid = set()  # the pasted token stops working
        wait_for(lambda: secrets.get(ref, "access_token") == "s1")
        assert SelfUseAdapter.issued == 1 and not secrets.get(ref, "refresh_token")
        assert datetime.fromisoformat(secrets.get(ref, TOKEN_EXPIRES_AT)) > datetime.now(timezone.utc)
        wait_for(lambda: desk.conversation_ids(InboxFilter()))
        wait_for(lambda: desk.shops()[0].health == "connected")
    finally:
        runner.stop()


def test_a_refused_self_use_grant_is_needs_login(db):
    FakeAdapter.platform = FakePlatform(messages=[msg(1)])
    SelfUseAdapter.valid, SelfUseAdapter.issued, SelfUseAdapter.grant_ok = set(), 0, False
    secrets = SecretStore(MemoryKeyring())
    save_shop(db, secrets, platform="selfy", platform_shop_id="s1", name="店",
              credentials={"access_token": "pasted"})
    runner = EngineRunner(db, Registry.of(SelfUseAdapter), secrets, poll_interval=0.05)
    runner.start()
    try:
        desk = Desk(db, runner.registry, runner, "小王")
        wait_for(lambda: desk.shops()[0].health == "needs_login")
        assert SelfUseAdapter.issued == 0
    finally:
        runner.stop()
