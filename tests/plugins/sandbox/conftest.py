"""Fixtures for the sandbox tests: a quiet loopback server, adapters on it, raw signed calls."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from desktop.sdk import AdapterContext
from plugins.sandbox.adapter import DouyinLikeAdapter, SandboxAdapter, TaobaoLikeAdapter
from plugins.sandbox.protocol import PLATFORM_TB, signed_params
from plugins.sandbox.server import SandboxServer

T = TypeVar("T")


class DictSecrets(dict[str, str]):
    """The engine's keyring-backed Secrets, as a dict."""

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name, default)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """Two shops (1 Taobao-like, 2 Douyin-like), simulator idle: tests drive ticks themselves."""
    with SandboxServer(shops=2, rate=0, seed=7) as server:
        yield server


def make_adapter(server: SandboxServer, index: int, http: httpx.AsyncClient, **settings: object) -> SandboxAdapter:
    shop = server.shops[index]
    cls = TaobaoLikeAdapter if shop["platform"] == PLATFORM_TB else DouyinLikeAdapter
    ctx = AdapterContext(
        http=http,
        logger=logging.getLogger("seatdesk.plugin.sandbox.test"),
        settings={"base_url": server.url, **settings},
        secrets=DictSecrets(shop["credentials"]),
        platform_shop_id=shop["platform_shop_id"],
    )
    return cls(ctx)


UseAdapter = Callable[..., Any]


@pytest.fixture
def adapter_factory() -> Callable[..., SandboxAdapter]:
    """`make_adapter(server, index, http, **settings)` for tests that run their own server."""
    return make_adapter


@pytest.fixture
def use_adapter(sandbox: SandboxServer) -> UseAdapter:
    """`use_adapter(index, fn, **settings)` runs `await fn(adapter)` in a fresh event loop."""

    def run(index: int, fn: Callable[[SandboxAdapter], Awaitable[T]], **settings: object) -> T:
        async def main() -> T:
            async with httpx.AsyncClient(timeout=5) as http:
                return await fn(make_adapter(sandbox, index, http, **settings))

        return asyncio.run(main())

    return run


@pytest.fixture
def admin(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=5) as client:
        yield client


RawApi = Callable[..., httpx.Response]


@pytest.fixture
def raw_api(sandbox: SandboxServer) -> Iterator[RawApi]:
    """Signed /api calls with every knob exposed, to test what the server accepts."""
    with httpx.Client(base_url=sandbox.url, timeout=5) as client:

        def call(
            method: str,
            path: str,
            *,
            shop: int = 0,
            query: dict[str, object] | None = None,
            body: str | None = None,
            timestamp: int | None = None,
            tamper: Callable[[dict[str, str]], None] | None = None,
        ) -> httpx.Response:
            info = sandbox.shops[shop]
            creds = info["credentials"]
            params = signed_params(
                app_key=creds["app_key"],
                app_secret=creds["app_secret"],
                access_token=creds["access_token"],
                shop_id=info["platform_shop_id"],
                timestamp=int(time.time()) if timestamp is None else timestamp,
                query=query,
                body=body,
            )
            if tamper is not None:
                tamper(params)
            return client.request(method, path, params=params, content=None if body is None else body.encode())

        yield call


def wait_for(predicate: Callable[[], bool], timeout: float = 2.0) -> None:
    """Poll `predicate` until true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


@pytest.fixture
def poll() -> Callable[..., None]:
    return wait_for
