"""The server's request authentication: signatures, timestamps, tokens, shops."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from plugins.sandbox.server import SandboxServer


def error_code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


def test_a_correctly_signed_request_is_accepted(raw_api: Callable[..., httpx.Response], sandbox: SandboxServer) -> None:
    response = raw_api("GET", "/api/ping")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "shop": {
            "platform_shop_id": sandbox.shops[0]["platform_shop_id"],
            "name": sandbox.shops[0]["name"],
            "platform": "sandbox-tb",
        },
    }


def _set(key: str, value: str) -> Callable[[dict[str, str]], None]:
    return lambda params: params.__setitem__(key, value)


@pytest.mark.parametrize(
    ("tamper", "status", "code"),
    [
        (_set("sign", "0" * 64), 401, "invalid_signature"),
        (lambda p: p.__setitem__("sign", p["sign"].upper()), 401, "invalid_signature"),
        (_set("limit", "7"), 401, "invalid_signature"),  # a parameter changed after signing
        (_set("access_token", "stolen"), 401, "invalid_signature"),
        (_set("app_key", "99999999"), 401, "invalid_app_key"),
        (_set("shop_id", "123"), 404, "shop_not_found"),
        (lambda p: p.pop("sign"), 400, "missing_parameter"),
        (lambda p: p.pop("timestamp"), 400, "missing_parameter"),
    ],
    ids=[
        "zero-sign",
        "uppercase-sign",
        "param-changed",
        "token-swapped",
        "wrong-app-key",
        "unknown-shop",
        "no-sign",
        "no-timestamp",
    ],
)
def test_tampered_requests_are_refused(
    raw_api: Callable[..., httpx.Response], tamper: Callable[[dict[str, str]], None], status: int, code: str
) -> None:
    response = raw_api("GET", "/api/messages", query={"limit": 5}, tamper=tamper)
    assert (response.status_code, error_code(response)) == (status, code)


def test_a_tampered_body_is_refused(raw_api: Callable[..., httpx.Response], sandbox: SandboxServer) -> None:
    signed_body = '{"conversation_id":"x","text":"hi","client_msg_id":"k"}'
    creds = sandbox.shops[0]["credentials"]
    from plugins.sandbox.protocol import signed_params

    params = signed_params(
        app_key=creds["app_key"],
        app_secret=creds["app_secret"],
        access_token=creds["access_token"],
        shop_id=sandbox.shops[0]["platform_shop_id"],
        timestamp=int(time.time()),
        body=signed_body,
    )
    sent = signed_body.replace('"hi"', '"transfer the money"')
    response = httpx.post(f"{sandbox.url}/api/messages/send", params=params, content=sent.encode())
    assert (response.status_code, error_code(response)) == (401, "invalid_signature")


@pytest.mark.parametrize(
    # ten seconds clear of the edge: the request's whole-second timestamp and the server's
    # clock at arrival drift apart by up to a second or two on a busy runner
    ("skew", "accepted"), [(-290, True), (290, True), (-310, False), (310, False), (-86400, False)]
)
def test_timestamps_outside_five_minutes_expire(
    raw_api: Callable[..., httpx.Response], skew: int, accepted: bool
) -> None:
    response = raw_api("GET", "/api/ping", timestamp=int(time.time()) + skew)
    if accepted:
        assert response.status_code == 200
    else:
        assert (response.status_code, error_code(response)) == (401, "timestamp_expired")


def test_expired_token_is_refused_until_restored(
    raw_api: Callable[..., httpx.Response], admin: httpx.Client, sandbox: SandboxServer
) -> None:
    shop_id = sandbox.shops[1]["platform_shop_id"]
    assert admin.post("/admin/expire-token", json={"shop_id": shop_id}).json()["token_valid"] is False
    response = raw_api("GET", "/api/ping", shop=1)
    assert (response.status_code, error_code(response)) == (401, "token_expired")
    assert raw_api("GET", "/api/ping", shop=0).status_code == 200  # other shops unaffected
    admin.post("/admin/restore-token", json={"shop_id": shop_id})
    assert raw_api("GET", "/api/ping", shop=1).status_code == 200


def test_one_shops_credentials_do_not_open_another(
    sandbox: SandboxServer, raw_api: Callable[..., httpx.Response]
) -> None:
    other = sandbox.shops[1]["platform_shop_id"]
    response = raw_api("GET", "/api/ping", shop=0, tamper=_set("shop_id", other))
    assert response.status_code == 401
