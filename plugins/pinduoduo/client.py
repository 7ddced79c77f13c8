"""One signed call to the Pinduoduo gateway, and the platform's errors as typed sdk errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from desktop.sdk import AdapterContext, AdapterError, AuthExpired, RateLimited, Rejected, Temporary

from .mapping import malformed
from .protocol import (
    DEGRADED,
    FORBIDDEN,
    GATEWAY_URL,
    INTERNAL,
    IP_NOT_ALLOWED,
    NO_PERMISSION_PACKAGE,
    RATE_LIMITED,
    RESPONSE_KEYS,
    SIGN_FAILED,
    TEST_APP_CAP,
    TOKEN_EXPIRED,
    sign,
    unix_seconds,
    wire_value,
)

# The platform sends no retry hint; its per-shop limiters count per 60 s (§3.9).
DEFAULT_RETRY_AFTER_S = 60.0
# A test-state app's call cap (70036) is not a per-minute window: try again much later.
TEST_APP_RETRY_AFTER_S = 3600.0


def platform_error(api: str, code: object, message: str, sub_code: str = "", sub_msg: str = "",
                   retry_after: float | None = None) -> AdapterError:
    """An `error_response` as the typed error the engine acts on."""
    detail = f"{code}: {message}" + (f" ({sub_code}: {sub_msg})" if sub_code or sub_msg else "")
    if code == TOKEN_EXPIRED:
        return AuthExpired(f"拼多多授权已过期或无效，请重新授权店铺 [{detail}]")
    if code == SIGN_FAILED:
        # A request we signed per the spec only fails when client_id/client_secret are wrong.
        return AuthExpired(f"拼多多签名校验失败：请检查 client_id / client_secret [{detail}]")
    if code in RATE_LIMITED:
        return RateLimited(retry_after or DEFAULT_RETRY_AFTER_S, f"拼多多限流 on {api} [{detail}]")
    if code == TEST_APP_CAP:
        return RateLimited(retry_after or TEST_APP_RETRY_AFTER_S, f"拼多多测试应用调用量已满 on {api} [{detail}]")
    if code in DEGRADED or code in INTERNAL:
        return Temporary(f"拼多多服务暂不可用 on {api} [{detail}]")
    if code == IP_NOT_ALLOWED:
        return Rejected(f"本机 IP 不在拼多多应用白名单中 [{detail}]")
    if code == NO_PERMISSION_PACKAGE:
        return Rejected(f"应用未获得 {api} 所在的权限包 [{detail}]")
    if code in FORBIDDEN:
        return Rejected(f"拼多多拒绝了 {api}（风控或禁止调用）[{detail}]")
    return Rejected(f"拼多多拒绝了 {api} [{detail}]")


def _retry_after(response: httpx.Response) -> float | None:
    try:
        value = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _text(value: object) -> str:
    return "" if value is None else str(value)


class Gateway:
    """Signs and posts one API call for one shop; returns the reply's success object."""

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx

    def secret(self, name: str) -> str:
        value = self._ctx.secrets.get(name)
        if not value:
            raise AuthExpired(f"拼多多凭据 {name} 缺失，请重新授权店铺")
        return value

    def url(self) -> str:
        base = self._ctx.settings.get("base_url") or GATEWAY_URL
        if not isinstance(base, str):
            raise Rejected(f"setting base_url must be a URL, got {base!r}")
        return base

    async def call(self, api: str, params: Mapping[str, object], *, authorised: bool = True) -> dict[str, Any]:
        client_id, secret = self.secret("client_id"), self.secret("client_secret")
        wire = {
            "type": api,
            "client_id": client_id,
            "timestamp": str(unix_seconds(self._ctx.clock())),
            "data_type": "JSON",
        }
        if authorised:
            wire["access_token"] = self.secret("access_token")
        wire.update({key: wire_value(value) for key, value in params.items() if value is not None})
        wire["sign"] = sign(wire, secret)
        try:
            response = await self._ctx.http.post(self.url(), data=wire)
        except httpx.TimeoutException as exc:
            raise Temporary(f"拼多多网关超时 on {api}: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise Temporary(f"拼多多网关不可达 on {api}: {type(exc).__name__}: {exc}") from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise Rejected(f"setting base_url is not a usable URL: {exc}") from exc
        return self._decode(api, response)

    def _decode(self, api: str, response: httpx.Response) -> dict[str, Any]:
        status = response.status_code
        try:
            payload = json.loads(response.content.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError):
            payload = None
        if isinstance(payload, dict) and isinstance(payload.get("error_response"), dict):
            error = payload["error_response"]
            code = error.get("error_code")
            self._ctx.logger.info("拼多多 %s answered error %s: %s", api, code, error.get("error_msg"))
            raise platform_error(api, code, _text(error.get("error_msg")), _text(error.get("sub_code")),
                                 _text(error.get("sub_msg")), _retry_after(response))
        if status == 429:
            raise RateLimited(_retry_after(response) or DEFAULT_RETRY_AFTER_S, f"拼多多网关 HTTP 429 on {api}")
        if status >= 500:
            raise Temporary(f"拼多多网关 HTTP {status} on {api}")
        if status >= 400:
            raise Rejected(f"拼多多网关 HTTP {status} on {api}; is base_url the /api/router URL?")
        if payload is None:
            raise malformed(f"{api} reply", "is not JSON")
        key = RESPONSE_KEYS[api]
        body = payload.get(key) if isinstance(payload, dict) else None
        if not isinstance(body, dict):
            raise malformed(f"{api} reply", f"has no {key!r} object")
        return body
