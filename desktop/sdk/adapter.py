"""The adapter protocol: what a platform plugin declares and implements."""

from __future__ import annotations

import enum
import logging
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from .commands import SendMessage, SetRemark, Transfer
from .events import Event, MessageEvent, OrderEvent

if TYPE_CHECKING:
    # type-only: the UI imports the sdk before the first window, httpx after it
    import httpx

    from .push import WebhookQueue

API_VERSION = 1
"""The version of this plugin API. An adapter lists the versions it supports."""


class Capability(str, enum.Enum):
    MESSAGES = "messages"  # reads chat messages
    SEND = "send"  # sends chat messages
    ORDERS = "orders"  # reads orders
    REMARKS = "remarks"  # writes the seller memo + flag
    TRANSFER = "transfer"  # hands a chat to another account on the platform
    PUSH = "push"  # streams events as they happen
    OAUTH = "oauth"  # credentials come from an OAuth authorization step
    BUYER_TAGS = "buyer_tags"  # keeps buyer tags on the platform (Shopify customer tags)


class FlagColor(str, enum.Enum):
    """The unified colour model every platform's flag palette maps onto."""

    NONE = "none"
    GRAY = "gray"
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    BLUE = "blue"
    PURPLE = "purple"
    PINK = "pink"
    CYAN = "cyan"
    ORANGE = "orange"


FLAG_HEX: Mapping[FlagColor, str] = {
    FlagColor.NONE: "#00000000",
    FlagColor.GRAY: "#9e9e9e",
    FlagColor.RED: "#e53935",
    FlagColor.YELLOW: "#fbc02d",
    FlagColor.GREEN: "#43a047",
    FlagColor.BLUE: "#1e88e5",
    FlagColor.PURPLE: "#8e24aa",
    FlagColor.PINK: "#ec407a",
    FlagColor.CYAN: "#00acc1",
    FlagColor.ORANGE: "#fb8c00",
}


@dataclass(frozen=True, slots=True)
class FlagOption:
    """One entry of a platform's remark flag palette."""

    value: int  # what the platform's API takes
    color: FlagColor
    label: str  # the platform's own name, e.g. "红旗"


@dataclass(frozen=True, slots=True)
class CredentialField:
    """A credential the user must provide for a shop; stored only in the keyring."""

    name: str
    label: str
    secret: bool = True
    help: str = ""
    required: bool = True  # False: the shop works without it (e.g. a webhook secret, for push only)


@dataclass(frozen=True, slots=True)
class SettingField:
    """A non-secret per-shop setting the adapter reads from `AdapterContext.settings`
    (e.g. "base_url", the gateway override every adapter accepts). The app builds
    its shop settings form from these."""

    name: str
    label: str
    default: str | int | float | bool | None = None
    help: str = ""


