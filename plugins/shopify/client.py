"""One GraphQL call to the shop's Admin API, and the OAuth token requests (code exchange,
refresh, client credentials), over the engine's async httpx client. Raises the sdk's typed errors (see
envelope.py); holds no state."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import httpx

from desktop.sdk import AdapterContext, AuthExpired, Rejected, Temporary, Tokens

from .envelope import error_text, graphql_data, http_failure, malformed, throttle_of
from .protocol import (
    APP_NOT_INSTALLED,
    CLIENT_CREDENTIALS_GRANT,
    EXPIRING_PARAM,
    REFRESH_GRANT,
    SHOP_NOT_PERMITTED,
    TOKEN_HEADER,
    TOKEN_PATH,
    VERSION_HEADER,
    admin_origin,
    api_version,
    graphql_url,
)


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

    # -- OAuth [SPEC] §6: POST /admin/oauth/access_token ----------------------------------------------
    def _client_credentials(self, missing: str) -> tuple[str, str]:
        client_id, client_secret = self._ctx.secrets.get("client_id"), self._ctx.secrets.get("client_secret")
        if not client_id or not client_secret:
            raise Rejected(missing)
        return client_id, client_secret

    async def _token_request(self, where: str, form: Mapping[str, str]) -> httpx.Response:
        """POST the token endpoint, form-encoded as SHOPIFY-PY's Session.request_token does;
        429 and 5xx become RateLimited / Temporary, other answers go back to the caller."""
        url = admin_origin(self._ctx.settings, self._ctx.platform_shop_id) + TOKEN_PATH
        response = await send(self._ctx, "POST", url, where, headers={"Accept": "application/json"}, data=dict(form))
        status = response.status_code
        if status == 429 or status >= 500:
            failure = http_failure(status, response.headers, response.content, where)
            assert failure is not None
            raise failure
        return response

    async def exchange(self, code: str, expiring: bool) -> Tokens:
        """The authorization code → an offline token: `client_id, client_secret, code`, plus
        `expiring=1` for an expiring token with its refresh token (protocol.EXPIRING_PARAM)."""
        where = "code exchange"
        client_id, client_secret = self._client_credentials(
            "enter the Shopify app's client ID and client secret before authorizing the shop")
        form = {"client_id": client_id, "client_secret": client_secret, "code": code}
        if expiring:
            form[EXPIRING_PARAM] = "1"
        response = await self._token_request(where, form)
        if response.status_code != 200:
            # a used, expired or mistyped code, or a wrong client secret: this attempt fails
            raise Rejected(f"Shopify {where} refused (HTTP {response.status_code}: {error_text(response.content)}); "
                           "start the authorization again")
        return tokens_from(_json(response, where), where, self._ctx.clock())

    async def refresh(self, refresh_token: str) -> Tokens:
        """`grant_type=refresh_token` → a new access token and a new refresh token (the old one
        is used up). A refusal (an expired or revoked refresh token, the app uninstalled, a
        changed client secret) is AuthExpired: only a new authorization helps."""
        where = "token refresh"
        try:
            client_id, client_secret = self._client_credentials("")
        except Rejected:
            raise AuthExpired("Shopify token refresh needs the app's client ID and client secret; "
                              "enter them or authorize the shop again") from None
        response = await self._token_request(where, {"client_id": client_id, "client_secret": client_secret,
                                                     "grant_type": REFRESH_GRANT, "refresh_token": refresh_token})
        if response.status_code != 200:
            raise AuthExpired(f"Shopify refused the {where} (HTTP {response.status_code}: "
                              f"{error_text(response.content)}); authorize the shop again")
        tokens = tokens_from(_json(response, where), where, self._ctx.clock())
        if not tokens.refresh_token or tokens.expires_at is None:
            raise malformed(where, "has no new refresh_token and expires_in")
        return tokens

    async def client_credentials(self) -> Tokens:
        """`grant_type=client_credentials` with the app's client id and secret → a 24-hour
        token and no refresh token (protocol.CLIENT_CREDENTIALS_GRANT). A refusal (a wrong
        client id or secret, the app not installed on the store, app and store of different
        organizations) is AuthExpired: the shop gets no token until the user fixes the app's
        credentials or its installation, the same state as an expired login. A 404 is a
        shop_domain that names no shop: Rejected."""
        where = "client credentials grant"
        try:
            client_id, client_secret = self._client_credentials("")
        except Rejected:
            raise AuthExpired("Shopify's client credentials grant needs the app's client ID and client secret "
                              "(Dev Dashboard → the app → Settings)") from None
        response = await self._token_request(where, {"grant_type": CLIENT_CREDENTIALS_GRANT,
                                                     "client_id": client_id, "client_secret": client_secret})
        status = response.status_code
        if status == 404:
            raise Rejected(f"Shopify {where}: HTTP 404 ({error_text(response.content)}); "
                           "check shop_domain: it must be the store's .myshopify.com address")
        if status != 200:
            code, message = oauth_error(response.content)
            raise AuthExpired(f"Shopify refused the {where} (HTTP {status}: {message}); {_cc_hint(code)}")
        return client_credentials_tokens(_json(response, where), where, self._ctx.clock())


def _seconds(payload: Mapping[str, object], key: str, where: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise malformed(where, f"has {key} {value!r}")
    return value


def _access(payload: object, where: str) -> tuple[Mapping[str, object], str, dict[str, str]]:
    """A token reply's (object, access_token, extra with the granted `scope`)."""
    if not isinstance(payload, Mapping):
        raise malformed(where, "is not an object")
    token = payload.get("access_token")
    if not isinstance(token, str) or not token:
        raise malformed(where, "has no access_token")
    scope = payload.get("scope")
    return payload, token, {"scope": scope} if isinstance(scope, str) and scope else {}


