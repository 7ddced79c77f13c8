"""Commands the engine hands an adapter; each carries an idempotency key."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SendMessage:
    idempotency_key: str
    conversation_id: str  # platform conversation id
    buyer_id: str
    text: str


@dataclass(frozen=True, slots=True)
class SetRemark:
    idempotency_key: str
    platform_order_id: str
    text: str
    # The platform's own flag value (see PlatformInfo.flags). None = no flag: the
    # adapter sends the platform's "no flag" value (0 on the Chinese platforms).
    flag: int | None


@dataclass(frozen=True, slots=True)
class Transfer:
    idempotency_key: str
    conversation_id: str
    to_account: str  # the platform-side account or group to hand the chat to
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SetBuyerTags:
    """Add and remove buyer tags on the platform (only with Capability.BUYER_TAGS)."""

    idempotency_key: str
    buyer_id: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


Command = SendMessage | SetRemark | Transfer | SetBuyerTags