@dataclass(frozen=True, slots=True)
class Tokens:
    """What an OAuth exchange or refresh yields. The engine keeps every field in the
    keyring under the shop's secrets (`access_token`, `refresh_token`, and each
    `extra` key) and asks for a refresh before `expires_at`."""

    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None  # timezone-aware; None = does not expire
    refresh_expires_at: datetime | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReplyDeadline:
    """The platform's reply-time rule, e.g. 180 s, only between 08:00 and 23:00.

    The active hours are wall-clock times in `timezone` (an IANA name): the
    platform's own, which for the Chinese platforms is Beijing time whatever the
    agent's machine says. A buyer message inside them is due `seconds` later; one
    outside them is due `seconds` after they next open. No hours: always active."""

    seconds: int
    active_from: time | None = None
    active_until: time | None = None
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class PlatformInfo:
    """What a platform adapter declares about itself."""

    platform_id: str  # stable id, e.g. "taobao"
    display_name: str  # shown to users, e.g. "淘宝/天猫"
    api_versions: tuple[int, ...]
    capabilities: frozenset[Capability]
    credential_fields: tuple[CredentialField, ...] = ()
    flags: tuple[FlagOption, ...] = ()
    reply_deadline: ReplyDeadline | None = None
    memo_max_chars: int | None = None
    memo_max_bytes: int | None = None  # UTF-8 bytes, for platforms that count bytes (Taobao)
    color: str = "#607d8b"  # badge colour hint
    settings: tuple[SettingField, ...] = ()
    # Plain words on what this platform's open API does not allow (e.g. "chat is not
    # offered by this platform's open API"), shown on the shop's card and chat pane.
    limits_note: str = ""
    # With Capability.PUSH: True when the platform POSTs webhooks (ctx.webhooks), so the user
    # must register the shop's webhook URL with it; False for a stream the adapter opens itself.
    push_by_webhook: bool = False

    def memo_problem(self, memo: str) -> str | None:
        """Why the platform would refuse `memo` as the seller memo, or None."""
        if self.memo_max_chars is not None and len(memo) > self.memo_max_chars:
            return f"{len(memo)} characters; {self.display_name} allows {self.memo_max_chars}"
        size = len(memo.encode("utf-8"))
        if self.memo_max_bytes is not None and size > self.memo_max_bytes:
            return f"{size} bytes (UTF-8); {self.display_name} allows {self.memo_max_bytes}"
        return None

    def flag(self, value: int | None) -> FlagOption | None:
        for option in self.flags:
            if option.value == value:
                return option
        return None


E = TypeVar("E", MessageEvent, OrderEvent)


@dataclass(frozen=True, slots=True)
class Page(Generic[E]):
    """One page of a feed. `next_cursor` resumes after it; `has_more` says go on now."""

    events: tuple[E, ...]
    next_cursor: str | None
    has_more: bool = False


class Secrets(Protocol):
    """The shop's credentials, read from the keyring by the engine."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None:
        """Keep a new value (a refreshed token) in the keyring."""


@dataclass(slots=True)
class AdapterContext:
    """Everything an adapter may use, scoped to one shop. Built by the engine."""

    http: httpx.AsyncClient
    logger: logging.Logger
    settings: Mapping[str, object]  # this shop's plugin settings (e.g. "base_url")
    secrets: Secrets
    platform_shop_id: str
    clock: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())
    # This shop's webhook deliveries when the user runs SeatDesk's receiver behind a public
    # URL (see desktop.sdk.push); None otherwise. Only webhook-pushed platforms read it.
    webhooks: WebhookQueue | None = None


@runtime_checkable
class PlatformAdapter(Protocol):
    """One shop's connection to its platform. Stateless translation only:
    scheduling, retries, persistence and threads belong to the engine."""

    info: ClassVar[PlatformInfo]

    def __init__(self, ctx: AdapterContext) -> None: ...

    async def check_connection(self) -> None:
        """Raise a typed error unless the credentials work."""

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]: ...

    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]: ...

    async def send_message(self, cmd: SendMessage) -> str:
        """Deliver; return the platform message id. Same key twice → same id."""

    async def set_remark(self, cmd: SetRemark) -> None: ...

    async def transfer(self, cmd: Transfer) -> None: ...

    # Only with Capability.OAUTH (class-level: they run before the shop exists):
    #   @classmethod authorize_url(cls, settings, secrets, redirect_uri, state) -> str
    #   async exchange_code(self, code: str, redirect_uri: str) -> Tokens
    #   async refresh_tokens(self) -> Tokens
    # Only with Capability.BUYER_TAGS:
    #   async set_buyer_tags(self, cmd: SetBuyerTags) -> None
    # Only with Capability.PUSH:
    #   def push(self) -> AsyncGenerator[Event, None]  (an async generator; the engine
    #   closes it on shutdown; any error ends it, and the pulls stay the truth). A stream
    #   (TMC, PMC) connects out itself; a webhook platform reads `ctx.webhooks` and raises
    #   PushUnavailable when it is None (the engine then polls at the normal pace).
    #   Acknowledge a platform's message only after yielding its events.

