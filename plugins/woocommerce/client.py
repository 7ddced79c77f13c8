"""One authenticated WooCommerce REST call over the engine's async httpx client.

Authentication [SPEC]: over HTTPS, HTTP Basic with consumer_key:consumer_secret; or, for servers
that drop the Authorization header, the two as query parameters (setting `auth_in_query`).
Neither the header nor the URL is ever logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from desktop.sdk import AdapterContext, AuthExpired, Rejected, Temporary
from desktop.sdk.settings import setting_bool

from .mapping import decode_json, http_failure
from .protocol import api_root


class WooClient:
    """Sends and decodes; raises the sdk's typed errors. Holds no state across calls."""

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx

    def _credential(self, name: str) -> str:
        value = self._ctx.secrets.get(name)
        if not value:
            raise AuthExpired(f"WooCommerce {name} is missing: create a REST API key in "
                              "WooCommerce → Settings → Advanced → REST API and enter it")
        return value.strip()

    async def request(self, method: str, path: str, where: str, *, params: Mapping[str, str] | None = None,
                      body: Mapping[str, object] | None = None) -> tuple[Any, httpx.Headers]:
        """`path` below /wp-json/wc/v3 → (decoded JSON, reply headers)."""
        url = api_root(self._ctx.settings) + path
        key, secret = self._credential("consumer_key"), self._credential("consumer_secret")
        query = dict(params or {})
        auth: httpx.BasicAuth | None = None
        if setting_bool(self._ctx.settings, "auth_in_query", False):
            query.update(consumer_key=key, consumer_secret=secret)
        else:
            auth = httpx.BasicAuth(key, secret)
        self._ctx.logger.debug("WooCommerce %s %s", method, where)
        try:
            response = await self._ctx.http.request(method, url, params=query, json=body, auth=auth,
                                                    headers={"Accept": "application/json"})
        except httpx.TimeoutException as exc:
            raise Temporary(f"WooCommerce {where} timed out ({type(exc).__name__})") from None
        except httpx.InvalidURL:
            raise Rejected(f"WooCommerce {where}: the configured base_url is unusable") from None
        except httpx.TransportError as exc:
            # the type only: an exception's text may carry the URL, and with it the query secret
            raise Temporary(f"WooCommerce {where}: site unreachable ({type(exc).__name__})") from None
        failure = http_failure(response, where)
        if failure is not None:
            raise failure
        return decode_json(response, where), response.headers
