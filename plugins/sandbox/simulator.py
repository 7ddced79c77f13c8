"""The buyer simulator: seeded, tick-driven conversations and order life cycles.

One tick = one buyer message somewhere (plus any order changes that fell due).
Everything is decided by one seeded `random.Random`; the wall clock only
decides *when* ticks run (see `server.SimulatorThread`), so the same seed and
the same number of ticks give the same shops, buyers, texts and ids.

An order's life: placed (unpaid) → paid → waybill printed → packed → shipped →
completed, each step some per-shop ticks after the one before; unpaid orders
time out, refunds halt the warehouse until they are decided.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

from . import catalog
from .flavours import FLAVOURS
from .model import Buyer, Order, OrderLine, Refund, Shop, Stage, Warehouse
from .protocol import PLATFORM_TB
from .store import Store

MAX_ACTIVE = 25  # concurrent journeys per shop; beyond that, buyers already talking go on
P_NEW_JOURNEY = 0.2
P_RETURNING = 0.3
P_TRICKY = 1 / 150
# A platform's buyer id is the same in every shop: some buyers also shop at the
# team's other shops of that platform, where their tags must follow them.
P_CROSS_SHOP = 0.15

# Journey shapes and their weights: the workflow stages a buyer walks through.
JOURNEY_WEIGHTS = {"browse": 28, "quick": 12, "full": 30, "unpaid": 14, "aftersale": 16}

# Steps that wait while the order is paid but not yet shipped.
_WAITS_FOR_SHIPPING = {"post_ship", "complaint"}
_REFUND_ACTIVE = {Refund.REQUESTED, Refund.RETURNING}


@dataclass(slots=True)
class Journey:
    buyer: Buyer
    steps: list[str]
    product: int = 0  # index into the shop's products the buyer is interested in
    order: Order | None = None
    haggles: int = 0
    wait_until: int = 0  # tick before which the buyer stays silent

    def ready(self, tick: int) -> bool:
        if tick < self.wait_until:
            return False
        return not self.steps or not (
            self.steps[0] in _WAITS_FOR_SHIPPING
            and self.order is not None
            and self.order.stage is Stage.PAID
            and self.order.refund not in _REFUND_ACTIVE
        )


@dataclass(slots=True)
class _ShopPlay:
    active: list[Journey] = field(default_factory=list)
    idle: list[Buyer] = field(default_factory=list)  # buyers who may come back


class Simulator:
    """Pure and synchronous: `step()` / `run_ticks(n)`; the caller decides when."""

    def __init__(self, store: Store, seed: int) -> None:
        self.store = store
        self.rng = random.Random(f"sandbox-sim:{seed}")
        self.ticks = 0
        self._play = {shop.number: _ShopPlay() for shop in store.shops}
        self._due: list[tuple[int, int, str, int, str]] = []  # (tick, seq, action, shop, order)
        self._due_seq = 0

    def run_ticks(self, n: int) -> None:
        with self.store.lock:
            for _ in range(n):
                self.step()

    def step(self) -> None:
        with self.store.lock:
            self.ticks += 1
            self._run_due()
            if not self.store.shops:
                return
            shop = self.rng.choice(self.store.shops)
            play = self._play[shop.number]
            while True:
                ready = [j for j in play.active if j.ready(self.ticks)]
                if not ready or (len(play.active) < MAX_ACTIVE and self.rng.random() < P_NEW_JOURNEY):
                    journey = self._start(shop, play)
                else:
                    journey = self.rng.choice(ready)
                emitted = self._advance(shop, journey)
                if not journey.steps:
                    play.active.remove(journey)
                    play.idle.append(journey.buyer)
                if emitted:
                    return

    # -- journeys --

    def _start(self, shop: Shop, play: _ShopPlay) -> Journey:
        rng = self.rng
        if play.idle and rng.random() < P_RETURNING:
            buyer = play.idle.pop(rng.randrange(len(play.idle)))
        else:
            buyer = self._new_buyer(shop)
        kind = rng.choices(list(JOURNEY_WEIGHTS), weights=list(JOURNEY_WEIGHTS.values()))[0]
        asks = ["ask"] * rng.randint(1, 3)
        # Most buyers haggle a little; a few are repeat hagglers who go down the whole list.
        haggles = ["haggle"] * rng.choice((0, 0, 1, 1, 2, 3, 5, 6))
        steps: list[str]
        if kind == "browse":
            steps = ["greet", *asks, *haggles[:3], "bye_no"]
        elif kind == "quick":
            steps = ["order", "pay", *(["pre_ship"] if rng.random() < 0.5 else []), "bye_sale"]
        elif kind == "full":
            steps = ["greet", *asks, *haggles, "order", "pay"]
            steps += ["change"] if rng.random() < 0.3 else []
            steps += ["pre_ship"] if rng.random() < 0.5 else []
            steps += ["post_ship"] if rng.random() < 0.6 else []
            steps += ["bye_sale"]
        elif kind == "unpaid":
            steps = ["greet", *asks[:2], *(haggles or ["haggle"]), "order_unpaid"]
            steps += ["pay", "bye_sale"] if rng.random() < 0.4 else ["bye_no"]
        else:  # aftersale
            steps = ["greet", *asks[:1], "order", "pay", "post_ship", "complaint", "refund"]
            steps += ["bye_sale"] if rng.random() < 0.5 else []
        journey = Journey(buyer=buyer, steps=steps, product=rng.randrange(len(shop.products)))
        play.active.append(journey)
        return journey

    def _new_buyer(self, shop: Shop) -> Buyer:
        rng = self.rng
        if rng.random() < P_CROSS_SHOP:
            known = [b for other in self.store.shops
                     if other is not shop and other.platform == shop.platform
                     for b in other.buyers.values() if b.buyer_id not in shop.buyers]
            if known:
                visitor = rng.choice(known)
                return self.store.add_buyer(shop, visitor.buyer_id, visitor.nick)
        buyer_id = FLAVOURS[shop.platform].buyer_id(rng)
        while buyer_id in shop.buyers:
            buyer_id += "x"
        if rng.random() < 0.4:
            nick = (
                f"tb_{rng.randint(100000, 999999)}"
                if shop.platform == PLATFORM_TB
                else f"用户{rng.randint(10**9, 10**10 - 1)}"
            )
        else:
            nick = rng.choice(catalog.NICK_HEADS) + rng.choice(catalog.NICK_TAILS)
            nick += str(rng.randint(1, 999)) if rng.random() < 0.6 else ""
        return self.store.add_buyer(shop, buyer_id, nick)

    def _advance(self, shop: Shop, journey: Journey) -> bool:
        """Play the journey's next applicable step; True if the buyer said something."""
        while journey.steps and journey.ready(self.ticks):
            step = journey.steps.pop(0)
            text = getattr(self, f"_step_{step}")(shop, journey)
            if text is None:
                continue  # no longer applicable (e.g. the order closed meanwhile)
            kind, content = text if isinstance(text, tuple) else ("text", text)
            if kind == "text" and self.rng.random() < P_TRICKY:
                content = self.rng.choice(catalog.TRICKY_TEXTS)
            self.store.append_message(
                shop,
                journey.buyer.conversation_id,
                direction="in",
                sender=journey.buyer.nick,
                kind=kind,
                content=content,
            )
            return True
        return False

    def _product_title(self, shop: Shop, journey: Journey) -> str:
        return shop.products[journey.product].title

    def _step_greet(self, shop: Shop, journey: Journey) -> str:
        return self.rng.choice(catalog.GREETINGS)

    def _step_ask(self, shop: Shop, journey: Journey) -> str:
        pool = catalog.THEME_QUESTIONS[shop.theme] if self.rng.random() < 0.5 else catalog.GENERIC_QUESTIONS
        return self.rng.choice(pool).format(product=self._product_title(shop, journey))

    def _step_haggle(self, shop: Shop, journey: Journey) -> str:
        line = catalog.HAGGLES[min(journey.haggles, len(catalog.HAGGLES) - 1)]
        journey.haggles += 1
        cheaper = shop.products[journey.product].price_fen * 85 // 10000
        return line.format(cheaper=f"{cheaper}元")

    def _place(self, shop: Shop, journey: Journey) -> Order:
        rng = self.rng
        picks = [journey.product]
        if len(shop.products) > 1 and rng.random() < 0.3:
            picks.append((journey.product + 1 + rng.randrange(len(shop.products) - 1)) % len(shop.products))
        lines = [
            OrderLine(shop.products[i].sku_id, shop.products[i].title, rng.randint(1, 2), shop.products[i].price_fen)
            for i in picks
        ]
        receiver = (
            rng.choice(catalog.SURNAMES) + "*",
            f"{rng.choice(catalog.MOBILE_PREFIXES)}****{rng.randint(0, 9999):04d}",
            rng.choice(catalog.REGIONS),
        )
        journey.order = self.store.new_order(shop, journey.buyer, lines, receiver)
        return journey.order

    def _step_order(self, shop: Shop, journey: Journey) -> str | tuple[str, str]:
        order = self._place(shop, journey)
        if self.rng.random() < 0.5:
            return ("order_card", f"订单号：{order.order_id}")
        return self.rng.choice(catalog.ORDER_LINES)

    def _step_order_unpaid(self, shop: Shop, journey: Journey) -> str:
        order = self._place(shop, journey)
        self._schedule(shop, order, "close_unpaid", 80, 300)
        journey.wait_until = self.ticks + self._shop_ticks(40, 250)
        return self.rng.choice(catalog.UNPAID_LINES)

    def _step_pay(self, shop: Shop, journey: Journey) -> str | None:
        order = journey.order
        if order is None or order.stage is not Stage.UNPAID:
            return None
        order.stage, order.paid_ms = Stage.PAID, self.store.now_ms(shop)
        self.store.touch_order(shop, order)
        self._schedule_warehouse(shop, order, 5, 25)
        return self.rng.choice(catalog.PAY_LINES)

    def _step_change(self, shop: Shop, journey: Journey) -> str | None:
        if journey.order is None or journey.order.stage is not Stage.PAID:
            return None
        return self.rng.choice(catalog.CHANGE_LINES).format(city=self.rng.choice(catalog.REGIONS)[1])

    def _step_pre_ship(self, shop: Shop, journey: Journey) -> str | None:
        order = journey.order
        if order is not None and order.stage is Stage.PAID:
            return self.rng.choice(catalog.PRE_SHIP_LINES)
        return self._step_post_ship(shop, journey)

    def _step_post_ship(self, shop: Shop, journey: Journey) -> str | None:
        order = journey.order
        if order is None or order.stage not in (Stage.SHIPPED, Stage.COMPLETED):
            return None
        return self.rng.choice(catalog.POST_SHIP_LINES).format(courier=order.courier)

    def _step_complaint(self, shop: Shop, journey: Journey) -> str | None:
        order = journey.order
        if order is None or order.stage not in (Stage.SHIPPED, Stage.COMPLETED):
            return None
        if self.rng.random() < 0.4:
            journey.steps.insert(0, "evidence")
        return self.rng.choice(catalog.COMPLAINT_LINES)

    def _step_evidence(self, shop: Shop, journey: Journey) -> tuple[str, str]:
        return ("image", f"https://img.sandbox.local/evidence/{shop.number}-{self.ticks}.jpg")

    def _step_refund(self, shop: Shop, journey: Journey) -> str | None:
        order = journey.order
        if order is None or order.stage not in (Stage.PAID, Stage.SHIPPED, Stage.COMPLETED):
            return None
        if order.refund in _REFUND_ACTIVE:
            return None
        order.refund = Refund.REQUESTED
        self.store.touch_order(shop, order)
        self._schedule(shop, order, "refund", 20, 80)
        return self.rng.choice(catalog.REFUND_LINES)

    def _step_bye_sale(self, shop: Shop, journey: Journey) -> str:
        return self.rng.choice(catalog.BYE_SALE)

    def _step_bye_no(self, shop: Shop, journey: Journey) -> str:
        return self.rng.choice(catalog.BYE_NO_SALE)

    # -- the platform's own clock: warehouse, shipping, receipt, timeouts, refunds --

    def _shop_ticks(self, low: int, high: int) -> int:
        # Delays are in per-shop ticks, so a shop's pace does not depend on how many shops there are.
        return self.rng.randint(low, high) * max(1, len(self.store.shops))

    def _schedule(self, shop: Shop, order: Order, action: str, low: int, high: int) -> None:
        self._due_seq += 1
        due = self.ticks + self._shop_ticks(low, high)
        heapq.heappush(self._due, (due, self._due_seq, action, shop.number, order.order_id))

    def _run_due(self) -> None:
        while self._due and self._due[0][0] <= self.ticks:
            _, _, action, number, order_id = heapq.heappop(self._due)
            shop = self.store.shops[number - 1]
            order = shop.orders[order_id]
            getattr(self, f"_due_{action}")(shop, order)

    def _due_close_unpaid(self, shop: Shop, order: Order) -> None:
        if order.stage is Stage.UNPAID:
            order.stage = Stage.CLOSED_UNPAID
            self.store.touch_order(shop, order)

    # A paid order goes through the warehouse: waybill printed, parcel packed,
    # handed to the courier (shipped). Each step touches the order.
    _WAREHOUSE_NEXT = {Warehouse.WAITING: "print", Warehouse.PRINTED: "pack", Warehouse.PACKED: "ship"}

    def _schedule_warehouse(self, shop: Shop, order: Order, low: int, high: int) -> None:
        """Schedule the warehouse's next step for a paid order, from wherever it stands."""
        self._schedule(shop, order, self._WAREHOUSE_NEXT[order.warehouse], low, high)

    @staticmethod
    def _warehouse_halted(order: Order) -> bool:
        # Not (or no longer) paid-and-waiting, or a refund in progress decides instead.
        return order.stage is not Stage.PAID or order.refund in _REFUND_ACTIVE

    def _due_print(self, shop: Shop, order: Order) -> None:
        if self._warehouse_halted(order) or order.warehouse is not Warehouse.WAITING:
            return
        order.warehouse = Warehouse.PRINTED
        self.store.touch_order(shop, order)
        self._schedule_warehouse(shop, order, 5, 25)

    def _due_pack(self, shop: Shop, order: Order) -> None:
        if self._warehouse_halted(order) or order.warehouse is not Warehouse.PRINTED:
            return
        order.warehouse = Warehouse.PACKED
        self.store.touch_order(shop, order)
        self._schedule_warehouse(shop, order, 5, 30)

    def _due_ship(self, shop: Shop, order: Order) -> None:
        if self._warehouse_halted(order) or order.warehouse is not Warehouse.PACKED:
            return
        courier, prefix = self.rng.choice(catalog.COURIERS)
        order.courier = courier
        order.waybill = prefix + "".join(str(self.rng.randrange(10)) for _ in range(15 - len(prefix)))
        order.stage, order.shipped_ms = Stage.SHIPPED, self.store.now_ms(shop)
        self.store.touch_order(shop, order)
        self._schedule(shop, order, "complete", 60, 200)

    def _due_complete(self, shop: Shop, order: Order) -> None:
        if order.stage is not Stage.SHIPPED:
            return
        if order.refund in _REFUND_ACTIVE:
            self._schedule(shop, order, "complete", 60, 200)
            return
        order.stage = Stage.COMPLETED
        self.store.touch_order(shop, order)

    def _due_refund(self, shop: Shop, order: Order) -> None:
        if order.refund not in _REFUND_ACTIVE:
            return
        rng = self.rng
        if order.refund is Refund.REQUESTED and order.stage is not Stage.PAID and rng.random() < 0.5:
            order.refund = Refund.RETURNING  # seller agreed; goods on their way back
            self._schedule(shop, order, "refund", 20, 80)
        elif rng.random() < 0.75:
            order.refund, order.stage = Refund.SUCCESS, Stage.CLOSED_REFUNDED
        else:
            order.refund = Refund.CLOSED  # withdrawn or refused: the sale goes on
            if order.stage is Stage.PAID:
                self._schedule_warehouse(shop, order, 5, 30)  # the warehouse picks up where it stopped
            elif order.stage is Stage.SHIPPED:
                self._schedule(shop, order, "complete", 60, 200)
        self.store.touch_order(shop, order)
