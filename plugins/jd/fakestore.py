"""The fake JD shop's state and the business side of each JOS method, per the spec (§5).

No HTTP here (fake.py serves it). Every method takes the decoded `360buy_param_json` and
returns the result node, or raises `Refusal` for the platform's error envelope. Where the
spec is silent the choices are marked [UNVERIFIED] and mirror what the adapter assumes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from .mapping import message_id
from .protocol import (
    CHAT_WINDOW_MAX,
    FLAG_VALUES,
    MEMO_MAX_CHARS,
    ORDER_PAGE_SIZE_MAX,
    format_time,
    parse_time,
)

_PRODUCTS = (
    ("100012043978", "小米 Redmi K70 12GB+256GB 墨羽", Decimal("2299.00")),
    ("100021397745", "海尔 波轮洗衣机 10公斤 全自动 EB100Z33Mate1", Decimal("1099.00")),
    ("100008348542", "三只松鼠 每日坚果 750g/30袋 混合果仁", Decimal("89.90")),
    ("100035246702", "美的 电饭煲 4L 智能预约 MB-FB40S701", Decimal("259.00")),
    ("100016034394", "安踏 男子跑步鞋 缓震透气 黑/白 42码", Decimal("329.00")),
    ("100038004389", "蓝月亮 深层洁净洗衣液 3kg×2瓶 薰衣草香", Decimal("79.90")),
    ("100011762575", "伊利 金典纯牛奶 250ml×12盒 整箱", Decimal("65.00")),
    ("100027788030", "罗技 MX Master 3S 无线鼠标 石墨黑", Decimal("699.00")),
)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗"
_PLACES = (
    ("北京", "北京市", "朝阳区", "望京街道阜通东大街****"),
    ("上海", "上海市", "浦东新区", "张江镇祖冲之路****"),
    ("广东", "深圳市", "南山区", "粤海街道科技园****"),
    ("浙江", "杭州市", "余杭区", "五常街道文一西路****"),
    ("四川", "成都市", "武侯区", "桂溪街道天府大道****"),
    ("江苏", "南京市", "鼓楼区", "湖南路街道中山北路****"),
)
_STATES = (  # a realistic mix of a POP shop's open orders, refunds included
    ("WAIT_SELLER_STOCK_OUT", 40), ("WAIT_GOODS_RECEIVE_CONFIRM", 25), ("FINISHED_L", 12),
    ("LOCKED", 8), ("TRADE_CANCELED", 7), ("PAUSE", 4), ("POP_ORDER_PAUSE", 2), ("WAIT_SELLER_DELIVERY", 2),
)
_STATE_REMARK = {
    "WAIT_SELLER_STOCK_OUT": "等待出库", "WAIT_GOODS_RECEIVE_CONFIRM": "等待确认收货",
    "WAIT_SELLER_DELIVERY": "等待发货", "PAUSE": "暂停", "POP_ORDER_PAUSE": "pop业务暂停",
    "FINISHED_L": "完成", "TRADE_CANCELED": "取消", "LOCKED": "已锁定（买家申请取消/退款）",
}
_LATER_REMARK = {"FINISHED_L": "完成（买家已评价）", "TRADE_CANCELED": "取消（退款已到账）"}
_NEXT_STATE = {
    "WAIT_SELLER_STOCK_OUT": "WAIT_GOODS_RECEIVE_CONFIRM", "WAIT_SELLER_DELIVERY": "WAIT_GOODS_RECEIVE_CONFIRM",
    "WAIT_GOODS_RECEIVE_CONFIRM": "FINISHED_L", "PAUSE": "WAIT_SELLER_STOCK_OUT",
    "POP_ORDER_PAUSE": "WAIT_SELLER_STOCK_OUT", "LOCKED": "TRADE_CANCELED",
}
_BUYER_LINES = ("在吗？这个什么时候能发货", "能开发票吗？要专票", "收货地址写错了，能帮我改一下吗",
                "有没有优惠券可以用", "快递到哪了，三天了还没动", "我想申请退款，拍错颜色了",
                "这个和上一代有什么区别", "赠品还有吗")
_WAITER_LINES = ("亲，您好，很高兴为您服务~", "亲，今天下午四点前下单当天发货哦", "好的亲，已为您登记",
                 "亲，麻烦提供一下订单号哦", "已帮您催促快递，请耐心等待")


class Refusal(Exception):
    """The platform's error envelope: error_response{code, zh_desc, en_desc}."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(f"{code} {zh}")
        self.code, self.zh, self.en = code, zh, en


