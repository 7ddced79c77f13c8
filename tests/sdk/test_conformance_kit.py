"""The conformance kit fails adapters that break the contract (it is not a rubber stamp)."""

from __future__ import annotations

import dataclasses
import time

import pytest

from desktop.sdk import AuthExpired, Page, Temporary
from desktop.sdk.testing import AdapterContract
from plugins.sandbox.adapter import TaobaoLikeAdapter
from plugins.sandbox.fake import SandboxFake


def contract_for(adapter_class: type) -> AdapterContract:
    contract = AdapterContract()
    contract.adapter_class = adapter_class  # type: ignore[misc]
    contract.page_limit = 20  # type: ignore[misc]
    return contract


@pytest.fixture
def fake():
    with SandboxFake() as fake:
        yield fake


def test_hiding_an_expired_token_fails(fake):
    class Hides(TaobaoLikeAdapter):
        async def check_connection(self) -> None:
            try:
                await super().check_connection()
            except AuthExpired as exc:
                raise Temporary("try later") from exc

    with pytest.raises(Temporary):
        contract_for(Hides).test_an_expired_token_is_auth_expired(fake)


def test_a_feed_that_never_ends_fails(fake):
    class Endless(TaobaoLikeAdapter):
        async def fetch_orders(self, cursor: str | None) -> Page:  # type: ignore[type-arg]
            page = await super().fetch_orders(None)
            return dataclasses.replace(page, has_more=True)

    with pytest.raises(AssertionError, match="did not end"):
        contract_for(Endless).test_order_feed_pages_to_the_end_and_resumes_from_its_cursor(fake)


def test_a_cursor_that_forgets_fails(fake):
    class Forgets(TaobaoLikeAdapter):
        started = False

        async def fetch_orders(self, cursor: str | None) -> Page:  # type: ignore[type-arg]
            if not self.started:  # a saved cursor is ignored: every run starts over
                self.started, cursor = True, None
            return await super().fetch_orders(cursor)

    with pytest.raises(AssertionError, match="re-read the whole feed"):
        contract_for(Forgets).test_order_feed_pages_to_the_end_and_resumes_from_its_cursor(fake)


def test_a_blocking_call_in_the_loop_fails(fake):
    class Blocks(TaobaoLikeAdapter):
        async def check_connection(self) -> None:
            time.sleep(0.7)  # a sync call inside the event loop
            await super().check_connection()

    with pytest.raises(AssertionError, match="blocked the event loop"):
        contract_for(Blocks).call(fake, lambda a: a.check_connection())


def test_a_logged_secret_fails(fake):
    class Leaks(TaobaoLikeAdapter):
        async def check_connection(self) -> None:
            self._ctx.logger.info("token %s", self._ctx.secrets.get("access_token"))
            await super().check_connection()

    with pytest.raises(AssertionError, match="appears in the adapter's log"):
        contract_for(Leaks).test_secrets_never_reach_the_log(fake)
