"""SeatDesk plugin API v1: everything a platform adapter may import from SeatDesk
(plus `desktop.sdk.signing` and `desktop.sdk.settings` helpers, `desktop.sdk.push` for
webhook deliveries, `desktop.sdk.websocket` for push streams, and the conformance
kit `desktop.sdk.testing` for its tests)."""

from .adapter import (
    API_VERSION,
    FLAG_HEX,
    AdapterContext,
    Capability,
    CredentialField,
    FlagColor,
    FlagOption,
    Page,
    PlatformAdapter,
    PlatformInfo,
    ReplyDeadline,
    Secrets,
    SettingField,
    Tokens,
)
from .commands import Command, SendMessage, SetBuyerTags, SetRemark, Transfer
from .errors import AdapterError, AuthExpired, PushUnavailable, RateLimited, Rejected, Temporary
from .events import (
    Direction,
    Event,
    MessageEvent,
    MessageKind,
    OrderEvent,
    OrderItem,
    OrderStatus,
    WarehouseStage,
)

__all__ = [
    "API_VERSION",
    "FLAG_HEX",
    "AdapterContext",
    "AdapterError",
    "AuthExpired",
    "Capability",
    "Command",
    "CredentialField",
    "Direction",
    "Event",
    "FlagColor",
    "FlagOption",
    "MessageEvent",
    "MessageKind",
    "OrderEvent",
    "OrderItem",
    "OrderStatus",
    "Page",
    "PlatformAdapter",
    "PlatformInfo",
    "PushUnavailable",
    "RateLimited",
    "Rejected",
    "ReplyDeadline",
    "Secrets",
    "SendMessage",
    "SetBuyerTags",
    "SetRemark",
    "SettingField",
    "Temporary",
    "Tokens",
    "Transfer",
    "WarehouseStage",
]
