"""One signed JOS gateway call, and the OAuth token calls, over the engine's async httpx client."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from desktop.sdk import AdapterContext, AuthExpired, RateLimited, Rejected, Temporary, Tokens

from .mapping import DEFAULT_RETRY_AFTER, malformed, unwrap
from .protocol import GATEWAY_PATH, GATEWAY_URL, OAUTH_URL, format_time, signed_params


def gateway_url(settings: Mapping[str, object]) -> str:
    """The `base_url` setting: the full gateway URL; a bare host gets `/routerjson`."""
    base = settings.get("base_url") or GATEWAY_URL
    if not isinstance(base, str):
        raise Rejected(f"setting base_url must be a URL, got {base!r}")
    base = base.strip()
    if urlsplit(base).path in ("", "/"):
        base = base.rstrip("/") + GATEWAY_PATH
    return base


def oauth_url(settings: Mapping[str, object]) -> str:
    base = settings.get("oauth_base_url") or OAUTH_URL
    if not isinstance(base, str):
        raise Rejected(f"setting oauth_base_url must be a URL, got {base!r}")
    return base.strip().rstrip("/")


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(1.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _http_failure(response: httpx.Response, where: str) -> Exception | None:
    status = response.status_code
    if 200 <= status < 300:
        return None
    if status == 429:
        return RateLimited(_retry_after(response), f"JD {where}: HTTP 429")
    if status >= 500:
        return Temporary(f"JD {where}: HTTP {status}")
    return Rejected(f"JD {where}: HTTP {status}")


def _json(response: httpx.Response, where: str) -> object:
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise malformed(f"{where} reply", f"is not JSON ({type(exc).__name__})") from None


class JosClient:
    """Signs and sends; raises the sdk's typed errors. Holds no state across calls."""

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx

    def _secret(self, name: str) -> str:
        value = self._ctx.secrets.get(name)
        if not value:
            raise AuthExpired(f"JD credential {name!r} is missing; authorize the shop again")
        return value

    async def _send(self, method: str, url: str, where: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._ctx.http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise Temporary(f"JD {where} timed out ({type(exc).__name__})") from None
        except httpx.InvalidURL as exc:
            raise Rejected(f"JD {where}: the configured URL is unusable ({exc})") from None
        except httpx.TransportError as exc:
            raise Temporary(f"JD {where} unreachable ({type(exc).__name__})") from None

    async def call(self, method: str, business: Mapping[str, object]) -> dict[str, Any]:
        """POST one method to /routerjson → its result node (e.g. `searchorderinfo_result`)."""
        params = signed_params(
            method=method, business=business,
            app_key=self._secret("app_key"), app_secret=self._secret("app_secret"),
            access_token=self._secret("access_token"),
            timestamp=format_time(self._ctx.clock()),
        )
        self._ctx.logger.debug("JD call %s", method)
        response = await self._send("POST", gateway_url(self._ctx.settings), method, data=params)
        failure = _http_failure(response, method)
        if failure is not None:
            raise failure
        return unwrap(method, _json(response, method))

    # -- OAuth [SPEC] 5.4: GET with app_key, app_secret, grant_type, code | refresh_token ---------------
    async def token(self, grant: str, value: str) -> Tokens:
        refresh = grant == "refresh_token"
        where = "token refresh" if refresh else "code exchange"
        params = {"app_key": self._secret("app_key"), "app_secret": self._secret("app_secret"),
                  "grant_type": grant, ("refresh_token" if refresh else "code"): value}
        path = "/oauth2/refresh_token" if refresh else "/oauth2/access_token"
        response = await self._send("GET", oauth_url(self._ctx.settings) + path, where, params=params)
        if response.status_code >= 500 or response.status_code == 429:
            raise _http_failure(response, where) or Temporary(where)
        payload = _json(response, where)
        return tokens_from(payload, where, refresh=refresh, now=self._ctx.clock())


def tokens_from(payload: object, where: str, *, refresh: bool, now: datetime) -> Tokens:
    """The token endpoint's JSON → Tokens.

    [COMMUNITY] field names (public JD OAuth clients; the spec names only the URLs/params):
    access_token, refresh_token, expires_in (seconds), time (issue time, epoch ms), scope,
    open_id, uid; a failure carries a non-zero `code` and `msg`."""
    if not isinstance(payload, dict):
        raise malformed(f"{where} reply", "is not an object")
    code = payload.get("code", 0)
    token = payload.get("access_token")
    if (code not in (0, "0", None)) or not isinstance(token, str) or not token:
        message = payload.get("msg") or payload.get("message") or payload.get("error_description") or "no reason"
        detail = f"JD {where} refused: code {code}: {message}"
        # a refused refresh token means the seller must authorize again; a refused code
        # (used, expired, mistyped) only fails this attempt
        raise AuthExpired(detail) if refresh else Rejected(detail)
    issued = now
    issued_ms = payload.get("time")
    if isinstance(issued_ms, int) and not isinstance(issued_ms, bool) and issued_ms > 0:
        issued = datetime.fromtimestamp(issued_ms / 1000, UTC)
    expires_in = payload.get("expires_in")
    expires_at = None
    if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) and expires_in > 0:
        expires_at = issued + timedelta(seconds=float(expires_in))
    refresh_token = payload.get("refresh_token")
    extra = {key: str(payload[key]) for key in ("open_id", "uid", "scope")
             if isinstance(payload.get(key), (str, int)) and payload.get(key) != ""}
    return Tokens(
        access_token=token,
        refresh_token=refresh_token if isinstance(refresh_token, str) else "",
        expires_at=expires_at,
        refresh_expires_at=None,  # [UNVERIFIED] the refresh token's lifetime is not published
        extra=extra,
    )
