"""TMC (淘宝消息服务) over HTTP pull: the wire calls and the sorting of a consumed batch
(research/platform-apis.md §2.7; envelope, signing and limits as in §2.1–2.3, 2.9).

`taobao.tmc.user.permit`, with the seller's session, turns the message service on for
the shop. `taobao.tmc.messages.consume` hands out up to `quantity` (10..200) messages of
the app's queue (or of one user group); a message not confirmed with
`taobao.tmc.messages.confirm` (`s_message_ids`, at most 200 a call) is delivered again.
Consume and confirm are app-level calls and go without a session [UNVERIFIED in the spec].

The queue belongs to the *app key*: every shop authorized to the app shares it unless the
developer splits the shops into TMC user groups (taobao.tmc.group.add) and each shop reads
its own group (setting `tmc_group`). So a message of another shop is left unconfirmed here,
for its own consumer to take when it is delivered again.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.sdk import PushUnavailable, Rejected, Secrets, Temporary
from desktop.sdk.settings import setting_int, setting_text

from .client import TopClient
from .envelope import NoPermission
from .mapping import Record
from .protocol import (
    ORDER_TOPIC_PREFIXES,
    TMC_CONFIRM,
    TMC_CONFIRM_MAX,
    TMC_CONSUME,
    TMC_DEFAULT_GROUP,
    TMC_QUANTITY_DEFAULT,
    TMC_QUANTITY_MAX,
    TMC_QUANTITY_MIN,
    TMC_USER_PERMIT,
)

# The spec suggests ~100 ms between empty consumes; a desktop client with a safety pull
# every 15 s can wait a second and save the app's call quota (1 call/s per shop when idle).
IDLE_S_DEFAULT = 1.0
IDLE_S_MIN, IDLE_S_MAX = 0.01, 60.0

NO_APP_RIGHTS = "应用未开通淘宝消息服务(TMC)权限，订单按轮询同步"
NO_USER_RIGHTS = "该店铺账号无权开通淘宝消息服务(TMC)，订单按轮询同步"


@dataclass(frozen=True, slots=True)
class TmcSettings:
    """The shop's TMC settings: which group to read, how many at a time, the pause when empty."""

    group: str = TMC_DEFAULT_GROUP
    quantity: int = TMC_QUANTITY_DEFAULT
    idle_s: float = IDLE_S_DEFAULT

    @classmethod
    def read(cls, settings: Mapping[str, object]) -> TmcSettings:
        return cls(
            group=setting_text(settings, "tmc_group", TMC_DEFAULT_GROUP),
            quantity=setting_int(settings, "tmc_quantity", TMC_QUANTITY_DEFAULT, TMC_QUANTITY_MIN, TMC_QUANTITY_MAX),
            idle_s=_setting_seconds(settings, "tmc_idle_s", IDLE_S_DEFAULT, IDLE_S_MIN, IDLE_S_MAX),
        )

    def group_param(self) -> dict[str, str]:
        """`group_name` only for a named group: the API reads the default group without it, and
        refuses a group name when the app has no user groups (spec 2.7, consume's doc)."""
        return {} if self.group in ("", TMC_DEFAULT_GROUP) else {"group_name": self.group}


def _setting_seconds(settings: Mapping[str, object], name: str, default: float, low: float, high: float) -> float:
    """A number of seconds, "1.5" or 1.5 (desktop.sdk.settings reads whole numbers only)."""
    value = settings.get(name)
    if value is None or value == "":
        return default
    seconds = math.nan
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except ValueError:
            pass
    if not low <= seconds <= high:  # also true for NaN
        raise Rejected(f"setting {name} must be a number of seconds in {low}..{high}, got {value!r}")
    return seconds


@dataclass(frozen=True, slots=True)
class ShopIdentity:
    """Who this shop is in TMC messages (`user_id`, `user_nick`): the ids and nick the
    authorization step stored (taobao_user_id / taobao_user_nick) and the shop id the user
    entered, which for Taobao is the seller's user id or nick."""

    user_ids: frozenset[str]
    nicks: frozenset[str]

    @classmethod
    def of(cls, platform_shop_id: str, secrets: Secrets) -> ShopIdentity:
        ids = {platform_shop_id.strip(), secrets.get("taobao_user_id") or ""}
        nicks = {platform_shop_id.strip(), secrets.get("taobao_user_nick") or ""}
        return cls(frozenset(i for i in ids if i), frozenset(n for n in nicks if n))

    def owns(self, user_id: str, nick: str) -> bool:
        return bool(user_id and user_id in self.user_ids) or bool(nick and nick in self.nicks)


