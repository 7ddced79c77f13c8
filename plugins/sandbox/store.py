"""The platform's state for every shop, its feeds, and the commands that change it.

One re-entrant lock guards everything: the HTTP threads and the simulator thread
both go through it, and each shop's long-polls wait on a Condition sharing it.
"""

from __future__ import annotations

import random
import string
import threading
import time
from collections.abc import Callable
from typing import Any

from .catalog import SHOP_THEMES
from .flavours import FLAVOURS, flavour_for_shop
from .model import (
    Buyer,
    Conversation,
    Credentials,
    Order,
    OrderLine,
    Product,
    RemarkEntry,
    Shop,
    Stage,
)
from .protocol import FLAG_VALUES, PUSH_MAX_EVENTS, TEXT_MAX_CHARS


class ApiError(Exception):
    """A refusal the HTTP layer turns into `{"error": {...}}` with `status`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.hexdigits[:16]) for _ in range(n))


def make_shop(number: int, seed: int, lock: threading.RLock) -> Shop:
    """Shop `number` (1-based) of a sandbox seeded with `seed`; same inputs, same shop."""
    flavour = flavour_for_shop(number)
    # A string seed is hashed with SHA-512, so this is stable across runs and versions.
    rng = random.Random(f"sandbox-shop:{seed}:{number}")
    name, theme, products = SHOP_THEMES[(number - 1) % len(SHOP_THEMES)]
    if number > len(SHOP_THEMES):
        name = f"{name}{(number - 1) // len(SHOP_THEMES) + 1}号店"
    return Shop(
        number=number,
        platform_shop_id=flavour.shop_id(rng),
        platform=flavour.platform,
        name=name,
        theme=theme,
        credentials=Credentials(
            app_key=str(rng.randrange(10**7, 10**8)),
            app_secret=_hex(rng, 32),
            access_token=f"{number:02d}" + _hex(rng, 38),
        ),
        products=[
            Product(sku_id=str(rng.randrange(10**11, 10**12)), title=title, price_fen=price)
            for title, price in products
        ],
        cond=threading.Condition(lock),
    )


class Store:
    """Every shop of one sandbox platform instance."""

    def __init__(self, shops: int, seed: int, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self.closed = False
        self.shops = [make_shop(n, seed, self.lock) for n in range(1, shops + 1)]
        self._by_id = {shop.platform_shop_id: shop for shop in self.shops}

    def shop(self, platform_shop_id: str) -> Shop:
        shop = self._by_id.get(platform_shop_id)
        if shop is None:
            raise ApiError(404, "shop_not_found", f"no shop {platform_shop_id!r}")
        return shop

    def close(self) -> None:
        """Wake every long-poll so server threads can finish."""
        with self.lock:
            self.closed = True
            for shop in self.shops:
                shop.cond.notify_all()

    # -- primitives (the simulator calls these while holding the lock) --

    def now_ms(self, shop: Shop) -> int:
        # Never earlier than the shop's previous record, even if the wall clock steps back.
        ms = max(int(self._clock() * 1000), shop.last_created_ms)
        shop.last_created_ms = ms
        return ms

    def add_buyer(self, shop: Shop, buyer_id: str, nick: str, conversation_id: str = "") -> Buyer:
        with self.lock:
            if not conversation_id:
                n = len(shop.conversations) + 1
                while f"cv{shop.number}-{n:06d}" in shop.conversations:
                    n += 1
                conversation_id = f"cv{shop.number}-{n:06d}"
            buyer = Buyer(buyer_id=buyer_id, nick=nick, conversation_id=conversation_id)
            shop.buyers[buyer_id] = buyer
            shop.conversations.setdefault(conversation_id, Conversation(conversation_id, buyer_id))
            return buyer

    def append_message(
        self,
        shop: Shop,
        conversation_id: str,
        *,
        direction: str,
        sender: str,
        kind: str,
        content: str,
        client_msg_id: str | None = None,
    ) -> dict[str, Any]:
        with self.lock:
            conversation = shop.conversations[conversation_id]
            buyer = shop.buyers[conversation.buyer_id]
            record: dict[str, Any] = {
                "msg_id": f"m{shop.number}-{len(shop.messages) + 1:07d}",
                "conversation_id": conversation_id,
                "buyer_id": buyer.buyer_id,
                "buyer_nick": buyer.nick,
                "direction": direction,
                "sender": sender,
                "type": kind,
                "content": content,
                "created_at": self.now_ms(shop),
                "client_msg_id": client_msg_id,
            }
            shop.messages.append(record)
            conversation.msg_ids.append(record["msg_id"])
            shop.events.append(("message", len(shop.messages) - 1))
            shop.cond.notify_all()
            return record

    def new_order(
        self,
        shop: Shop,
        buyer: Buyer,
        lines: list[OrderLine],
        receiver: tuple[str, str, tuple[str, str, str]],
    ) -> Order:
        with self.lock:
            flavour = FLAVOURS[shop.platform]
            now = self.now_ms(shop)
            name, mobile, region = receiver
            order = Order(
                order_id=flavour.order_id(shop.number, shop.next_order_no),
                buyer_id=buyer.buyer_id,
                buyer_nick=buyer.nick,
                conversation_id=buyer.conversation_id,
                lines=lines,
                total_fen=sum(line.quantity * line.unit_price_fen for line in lines),
                receiver_name=name,
                receiver_mobile=mobile,
                region=region,
                created_ms=now,
                modified_ms=now,
            )
            shop.next_order_no += 1
            shop.orders[order.order_id] = order
            self.touch_order(shop, order)
            return order

    def touch_order(self, shop: Shop, order: Order) -> None:
        """Record that `order` changed: it moves to the end of the order feed."""
        with self.lock:
            order.modified_ms = self.now_ms(shop)
            shop.order_log.append(order.order_id)
            order.mod_seq = len(shop.order_log)
            shop.events.append(("order", order.mod_seq))
            shop.cond.notify_all()

    # -- feeds --

    def messages_page(self, shop: Shop, after: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
        with self.lock:
            records = shop.messages[after : after + limit]
            end = after + len(records)
            return records, end, end < len(shop.messages)

    def _live(self, shop: Shop, seq: int) -> Order | None:
        """The order at feed position `seq` (1-based), unless a later change superseded it."""
        order = shop.orders[shop.order_log[seq - 1]]
        return order if order.mod_seq == seq else None

    def orders_page(self, shop: Shop, after: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
        with self.lock:
            render = FLAVOURS[shop.platform].render_order
            log_len = len(shop.order_log)
            out: list[dict[str, Any]] = []
            pos = after
            while pos < log_len and len(out) < limit:
                pos += 1
                order = self._live(shop, pos)
                if order is not None:
                    out.append(render(order))
            # Step over superseded entries so has_more never promises an empty page.
            while pos < log_len and self._live(shop, pos + 1) is None:
                pos += 1
            return out, pos, pos < log_len

    def push_wait(self, shop: Shop, after: int | None, timeout: float) -> tuple[list[dict[str, Any]], int]:
        """Events after `after` (None = now), waiting up to `timeout` s for the first one."""
        deadline = time.monotonic() + timeout
        with self.lock:
            if after is None or after > len(shop.events):
                after = len(shop.events)
            shop.push_waiters += 1
            try:
                while len(shop.events) <= after and not self.closed:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    shop.cond.wait(remaining)
            finally:
                shop.push_waiters -= 1
            render = FLAVOURS[shop.platform].render_order
            end = min(len(shop.events), after + PUSH_MAX_EVENTS)
            events: list[dict[str, Any]] = []
            for kind, ref in shop.events[after:end]:
                if kind == "message":
                    events.append({"kind": "message", "message": shop.messages[ref]})
                elif (order := self._live(shop, ref)) is not None:
                    events.append({"kind": "order", "order": render(order)})
            return events, end

    # -- commands --

    def _conversation(self, shop: Shop, conversation_id: object) -> Conversation:
        if not isinstance(conversation_id, str) or conversation_id not in shop.conversations:
            raise ApiError(404, "conversation_not_found", f"no conversation {conversation_id!r}")
        return shop.conversations[conversation_id]

    def send(self, shop: Shop, conversation_id: object, text: object, client_msg_id: object) -> str:
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "empty_text", "text must be a non-empty string")
        if len(text) > TEXT_MAX_CHARS:
            raise ApiError(400, "text_too_long", f"text is {len(text)} chars, limit {TEXT_MAX_CHARS}")
        if client_msg_id is not None and not isinstance(client_msg_id, str):
            raise ApiError(400, "invalid_client_msg_id", "client_msg_id must be a string")
        with self.lock:
            conversation = self._conversation(shop, conversation_id)
            if client_msg_id and client_msg_id in shop.sent_by_key:
                return shop.sent_by_key[client_msg_id]
            record = self.append_message(
                shop,
                conversation.conversation_id,
                direction="out",
                sender=f"{shop.name}:客服",
                kind="text",
                content=text,
                client_msg_id=client_msg_id or None,
            )
            if client_msg_id:
                shop.sent_by_key[client_msg_id] = record["msg_id"]
            return str(record["msg_id"])

    def _checked_memo(self, shop: Shop, order_id: object, memo: object, flag: object) -> tuple[Order, str, int]:
        """(order, memo, flag) of a memo change, once memo and flag pass the flavour's rules."""
        if not isinstance(memo, str):
            raise ApiError(400, "invalid_memo", "memo must be a string")
        if not isinstance(flag, int) or isinstance(flag, bool) or flag not in FLAG_VALUES:
            raise ApiError(400, "invalid_flag", f"flag {flag!r} is not in the palette 0–5")
        problem = FLAVOURS[shop.platform].memo_error(memo)
        if problem:
            raise ApiError(400, "memo_too_long", problem)
        with self.lock:
            order = shop.orders.get(order_id) if isinstance(order_id, str) else None
            if order is None:
                raise ApiError(404, "order_not_found", f"no order {order_id!r}")
            return order, memo, flag

    def _apply_memo(
        self, shop: Shop, order: Order, memo: str, flag: int, source: str, client_key: str | None
    ) -> RemarkEntry:
        with self.lock:
            order.memo, order.flag = memo, flag
            self.touch_order(shop, order)
            entry = RemarkEntry(source, client_key, order.order_id, memo, flag, order.modified_ms)
            shop.remark_log.append(entry)
            return entry

    def remark(
        self, shop: Shop, order_id: object, memo: object, flag: object, client_key: object = None
    ) -> tuple[int, bool]:
        """Our remark through the API: (the order's modification time, replayed?).

        Idempotent on `client_key`: a key already applied changes nothing and
        answers with the time of the change it made then.
        """
        if client_key is not None and not isinstance(client_key, str):
            raise ApiError(400, "invalid_client_key", "client_key must be a string")
        with self.lock:
            order, text, value = self._checked_memo(shop, order_id, memo, flag)
            if client_key and client_key in shop.remarks_by_key:
                return shop.remarks_by_key[client_key].at_ms, True
            entry = self._apply_memo(shop, order, text, value, "api", client_key or None)
            if client_key:
                shop.remarks_by_key[client_key] = entry
            return entry.at_ms, False

    def set_memo(self, shop: Shop, order_id: object, memo: object, flag: object = None) -> int:
        """The seller edits memo (and flag; None = keep it) in the platform's back office."""
        with self.lock:
            if flag is None:
                current = shop.orders.get(order_id) if isinstance(order_id, str) else None
                if current is None:
                    raise ApiError(404, "order_not_found", f"no order {order_id!r}")
                flag = current.flag
            order, text, value = self._checked_memo(shop, order_id, memo, flag)
            return self._apply_memo(shop, order, text, value, "backoffice", None).at_ms

    def transfer(
        self, shop: Shop, conversation_id: object, to_account: object, reason: object, client_key: object
    ) -> None:
        if not isinstance(to_account, str) or not to_account.strip():
            raise ApiError(400, "invalid_account", "to_account must be a non-empty string")
        if not isinstance(reason, str):
            raise ApiError(400, "invalid_reason", "reason must be a string")
        with self.lock:
            conversation = self._conversation(shop, conversation_id)
            if isinstance(client_key, str) and client_key:
                if client_key in shop.transfers_by_key:
                    return
                shop.transfers_by_key.add(client_key)
            note = f"会话已转接给 {to_account}" + (f"，原因：{reason}" if reason else "")
            self.append_message(
                shop, conversation.conversation_id, direction="out", sender="system", kind="system", content=note
            )

    def pay(self, shop: Shop, order_id: object) -> int:
        """The buyer pays an unpaid order (tests, demos: e.g. after being dunned); → paid time."""
        with self.lock:
            order = shop.orders.get(order_id) if isinstance(order_id, str) else None
            if order is None:
                raise ApiError(404, "order_not_found", f"no order {order_id!r}")
            if order.stage is not Stage.UNPAID:
                raise ApiError(409, "not_unpaid", f"order {order_id} is {order.stage.value}")
            order.stage, order.paid_ms = Stage.PAID, self.now_ms(shop)
            self.touch_order(shop, order)
            return order.paid_ms

    def buyer_says(
        self, shop: Shop, text: str, buyer_id: str | None = None, conversation_id: str | None = None
    ) -> dict[str, Any]:
        """A buyer message injected from outside the simulator (tests, demos)."""
        with self.lock:
            if conversation_id and conversation_id in shop.conversations:
                owner = shop.conversations[conversation_id].buyer_id
                if buyer_id and buyer_id != owner:
                    raise ApiError(400, "buyer_mismatch", f"{conversation_id} belongs to {owner}")
                buyer = shop.buyers[owner]
            elif buyer_id and buyer_id in shop.buyers and not conversation_id:
                buyer = shop.buyers[buyer_id]
            else:
                n = len(shop.buyers) + 1
                buyer = self.add_buyer(shop, buyer_id or f"ext{shop.number}-{n}", f"测试买家{n}", conversation_id or "")
            record = self.append_message(
                shop, buyer.conversation_id, direction="in", sender=buyer.nick, kind="text", content=text
            )
            return {k: record[k] for k in ("msg_id", "conversation_id", "buyer_id", "created_at")}

    # -- admin views --

    def ledger(self) -> dict[str, Any]:
        with self.lock:
            return {
                "shops": {
                    shop.platform_shop_id: {
                        "message_ids": [m["msg_id"] for m in shop.messages],
                        "order_ids": list(shop.orders),
                        "conversations": {c.conversation_id: list(c.msg_ids) for c in shop.conversations.values()},
                        "orders": {
                            o.order_id: {
                                "memo": o.memo,
                                "flag": o.flag,
                                "stage": o.stage.value,
                                "warehouse": o.warehouse.value,
                            }
                            for o in shop.orders.values()
                        },
                        "remarks": [entry.public() for entry in shop.remark_log],
                    }
                    for shop in self.shops
                }
            }

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                shop.platform_shop_id: {
                    "messages": len(shop.messages),
                    "messages_in": sum(1 for m in shop.messages if m["direction"] == "in"),
                    "orders": len(shop.orders),
                    "order_changes": len(shop.order_log),
                    "conversations": len(shop.conversations),
                    "buyers": len(shop.buyers),
                    "push_waiters": shop.push_waiters,
                    "token_valid": shop.token_valid,
                }
                for shop in self.shops
            }
