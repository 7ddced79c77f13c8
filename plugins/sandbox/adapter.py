"""The sandbox adapters: sdk calls → signed sandbox HTTP requests, replies → sdk events.

Settings (per shop, under ``plugins.<platform_id>.``):
    ``base_url``      the sandbox URL, e.g. ``http://127.0.0.1:8765`` (required)
    ``page_size``     records per feed page, 1..500 (default 200)
    ``push_timeout``  long-poll seconds, 1..30 (default 20)
Credentials come from the keyring: ``app_key``, ``app_secret``, ``access_token``.

Stateless translation only: no retries, sleeps or persistence here (the
engine owns those); the one loop is `push()`'s long-poll.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Mapping
from datetime import time
from typing import Any, ClassVar

import httpx

from desktop.sdk import (
    AdapterContext,
    AuthExpired,
    Capability,
    CredentialField,
    Event,
    FlagColor,
    FlagOption,
    MessageEvent,
    OrderEvent,
    Page,
    PlatformInfo,
    RateLimited,
    Rejected,
    ReplyDeadline,
    SendMessage,
    SetRemark,
    SettingField,
    Temporary,
    Transfer,
)

from .mapping import ORDER_MAPPERS, OrderMapper, malformed, message_page, order_page, push_batch
from .protocol import (
    DY_MEMO_MAX_CHARS,
    PAGE_LIMIT_MAX,
    PLATFORM_DY,
    PLATFORM_TB,
    PUSH_TIMEOUT_MAX,
    TB_MEMO_MAX_BYTES,
    signed_params,
)

DEFAULT_PAGE_SIZE = 200
DEFAULT_PUSH_TIMEOUT = 20.0
_PUSH_GRACE_S = 10.0  # read timeout beyond the long-poll, so a slow reply is not a timeout

_CAPABILITIES = frozenset(
    {Capability.MESSAGES, Capability.SEND, Capability.ORDERS, Capability.REMARKS, Capability.TRANSFER, Capability.PUSH}
)
_SETTINGS = (
    SettingField("base_url", "网关地址", None, "The sandbox server's URL, e.g. http://127.0.0.1:8765."),
    SettingField("page_size", "每页条数", DEFAULT_PAGE_SIZE, "Records per feed page, 1..500."),
    SettingField("push_timeout", "推送长轮询秒数", DEFAULT_PUSH_TIMEOUT, "Seconds one push long-poll waits."),
)
_CREDENTIALS = (
    CredentialField("app_key", "App Key", secret=False, help="Printed by `seatdesk sandbox serve`."),
    CredentialField("app_secret", "App Secret", help="Signs every request; never leaves this machine."),
    CredentialField("access_token", "Access Token", help="The shop's authorization token."),
)


def _setting_number(settings: Mapping[str, object], name: str, default: float, low: float, high: float) -> float:
    value = settings.get(name, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise Rejected(f"setting {name} must be a number in {low:g}..{high:g}, got {value!r}")
    return float(value)


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return 1.0  # absent or an HTTP date: a polite default


def _error_fields(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error")
        return str(error.get("code") or ""), str(error.get("message") or "")
    except (ValueError, AttributeError):
        return "", ""


class SandboxAdapter:
    """One shop on the sandbox platform; subclasses fix the flavour."""

    info: ClassVar[PlatformInfo]

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx
        self._map_order: OrderMapper = ORDER_MAPPERS[self.info.platform_id]

    # -- plumbing --

    def _credentials(self) -> tuple[str, str, str]:
        values = []
        for name in ("app_key", "app_secret", "access_token"):
            value = self._ctx.secrets.get(name)
            if not value:
                raise AuthExpired(f"sandbox credential {name!r} is missing; sign in to the shop again")
            values.append(value)
        return values[0], values[1], values[2]

    def _url(self, path: str) -> str:
        base = self._ctx.settings.get("base_url")
        if not isinstance(base, str) or not base:
            raise Rejected("setting base_url is not set (e.g. http://127.0.0.1:8765)")
        return base.rstrip("/") + path

    async def _call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> dict[str, Any]:
        app_key, app_secret, access_token = self._credentials()
        text = None if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        params = signed_params(
            app_key=app_key,
            app_secret=app_secret,
            access_token=access_token,
            shop_id=self._ctx.platform_shop_id,
            timestamp=int(self._ctx.clock().timestamp()),
            query=query,
            body=text,
        )
        try:
            response = await self._ctx.http.request(
                method,
                self._url(path),
                params=params,
                content=None if text is None else text.encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"} if text is not None else None,
                timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
            )
        except httpx.TimeoutException as exc:
            raise Temporary(f"sandbox timed out on {method} {path}: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise Temporary(f"sandbox unreachable on {method} {path}: {type(exc).__name__}: {exc}") from exc
        except httpx.InvalidURL as exc:
            raise Rejected(f"setting base_url is not a usable URL: {exc}") from exc
        return self._decode(response, path)

    @staticmethod
    def _decode(response: httpx.Response, path: str) -> dict[str, Any]:
        status = response.status_code
        if 200 <= status < 300:
            try:
                payload = json.loads(response.content.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise malformed(f"{path} reply", f"is not valid JSON ({exc})") from None
            if not isinstance(payload, dict):
                raise malformed(f"{path} reply", f"is {type(payload).__name__}, not an object")
            return payload
        code, message = _error_fields(response)
        detail = f"{code}: {message}" if code else f"HTTP {status}"
        if status == 401:
            raise AuthExpired(f"sandbox refused the credentials ({detail})")
        if status == 429:
            raise RateLimited(_retry_after(response), f"sandbox rate limit on {path} ({detail})")
        if 400 <= status < 500:
            raise Rejected(detail if code else f"http_{status}: {path} refused")
        raise Temporary(f"sandbox HTTP {status} on {path} ({detail})")

    # -- the adapter protocol --

    async def check_connection(self) -> None:
        payload = await self._call("GET", "/api/ping")
        if payload.get("ok") is not True:
            raise malformed("/api/ping reply", "lacks ok=true")

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        size = int(_setting_number(self._ctx.settings, "page_size", DEFAULT_PAGE_SIZE, 1, PAGE_LIMIT_MAX))
        return message_page(await self._call("GET", "/api/messages", query={"cursor": cursor, "limit": size}))

    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        size = int(_setting_number(self._ctx.settings, "page_size", DEFAULT_PAGE_SIZE, 1, PAGE_LIMIT_MAX))
        payload = await self._call("GET", "/api/orders", query={"cursor": cursor, "limit": size})
        return order_page(payload, self._map_order)

    async def send_message(self, cmd: SendMessage) -> str:
        body = {"conversation_id": cmd.conversation_id, "text": cmd.text, "client_msg_id": cmd.idempotency_key}
        msg_id = (await self._call("POST", "/api/messages/send", body=body)).get("msg_id")
        if not isinstance(msg_id, str) or not msg_id:
            raise malformed("/api/messages/send reply", "lacks a msg_id")
        return msg_id

    async def set_remark(self, cmd: SetRemark) -> None:
        # Both palettes use 0 (grey) for "no flag", which is what None asks for.
        body = {
            "order_id": cmd.platform_order_id,
            "memo": cmd.text,
            "flag": 0 if cmd.flag is None else cmd.flag,
            "client_key": cmd.idempotency_key,  # a retry after a lost reply is not applied twice
        }
        await self._call("POST", "/api/orders/remark", body=body)

    async def transfer(self, cmd: Transfer) -> None:
        body = {
            "conversation_id": cmd.conversation_id,
            "to_account": cmd.to_account,
            "reason": cmd.reason,
            "client_key": cmd.idempotency_key,
        }
        await self._call("POST", "/api/conversations/transfer", body=body)

    async def push(self) -> AsyncGenerator[Event, None]:
        """Long-poll /api/push from now on. Errors end the stream; pull stays the truth."""
        wait = _setting_number(self._ctx.settings, "push_timeout", DEFAULT_PUSH_TIMEOUT, 1, PUSH_TIMEOUT_MAX)
        # A zero-wait call pins "now" before the first long-poll, so nothing that
        # happens after push() starts is missed.
        first = await self._call("GET", "/api/push", query={"timeout": 0})
        _, cursor = push_batch(first, self._map_order)
        timeout = httpx.Timeout(wait + _PUSH_GRACE_S)
        while True:
            payload = await self._call("GET", "/api/push", query={"cursor": cursor, "timeout": wait}, timeout=timeout)
            events, cursor = push_batch(payload, self._map_order)
            for event in events:
                yield event


class TaobaoLikeAdapter(SandboxAdapter):
    """The Taobao-flavoured sandbox shop: string statuses, yuan strings, 0–5 flags."""

    info = PlatformInfo(
        platform_id=PLATFORM_TB,
        display_name="沙箱·淘系",
        api_versions=(1,),
        capabilities=_CAPABILITIES,
        credential_fields=_CREDENTIALS,
        settings=_SETTINGS,
        flags=(
            FlagOption(0, FlagColor.GRAY, "灰旗"),
            FlagOption(1, FlagColor.RED, "红旗"),
            FlagOption(2, FlagColor.YELLOW, "黄旗"),
            FlagOption(3, FlagColor.GREEN, "绿旗"),
            FlagOption(4, FlagColor.BLUE, "蓝旗"),
            FlagOption(5, FlagColor.PURPLE, "紫旗"),
        ),
        reply_deadline=ReplyDeadline(180, time(8, 0), time(23, 0)),
        # Exactly what the server enforces: UTF-8 bytes, not characters (333 CJK
        # characters, 1000 ASCII ones or 250 emoji).
        memo_max_bytes=TB_MEMO_MAX_BYTES,
        color="#ff5000",
    )


class DouyinLikeAdapter(SandboxAdapter):
    """The Doudian-flavoured sandbox shop: integer statuses, fen amounts, star colours."""

    info = PlatformInfo(
        platform_id=PLATFORM_DY,
        display_name="沙箱·抖店",
        api_versions=(1,),
        capabilities=_CAPABILITIES,
        credential_fields=_CREDENTIALS,
        settings=_SETTINGS,
        flags=(
            FlagOption(0, FlagColor.GRAY, "灰旗"),
            FlagOption(1, FlagColor.PURPLE, "紫旗"),
            FlagOption(2, FlagColor.CYAN, "青旗"),
            FlagOption(3, FlagColor.GREEN, "绿旗"),
            FlagOption(4, FlagColor.ORANGE, "橙旗"),
            FlagOption(5, FlagColor.RED, "红旗"),
        ),
        reply_deadline=ReplyDeadline(180),
        memo_max_chars=DY_MEMO_MAX_CHARS,  # characters, whatever their UTF-8 size
        color="#1f1f1f",
    )
