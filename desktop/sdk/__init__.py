"""SeatDesk plugin API v1: everything a platform adapter may import from SeatDesk."""

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
)
from .commands import Command, SendMessage, SetRemark, Transfer
from .errors import AdapterError, AuthExpired, RateLimited, Rejected, Temporary
from .events import (
    Direction,
    Event,
    MessageEvent,
    MessageKind,
    OrderEvent,
    OrderItem,
    OrderStatus,
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
    "RateLimited",
    "Rejected",
    "ReplyDeadline",
    "Secrets",
    "SendMessage",
    "SetRemark",
    "Temporary",
    "Transfer",
]
