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
    flag: int | None  # the platform's own flag value; None keeps no flag


@dataclass(frozen=True, slots=True)
class Transfer:
    idempotency_key: str
    conversation_id: str
    to_account: str  # the platform-side account or group to hand the chat to
    reason: str = ""


Command = SendMessage | SetRemark | Transfer
