"""Pinduoduo's PMC message service (research/platform-apis.md §3.7): the WebSocket URL,
the frames both ways, and a session that keeps the heartbeat going while it waits.

Wire (§3.7; PDD-NET ``src/PddOpenSdk/Models/SocketMessageModel.cs``)
    URL   ``{pmc_url}/message/{client_id}/{timestamp_ms}/{digest}``, digest =
          base64(lowercase hex MD5(client_id + timestamp_ms + client_secret)).
    in    ``{"id", "commandType": "Common", "time", "sendTime",
          "message": {"type", "mallID", "content"}}``; ``type`` is the topic
          (``pdd_trade_TradeSellerShip`` ...), ``mallID`` the shop, ``content`` a JSON
          string with at least ``tid`` (the order sn).
    out   ``{"commandType": "HeartBeat", "time"}`` periodically, and per handled message
          ``{"id", "commandType": "Ack", "time", "sendTime", "type", "mallID"}`` echoing it.
    Times are Unix milliseconds; ids and mallIDs are JSON numbers (C# ``long``) and are
    echoed exactly as they came.

``commandType``'s wire form is **unverified** (§11 question 2): the C# model is an enum
HeartBeat/Ack/Fail/Common. We send the names ("HeartBeat", "Ack"), as community clients
in the public code index do, and accept either the names or the enum's ordinals
(HeartBeat=0, Ack=1, Fail=2, Common=3) inbound.

The app, not the shop, holds the connection: every mall that authorised the app and has
the service enabled (``pdd.pmc.user.permit``) is delivered over it, so a message may be
for another shop of the same app. Unconsumed messages are kept 7 days and redelivered
([COMMUNITY] notes in §3.7), which is why an ack goes out only once the message's events
were taken.
"""

from __future__ import annotations

import asyncio
import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.sdk.websocket import WebSocket

from .protocol import pmc_digest

PMC_URL = "wss://message-api.pinduoduo.com"
HEARTBEAT_S = 10  # community clients beat every 5–10 s; the spec gives no figure
HEARTBEAT_MIN_S, HEARTBEAT_MAX_S = 1, 60
# Topics about an order (§3.7): the message names it in content.tid; we read the order.
ORDER_TOPIC_PREFIXES = ("pdd_trade_", "pdd_refund_")


class Command(enum.IntEnum):
    """``commandType``, numbered as the C# enum orders it."""

    HEART_BEAT = 0
    ACK = 1
    FAIL = 2
    COMMON = 3


WIRE_NAMES: Mapping[Command, str] = {
    Command.HEART_BEAT: "HeartBeat",
    Command.ACK: "Ack",
    Command.FAIL: "Fail",
    Command.COMMON: "Common",
}
_BY_NAME = {name.lower(): command for command, name in WIRE_NAMES.items()}


class BadMessage(Exception):
    """A frame that does not carry what the spec says it carries."""


def command(value: object) -> Command | None:
    """An inbound ``commandType``, given as its name or its ordinal; None if unknown."""
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            value = int(text)
        else:
            return _BY_NAME.get(text.lower())
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return Command(value)
        except ValueError:
            return None
    return None


def url(base: str, client_id: str, timestamp_ms: int, secret: str) -> str:
    """The connection URL. The digest is base64 of hex digits, so it never holds ``+`` or
    ``/``; only its ``=`` padding, which a path may carry as it is."""
    return f"{base.rstrip('/')}/message/{client_id}/{timestamp_ms}/{pmc_digest(client_id, timestamp_ms, secret)}"


@dataclass(frozen=True, slots=True)
class Inbound:
    """One ``Common`` frame's envelope; `id`, `send_time` and `mall_id` as they came."""

    id: object
    send_time: object
    topic: str
    mall_id: object
    content: str

    @property
    def mall(self) -> str:
        return str(self.mall_id)

    def is_about_an_order(self) -> bool:
        return self.topic.startswith(ORDER_TOPIC_PREFIXES)


def _is_id(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value != "")


def inbound(frame: Mapping[str, Any]) -> Inbound:
    """A ``Common`` frame's envelope, or BadMessage naming what is wrong."""
    if not _is_id(frame.get("id")):
        raise BadMessage(f"id is {frame.get('id')!r}")
    message = frame.get("message")
    if not isinstance(message, dict):
        raise BadMessage(f"message is {type(message).__name__}, not an object")
    topic, mall_id, content = message.get("type"), message.get("mallID"), message.get("content")
    if not isinstance(topic, str) or not topic:
        raise BadMessage(f"message.type is {topic!r}")
    if not _is_id(mall_id):
        raise BadMessage(f"message.mallID is {mall_id!r}")
    if not isinstance(content, str):
        raise BadMessage(f"message.content is {type(content).__name__}, not a JSON string")
    return Inbound(frame["id"], frame.get("sendTime"), topic, mall_id, content)


def order_sn(message: Inbound) -> str:
    """``tid`` from the message's content (a JSON string), or BadMessage."""
    try:
        content = json.loads(message.content)
    except ValueError:
        raise BadMessage("message.content is not JSON") from None
    tid = content.get("tid") if isinstance(content, dict) else None
    if isinstance(tid, bool) or not isinstance(tid, (str, int)) or tid == "":
        raise BadMessage(f"message.content.tid is {tid!r}")
    return str(tid)


def heartbeat_frame(now_ms: int) -> dict[str, object]:
    return {"commandType": WIRE_NAMES[Command.HEART_BEAT], "time": now_ms}


def ack_frame(frame: Mapping[str, Any], now_ms: int) -> dict[str, object] | None:
    """The ack for an inbound frame, echoing its id, sendTime, type and mallID; fields the
    frame lacks are left out. None when it has no id (nothing to acknowledge)."""
    if not _is_id(frame.get("id")):
        return None
    message = frame.get("message")
    message = message if isinstance(message, dict) else {}
    ack: dict[str, object] = {"id": frame["id"], "commandType": WIRE_NAMES[Command.ACK], "time": now_ms}
    for key, value in (("sendTime", frame.get("sendTime")), ("type", message.get("type")),
                       ("mallID", message.get("mallID"))):
        if value is not None:
            ack[key] = value
    return ack


class Session:
    """One open connection: frames in, heartbeats and acks out. A heartbeat goes out at
    once and then every `heartbeat_s` seconds of waiting (never while the adapter's
    consumer holds a yielded event; the engine takes those at once)."""

    def __init__(self, socket: WebSocket, heartbeat_s: float, now_ms: Callable[[], int]) -> None:
        self._socket = socket
        self._interval = heartbeat_s
        self._now_ms = now_ms
        self._due = 0.0  # loop time of the next heartbeat; 0 = now

    async def heartbeat(self) -> None:
        await self._socket.send_json(heartbeat_frame(self._now_ms()))
        self._due = asyncio.get_running_loop().time() + self._interval

    async def receive(self) -> dict[str, Any]:
        """The next frame, beating the heart whenever it is due while waiting."""
        loop = asyncio.get_running_loop()
        while True:
            wait = self._due - loop.time()
            if wait <= 0:
                await self.heartbeat()
                continue
            frame = await self._socket.receive_json(timeout=wait)
            if frame is not None:
                return frame

    async def ack(self, frame: Mapping[str, Any]) -> bool:
        """Acknowledge `frame`; False when it has no id to acknowledge."""
        ack = ack_frame(frame, self._now_ms())
        if ack is None:
            return False
        await self._socket.send_json(ack)
        return True
