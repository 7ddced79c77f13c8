"""One GraphQL call to the shop's Admin API, and the OAuth code exchange, over the engine's
async httpx client. Raises the sdk's typed errors (see envelope.py); holds no state."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from desktop.sdk import AdapterContext, AuthExpired, Rejected, Temporary, Tokens

from .envelope import error_text, graphql_data, http_failure, malformed, throttle_of
from .protocol import TOKEN_HEADER, TOKEN_PATH, VERSION_HEADER, admin_origin, api_version, graphql_url


async def send(ctx: AdapterContext, method: str, url: str, where: str, **kwargs: Any) -> httpx.Response:
    try:
        return await ctx.http.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise Temporary(f"Shopify {where} timed out ({type(exc).__name__})") from None
    except httpx.InvalidURL as exc:
        raise Rejected(f"Shopify {where}: the configured URL is unusable ({exc})") from None
    except httpx.TransportError as exc:
        raise Temporary(f"Shopify {where} unreachable ({type(exc).__name__})") from None


def _json(response: httpx.Response, where: str) -> object:
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise malformed(where, f"is not JSON ({type(exc).__name__})") from None


class ShopifyClient:
    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx

    def _token(self) -> str:
        token = self._ctx.secrets.get("access_token")
        if not token:
            raise AuthExpired("Shopify access_token is missing; authorize the shop or enter the "
                              "custom app's Admin API access token")
        return token

    async def graphql(self, operation: str, document: str, variables: Mapping[str, object] | None = None
                      ) -> dict[str, Any]:
        """POST one operation → its `data`. `operation` names it in the log and in errors."""
        settings = self._ctx.settings
        url = graphql_url(settings, self._ctx.platform_shop_id)
        body: dict[str, object] = {"query": document, "operationName": operation}
        if variables is not None:
            body["variables"] = dict(variables)
        response = await send(self._ctx, "POST", url, operation, json=body,
                              headers={TOKEN_HEADER: self._token(), "Accept": "application/json"})
        failure = http_failure(response.status_code, response.headers, response.content, operation)
        if failure is not None:
            raise failure
        self._note_version(response, settings)
        payload = _json(response, operation)
        data = graphql_data(payload, operation)
        throttle = throttle_of(payload)
        if throttle is not None:
            self._ctx.logger.debug("Shopify %s cost %s, %s of %s points left (restoring %s/s)", operation,
                                   throttle.actual, throttle.available, throttle.maximum, throttle.restore_rate)
        return data

    def _note_version(self, response: httpx.Response, settings: Mapping[str, object]) -> None:
        """Shopify answers an unsupported version with its oldest supported one and says so."""
        asked, answered = api_version(settings), response.headers.get(VERSION_HEADER)
        if answered and answered != asked:
            self._ctx.logger.warning("Shopify answered with API version %s instead of %s: the configured "
                                     "api_version is no longer supported", answered, asked)

    # -- OAuth [SPEC] §6: POST /admin/oauth/access_token (client_id, client_secret, code) --------------
    async def exchange(self, code: str) -> Tokens:
        where = "code exchange"
        client_id, client_secret = self._ctx.secrets.get("client_id"), self._ctx.secrets.get("client_secret")
        if not client_id or not client_secret:
            raise Rejected("enter the Shopify app's client ID and client secret before authorizing the shop")
        url = admin_origin(self._ctx.settings, self._ctx.platform_shop_id) + TOKEN_PATH
        # form-encoded, as SHOPIFY-PY's Session.request_token posts it
        response = await send(self._ctx, "POST", url, where, headers={"Accept": "application/json"},
                              data={"client_id": client_id, "client_secret": client_secret, "code": code})
        status = response.status_code
        if status == 429 or status >= 500:
            failure = http_failure(status, response.headers, response.content, where)
            assert failure is not None
            raise failure
        if status != 200:
            # a used, expired or mistyped code, or a wrong client secret: this attempt fails
            raise Rejected(f"Shopify {where} refused (HTTP {status}: {error_text(response.content)}); "
                           "start the authorization again")
        return tokens_from(_json(response, where), where)


def tokens_from(payload: object, where: str) -> Tokens:
    """`{"access_token": ..., "scope": "read_orders,..."}` → Tokens. An offline token does not
    expire (expires_at None) and has no refresh token."""
    if not isinstance(payload, Mapping):
        raise malformed(where, "is not an object")
    token = payload.get("access_token")
    if not isinstance(token, str) or not token:
        raise malformed(where, "has no access_token")
    scope = payload.get("scope")
    extra = {"scope": scope} if isinstance(scope, str) and scope else {}
    return Tokens(access_token=token, extra=extra)