@dataclass
class FakeOrder:
    order_id: str
    state: str
    pin: str
    open_id: str
    items: list[tuple[str, str, int, Decimal]]
    freight: Decimal
    discount: Decimal
    created: datetime
    paid: datetime | None
    modified: datetime
    consignee: dict[str, str]
    buyer_remark: str = ""
    vender_remark: str = ""
    flag: int = 0
    remark_created: datetime | None = None
    waybill: str = ""
    logistics_id: str = ""
    state_remark: str = ""
    end_time: datetime | None = None

    def wire(self, fields: set[str]) -> dict[str, Any]:
        goods = sum((price * qty for _, _, qty, price in self.items), Decimal("0"))
        record: dict[str, Any] = {
            "orderId": self.order_id, "venderId": "752759", "orderState": self.state,
            "orderStateRemark": self.state_remark or _STATE_REMARK.get(self.state, ""),
            "orderTotalPrice": f"{goods:.2f}", "orderSellerPrice": f"{goods - self.discount:.2f}",
            "orderPayment": f"{goods - self.discount + self.freight:.2f}",
            "freightPrice": f"{self.freight:.2f}", "sellerDiscount": f"{self.discount:.2f}",
            "orderRemark": self.buyer_remark, "venderRemark": self.vender_remark,
            "orderStartTime": format_time(self.created), "modified": format_time(self.modified),
            "orderEndTime": format_time(self.end_time) if self.end_time else "",
            "paymentConfirmTime": format_time(self.paid) if self.paid else "",
            "consigneeInfo": dict(self.consignee),
            "itemInfoList": [{"skuId": sku, "skuName": name, "itemTotal": str(qty), "jdPrice": f"{price:.2f}",
                              "wareId": sku[:-2], "outerSkuId": ""} for sku, name, qty, price in self.items],
            "pin": self.pin, "open_id_buyer": self.open_id, "xid_buyer": "o*AAT" + self.open_id[-12:],
            "waybill": self.waybill, "logisticsId": self.logistics_id,
        }
        return {key: value for key, value in record.items() if key in fields}


@dataclass
class FakeSession:
    sid: str
    customer: str
    waiter: str
    sku_id: int
    lines: list[tuple[int, bool, str]] = field(default_factory=list)  # (epoch ms, waiterSend, content)


def _second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _window(params: dict[str, Any], start_key: str, end_key: str, limit: timedelta | None) -> tuple[datetime, datetime]:
    try:
        start, end = parse_time(str(params[start_key])), parse_time(str(params[end_key]))
    except (KeyError, ValueError):
        raise Refusal("43", f"{start_key}/{end_key} 缺失或格式错误，应为 yyyy-MM-dd HH:mm:ss",
                      f"{start_key}/{end_key} missing or malformed") from None
    if end < start:
        raise Refusal("43", "结束时间不能早于开始时间", "end before start")
    if limit is not None and end - start > limit:
        raise Refusal("43", "查询时间跨度超出限制", "time span too long")
    return start, end


