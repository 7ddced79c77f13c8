"""Signed TOP calls over the engine's httpx client: system parameters, POST, envelope decoding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from desktop.sdk import AdapterContext, AuthExpired, Rejected, Temporary
from desktop.sdk.settings import setting_text

from .envelope import http_error, result_of
from .protocol import API_VERSION, DEFAULT_SIGN_METHOD, GATEWAY_URL, SIGN_METHODS, format_time
from .signing import signed

_FORM = "application/x-www-form-urlencoded;charset=utf-8"


class TopClient:
    """One shop's signed calls to the TOP gateway (spec 2.1–2.3)."""

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx

    @property
    def gateway(self) -> str:
        return setting_text(self._ctx.settings, "base_url", GATEWAY_URL)

    @property
    def sign_method(self) -> str:
        method = setting_text(self._ctx.settings, "sign_method", DEFAULT_SIGN_METHOD).lower()
        if method not in SIGN_METHODS:
            raise Rejected(f"setting sign_method must be one of {', '.join(SIGN_METHODS)}, got {method!r}")
        return method

    def _secret(self, name: str, what: str) -> str:
        value = self._ctx.secrets.get(name)
        if not value:
            raise AuthExpired(f"the Taobao {what} is missing; enter it or authorize the shop again")
        return value

    def system_params(self, api: str, *, session: bool) -> dict[str, str]:
        params = {
            "method": api,
            "app_key": self._secret("app_key", "App Key"),
            "timestamp": format_time(self._ctx.clock()),
            "format": "json",
            "v": API_VERSION,
            "sign_method": self.sign_method,
        }
        if session:
            params["session"] = self._secret("access_token", "authorization (session)")
        return params

    async def call(self, api: str, business: Mapping[str, str], *, session: bool = True) -> dict[str, Any]:
        """POST one signed call; → the `<api>_response` object, or a typed sdk error."""
        params = {**self.system_params(api, session=session), **business}
        body = urlencode(signed(params, self._secret("app_secret", "App Secret")), encoding="utf-8")
        url = self.gateway
        self._ctx.logger.debug("taobao: calling %s", api)
        try:
            response = await self._ctx.http.post(url, content=body.encode("ascii"), headers={"Content-Type": _FORM})
        except httpx.UnsupportedProtocol as exc:
            raise Rejected(f"setting base_url is not an http(s) address: {exc}") from None
        except httpx.InvalidURL as exc:
            raise Rejected(f"setting base_url is not a usable address: {exc}") from None
        except httpx.TimeoutException as exc:
            raise Temporary(f"Taobao timed out on {api} ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise Temporary(f"Taobao unreachable on {api} ({type(exc).__name__}: {exc})") from None
        if response.status_code != 200:
            raise http_error(response.status_code, api)
        return result_of(response.content, api)