@dataclass(slots=True)
class Batch:
    """One consumed batch, sorted: the orders to fetch (each once, first mention first)
    and the message ids to confirm once they are yielded."""

    tids: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)
    others: int = 0  # other shops' messages, left for redelivery

    def take(self, message_id: str, tid: str | None = None) -> None:
        self.confirm.append(message_id)
        if tid is not None and tid not in self.tids:
            self.tids.append(tid)


def is_order_topic(topic: str) -> bool:
    return topic.startswith(ORDER_TOPIC_PREFIXES)


def _ident(value: object) -> str:
    """A TOP id as text: a JSON number or a digit string; anything else → ""."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return ""
    text = str(value).strip()
    return text if text.isdigit() else ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def tid_of(content: object) -> str | None:
    """The trade id in a message's `content` (a JSON string, spec 2.7), or None."""
    if not isinstance(content, str):
        return None
    try:
        data = json.loads(content)
    except ValueError:
        return None
    return (_ident(data.get("tid")) or None) if isinstance(data, dict) else None


def sort_batch(entries: Sequence[object], shop: ShopIdentity, logger: logging.Logger) -> Batch:
    """Decide for each message: take its order, confirm and ignore it, or leave it.
    Logs name the message id and topic only (contents carry buyer data)."""
    batch = Batch()
    for i, entry in enumerate(entries):
        message = entry if isinstance(entry, dict) else {}
        message_id = _ident(message.get("id"))
        topic = _text(message.get("topic"))
        if not message_id:  # nothing to confirm it by: skip it, keep the rest of the batch
            logger.warning("taobao: TMC message %d of the batch has no id; skipped", i)
            continue
        user_id, nick = _ident(message.get("user_id")), _text(message.get("user_nick"))
        if not user_id and not nick:
            logger.warning("taobao: TMC message %s (%s) names no user; confirmed and dropped", message_id, topic)
            batch.take(message_id)
        elif not shop.owns(user_id, nick):
            logger.debug("taobao: TMC message %s (%s) is another shop's; left in the queue", message_id, topic)
            batch.others += 1
        elif not is_order_topic(topic):
            logger.debug("taobao: TMC message %s (%s) is not about an order; confirmed", message_id, topic)
            batch.take(message_id)
        else:
            tid = tid_of(message.get("content"))
            if tid is None:
                logger.warning("taobao: TMC message %s (%s) has no trade id in its content; confirmed and dropped",
                               message_id, topic)
            batch.take(message_id, tid)
    return batch


def chunks(ids: Sequence[str], size: int = TMC_CONFIRM_MAX) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


class TmcQueue:
    """The three TMC calls for one shop, over its signed TOP client."""

    def __init__(self, top: TopClient, settings: TmcSettings) -> None:
        self._top = top
        self.settings = settings

    async def permit(self) -> None:
        """taobao.tmc.user.permit without `topics` (given, it would overwrite the shop's
        whole topic list): the shop receives every topic the app subscribes to."""
        try:
            result = await self._top.call(TMC_USER_PERMIT, {})
        except NoPermission as exc:
            raise PushUnavailable(NO_APP_RIGHTS if exc.app_side else NO_USER_RIGHTS) from exc
        if result.get("is_success") is False:
            raise Temporary(f"Taobao did not turn the message service on ({TMC_USER_PERMIT} is_success false)")

    async def consume(self) -> list[Any]:
        """Up to `quantity` messages (none when the queue is empty)."""
        params = {**self.settings.group_param(), "quantity": str(self.settings.quantity)}
        result = await self._call(TMC_CONSUME, params)
        return Record(result, f"{TMC_CONSUME} reply").listed("messages", "tmc_message")

    async def confirm(self, ids: Sequence[str]) -> None:
        for part in chunks(ids):
            params = {**self.settings.group_param(), "s_message_ids": ",".join(part)}
            result = await self._call(TMC_CONFIRM, params)
            if result.get("is_success") is False:
                raise Temporary(f"Taobao did not confirm {len(part)} TMC messages ({TMC_CONFIRM} is_success false)")

    async def _call(self, api: str, params: Mapping[str, str]) -> dict[str, Any]:
        try:
            return await self._top.call(api, params, session=False)
        except NoPermission as exc:
            raise PushUnavailable(NO_APP_RIGHTS if exc.app_side else NO_USER_RIGHTS) from exc