def _one_month_after(moment: datetime) -> datetime:
    """The same wall time one calendar month later, clamped to the month's last day."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _count(params: dict[str, Any], key: str, default: int | None, low: int, high: int) -> int:
    raw = params.get(key, default)
    if isinstance(raw, str) and raw.isdigit():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise Refusal("43", f"参数 {key} 无效（{low}..{high}）", f"invalid {key}")
    return raw


class FakeShop:
    """One JD POP shop's orders, remarks and 咚咚 sessions. Callers hold the fake's lock."""

    def __init__(self, clock: Callable[[], datetime], seed: int = 20240501) -> None:
        self.clock = clock
        self.rng = random.Random(seed)
        self.orders: dict[str, FakeOrder] = {}
        self.sessions: list[FakeSession] = []
        self._next_order = 236810113731 + self.rng.randrange(1000)

    # -- seeding ---------------------------------------------------------------------------------------
    def _buyer(self) -> tuple[str, str]:
        pin = f"jd_{self.rng.getrandbits(40):010x}"
        return pin, f"{self.rng.getrandbits(96):024x}"

    def add_order(self) -> FakeOrder:
        rng, now = self.rng, self.clock()
        states, weights = zip(*_STATES, strict=True)
        state = rng.choices(states, weights)[0]
        created = now - timedelta(minutes=rng.randrange(5, 600))
        pin, open_id = self._buyer()
        province, city, county, street = rng.choice(_PLACES)
        surname = rng.choice(_SURNAMES)
        items = [(sku, name, rng.choice((1, 1, 1, 2, 3)), price)
                 for sku, name, price in rng.sample(_PRODUCTS, rng.choice((1, 1, 2)))]
        order = FakeOrder(
            order_id=str(self._next_order), state=state, pin=pin, open_id=open_id, items=items,
            freight=rng.choice((Decimal("0.00"), Decimal("0.00"), Decimal("6.00"))),
            discount=rng.choice((Decimal("0.00"), Decimal("5.00"), Decimal("20.00"))),
            created=created, paid=created + timedelta(seconds=rng.randrange(20, 300)), modified=now,
            consignee={"fullname": f"{surname}**", "mobile": f"1{rng.choice('3578')}{rng.randrange(10)}****{rng.randrange(10000):04d}",
                       "telephone": "", "fullAddress": f"{province}{city}{county}{street}",
                       "province": province, "city": city, "county": county},
            buyer_remark=rng.choice(("", "", "", "请用顺丰发货", "周末不在家，工作日送")),
        )
        self._next_order += rng.randrange(1, 40)
        if state in ("WAIT_GOODS_RECEIVE_CONFIRM", "FINISHED_L"):
            order.waybill, order.logistics_id = f"JDV{rng.randrange(10**12):012d}", "467"
        if state == "FINISHED_L":
            order.end_time = now
        if rng.random() < 0.25:
            order.vender_remark, order.flag = rng.choice((("已联系买家，改发顺丰", 1), ("赠品已备注", 3),
                                                          ("缺货，等待补货", 2), ("VIP客户", 5)))
            order.remark_created = created
        self.orders[order.order_id] = order
        return order

    def touch(self, order_id: str) -> None:
        order = self.orders[order_id]
        now = self.clock()
        following = _NEXT_STATE.get(order.state)
        if following is None:  # a final state still changes: JD updates the state remark
            later = _LATER_REMARK.get(order.state, "已更新")
            order.state_remark = "" if order.state_remark == later else later
        else:
            order.state, order.state_remark = following, ""
            if following == "WAIT_GOODS_RECEIVE_CONFIRM":
                order.waybill, order.logistics_id = f"JDV{self.rng.randrange(10**12):012d}", "467"
            if following == "FINISHED_L":
                order.end_time = now
        order.modified = now

    def add_messages(self, n: int) -> list[str]:
        """n buyer lines (each answered by a seat) in 1–3 fresh sessions, all in the past
        few seconds; → the buyer lines' message ids as the adapter derives them."""
        now_ms = int(self.clock().timestamp() * 1000)
        buyers = [self._buyer()[0] for _ in range(max(1, min(3, n)))]
        sessions = [FakeSession(sid=f"{self.rng.getrandbits(128):032x}", customer=pin, waiter="京东自营客服小美",
                                sku_id=int(self.rng.choice(_PRODUCTS)[0])) for pin in buyers]
        ids = []
        for i in range(n):
            session = sessions[i % len(sessions)]
            at = now_ms - (n - i) * 2000 - 1000
            text = self.rng.choice(_BUYER_LINES)
            session.lines.append((at, False, text))
            session.lines.append((at + 800, True, self.rng.choice(_WAITER_LINES)))
            ids.append(message_id(session.sid, session.customer, at, False, text))
        self.sessions.extend(sessions)
        return ids

    # -- methods ---------------------------------------------------------------------------------------
    def order_search(self, p: dict[str, Any]) -> dict[str, Any]:
        def refused(zh: str) -> dict[str, Any]:
            return {"apiResult": {"success": False, "chineseErrCode": zh, "englishErrCode": ""},
                    "orderInfoList": [], "orderTotal": 0}
        try:
            start, end = _window(p, "start_date", "end_date", None)
            page = _count(p, "page", None, 1, 10**6)
            size = _count(p, "page_size", None, 1, ORDER_PAGE_SIZE_MAX)
        except Refusal as exc:
            return refused(exc.zh)
        if end > _one_month_after(start):
            return refused("查询时间跨度不能超过一个月")
        states = {s for s in str(p.get("order_state") or "").split(",") if s}
        fields = {f for f in str(p.get("optional_fields") or "").split(",") if f}
        if not states or not fields:
            return refused("order_state 和 optional_fields 为必填参数")
        by_created = str(p.get("dateType", 0)) == "1"
        hits = [o for o in self.orders.values()
                if o.state in states and start <= _second(o.created if by_created else o.modified) <= end]
        hits.sort(key=lambda o: (o.modified, o.order_id), reverse=str(p.get("sortType")) == "1")
        chunk = hits[(page - 1) * size: page * size]
        return {"apiResult": {"success": True, "chineseErrCode": "", "englishErrCode": ""},
                "orderInfoList": [o.wire(fields) for o in chunk], "orderTotal": len(hits)}

    def modify_remark(self, p: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(str(p.get("order_id")))
        remark, flag = p.get("remark"), p.get("flag", 0)
        problem = None
        if order is None:
            problem = "订单不存在"
        elif not isinstance(remark, str) or not remark:
            problem = "备注内容不能为空"
        elif len(remark) > MEMO_MAX_CHARS:
            problem = f"备注长度不能超过{MEMO_MAX_CHARS}个字符"
        elif isinstance(flag, bool) or flag not in FLAG_VALUES:
            problem = "旗帜颜色无效"
        if problem is not None or order is None or not isinstance(remark, str) or not isinstance(flag, int):
            return {"success": False, "chineseErrCode": problem or "参数错误"}
        order.vender_remark, order.flag = remark, flag
        order.remark_created = order.remark_created or self.clock()
        order.modified = self.clock()
        return {"success": True, "chineseErrCode": ""}

    def query_remark(self, p: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(str(p.get("order_id")))
        if order is None:
            return {"api_jos_result": {"success": False, "result_describe": "订单不存在"}}
        remark = None
        if order.vender_remark:
            remark = {"order_id": int(order.order_id), "remark": order.vender_remark, "flag": order.flag,
                      "created": format_time(order.remark_created or order.created),
                      "modified": format_time(order.modified)}
        return {"api_jos_result": {"success": True, "result_describe": ""}, "vender_remark": remark}

    def session_list(self, p: dict[str, Any]) -> dict[str, Any]:
        # [UNVERIFIED] a session is listed when any of its lines falls in the window
        # (inclusive, by the second), as the adapter's lookback assumes at least.
        start, end = _window(p, "startTime", "endTime", CHAT_WINDOW_MAX)
        page = _count(p, "page", 1, 1, 10**6)
        size = _count(p, "pageSize", 20, 1, 100)
        low, high = int(start.timestamp() * 1000), int(end.timestamp() * 1000) + 999
        hits = [s for s in self.sessions if s.lines and s.lines[0][0] <= high and s.lines[-1][0] >= low]
        chunk = hits[(page - 1) * size: page * size]
        return {"chatSessionList": [{"customer": s.customer, "waiter": s.waiter, "sid": s.sid, "skuId": s.sku_id,
                                     "beginTime": s.lines[0][0], "endTime": s.lines[-1][0],
                                     "sessionType": 1, "transfer": False} for s in chunk],
                "totalRecord": len(hits)}

    def chat_log(self, p: dict[str, Any]) -> dict[str, Any]:
        customer = p.get("customer")
        if not isinstance(customer, str) or not customer:
            raise Refusal("43", "customer 为必填参数", "customer is required")
        start, end = _window(p, "startTime", "endTime", CHAT_WINDOW_MAX)
        page = _count(p, "page", 1, 1, 10**6)
        size = _count(p, "pageSize", 20, 1, 100)
        low, high = int(start.timestamp() * 1000), int(end.timestamp() * 1000) + 999
        lines = sorted(((at, sent, text, s) for s in self.sessions if s.customer == customer
                        for at, sent, text in s.lines if low <= at <= high), key=lambda line: line[:2])
        chunk = lines[(page - 1) * size: page * size]
        return {"chatLogList": [{"content": text, "sid": s.sid, "waiterSend": sent, "time": at, "skuId": s.sku_id,
                                 "customer": s.customer, "waiter": s.waiter, "channel": 21 if sent else 11}
                                for at, sent, text, s in chunk],
                "totalRecord": len(lines)}