def tokens_from(payload: object, where: str, now: datetime) -> Tokens:
    """A token reply → Tokens. An expiring one (`expires_in`) must come with its
    `refresh_token`; `refresh_token_expires_in` dates the refresh token. A reply without
    `expires_in` is a non-expiring token: expires_at None, no refresh token."""
    payload, token, extra = _access(payload, where)
    expires_in = _seconds(payload, "expires_in", where)
    if expires_in is None:
        return Tokens(access_token=token, extra=extra)
    refresh = payload.get("refresh_token")
    if not isinstance(refresh, str) or not refresh:
        raise malformed(where, "has expires_in but no refresh_token")
    refresh_in = _seconds(payload, "refresh_token_expires_in", where)
    return Tokens(access_token=token, refresh_token=refresh, expires_at=now + timedelta(seconds=expires_in),
                  refresh_expires_at=None if refresh_in is None else now + timedelta(seconds=refresh_in),
                  extra=extra)


def client_credentials_tokens(payload: object, where: str, now: datetime) -> Tokens:
    """A client credentials reply → Tokens: `expires_in` is required (Shopify: "Always
    86399"), there is no refresh token (refresh_token "", the engine asks again with
    `authorize_self`). Without `expires_in` the engine would never renew the token."""
    payload, token, extra = _access(payload, where)
    expires_in = _seconds(payload, "expires_in", where)
    if expires_in is None:
        raise malformed(where, "has no expires_in")
    return Tokens(access_token=token, expires_at=now + timedelta(seconds=expires_in), extra=extra)


def oauth_error(body: bytes) -> tuple[str, str]:
    """(code, message) of a refused token request: `{"error", "error_description"}` as JSON,
    or Shopify's text form "Oauth error shop_not_permitted: Client credentials cannot be
    performed on this shop."; the code is "" when there is none."""
    message = error_text(body)
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        data = None
    if isinstance(data, Mapping) and isinstance(data.get("error"), str) and data["error"]:
        code = str(data["error"])
        return code, message if message.startswith(code) else f"{code}: {message}"
    head, _, _ = message.partition(":")
    return (head.split()[-1] if head.startswith("Oauth error ") else ""), message


def _cc_hint(code: str) -> str:
    """What the user can do about a refused client credentials grant."""
    if code == SHOP_NOT_PERMITTED:
        return ("the grant works only for an app and a store of the same Shopify organization (Dev Dashboard → "
                "Dev stores); for another organization's store authorize through OAuth instead")
    if code == APP_NOT_INSTALLED:
        return "install the app on this store from the Dev Dashboard, then try again"
    return "check the app's client ID and client secret (Dev Dashboard → the app → Settings)"
