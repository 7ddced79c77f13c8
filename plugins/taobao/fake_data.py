"""Realistic seed trades for the fake: Chinese goods, masked buyers and receivers, every status.

Records are in the wire shape of taobao.trade.fullinfo.get (orders as a plain list
here; the fake wraps it as TOP does). Receivers are masked the way TOP returns
them to ISVs: the adapter must never see more than this.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from .protocol import format_time

Trade = dict[str, Any]

PRODUCTS = (
    # (num_iid, title, [(sku_id, price)])
    (652301847721, "纯棉短袖T恤男夏季宽松圆领打底衫", [("4871200381001", "59.00"), ("4871200381002", "59.00")]),
    (672019384410, "加厚珊瑚绒睡衣女冬季套装可外穿", [("4899102374410", "128.00")]),
    (688120394871, "不锈钢保温杯500ml大容量学生水杯", [("5012837465001", "39.90"), ("5012837465002", "45.90")]),
    (701928374650, "云南普洱熟茶饼357g勐海古树茶", [("", "268.00")]),
    (713847562910, "儿童绘本全套10册 0-3岁早教启蒙", [("5102938475610", "49.80")]),
    (720384756102, "无线蓝牙耳机半入耳式超长续航", [("5203847561020", "199.00"), ("5203847561021", "219.00")]),
    (731029384756, "东北五常大米稻花香10斤装新米", [("5310293847560", "89.90")]),
    (742938475610, "真皮男士商务手提包公文包", [("5429384756100", "459.00")]),
)
BUYERS = (
    ("AAFn7xQ2ABjK9cV3bLm1Tz0W", "t**1"),
    ("AAGk2pR8ABjK9cV3bQx4Ya7E", "小**鱼"),
    ("AAHd5sT1ABjK9cV3bZr8Nc2P", "j**8"),
    ("AAEm9wU4ABjK9cV3bHt6Kd5R", "快**兔"),
    ("AAFq3yV7ABjK9cV3bWp2Lf8S", "z**g"),
    ("AAGr6zW0ABjK9cV3bMn9Bg1T", "甜**柚"),
)
RECEIVERS = (
    ("王*", "*******5678", "浙江省", "杭州市", "西湖区", "文新街道", "文**路***号**幢"),
    ("李**", "*******2046", "广东省", "深圳市", "南山区", "粤海街道", "科**路***号"),
    ("张*", "*******9931", "上海", "上海市", "浦东新区", "张江镇", "博**路***弄**号"),
    ("陈**", "*******1187", "四川省", "成都市", "武侯区", "玉林街道", "玉**路***号"),
    ("刘*", "*******6620", "北京", "北京市", "朝阳区", "望京街道", "阜**路***号院"),
)
COURIERS = (("中通快递", "7315"), ("圆通速递", "YT88"), ("顺丰速运", "SF14"), ("韵达快递", "4328"))
MEMOS = ("", "", "", "已备注：顺丰发货", "客户要求周末送达")
# Each scenario: (trade status, refund status of the first sub-order, shipped?)
SCENARIOS = (
    ("WAIT_BUYER_PAY", "NO_REFUND", False),
    ("WAIT_SELLER_SEND_GOODS", "NO_REFUND", False),
    ("WAIT_BUYER_CONFIRM_GOODS", "NO_REFUND", True),
    ("TRADE_FINISHED", "NO_REFUND", True),
    ("WAIT_SELLER_SEND_GOODS", "WAIT_SELLER_AGREE", False),  # 未发货仅退款
    ("WAIT_BUYER_CONFIRM_GOODS", "WAIT_BUYER_RETURN_GOODS", True),  # 退货退款
    ("TRADE_CLOSED", "SUCCESS", False),  # 付款后全额退款，交易关闭
    ("TRADE_CLOSED_BY_TAOBAO", "NO_REFUND", False),  # 未付款关闭
    ("SELLER_CONSIGNED_PART", "NO_REFUND", True),
    ("TRADE_FINISHED", "CLOSED", True),  # 售后撤销
)


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _line_status(status: str, line: int) -> str:
    """A sub-order's status: the trade's, except in a part shipment (first line sent, the rest not)."""
    if status == "SELLER_CONSIGNED_PART":
        return "WAIT_BUYER_CONFIRM_GOODS" if line == 0 else "WAIT_SELLER_SEND_GOODS"
    return status


def new_trade(rng: random.Random, tid: int, index: int, now: datetime) -> Trade:
    """Trade number `index` of the fake (its scenario cycles), last modified at `now`."""
    status, refund, shipped = SCENARIOS[index % len(SCENARIOS)]
    uid, nick = BUYERS[rng.randrange(len(BUYERS))]
    name, mobile, state, city, district, town, address = RECEIVERS[rng.randrange(len(RECEIVERS))]
    created = now - timedelta(minutes=rng.randrange(5, 600), seconds=rng.randrange(60))
    lines = 2 if status == "SELLER_CONSIGNED_PART" else rng.choice((1, 1, 2))
    orders = []
    goods = Decimal(0)
    courier, code = COURIERS[rng.randrange(len(COURIERS))]
    for n in range(lines):
        num_iid, title, skus = PRODUCTS[rng.randrange(len(PRODUCTS))]
        sku_id, price = skus[rng.randrange(len(skus))]
        num = rng.choice((1, 1, 1, 2, 3))
        fee = Decimal(price) * num
        goods += fee
        sent = shipped and not (status == "SELLER_CONSIGNED_PART" and n == 1)
        orders.append({
            "oid": tid * 10 + n + 1,
            "num_iid": num_iid,
            "sku_id": sku_id,
            "title": title,
            "price": price,
            "num": num,
            "total_fee": _money(fee),
            "payment": _money(fee),
            "status": _line_status(status, n),
            "refund_status": refund if n == 0 else "NO_REFUND",
            "logistics_company": courier if sent else "",
            "invoice_no": f"{code}{rng.randrange(10**9, 10**10)}" if sent else "",
        })
    post = Decimal("0.00") if goods >= 99 else Decimal("8.00")
    paid = status not in ("WAIT_BUYER_PAY", "TRADE_CLOSED_BY_TAOBAO")
    memo = MEMOS[rng.randrange(len(MEMOS))]
    return {
        "tid": tid,
        "tid_str": str(tid),
        "status": status,
        "buyer_open_uid": uid,
        "buyer_nick": nick,
        "payment": _money(goods + post),
        "total_fee": _money(goods),
        "post_fee": _money(post),
        "created": format_time(created),
        "modified": format_time(now),
        "pay_time": format_time(created + timedelta(minutes=2)) if paid else None,
        "consign_time": format_time(created + timedelta(minutes=3)) if shipped else None,
        "end_time": format_time(now) if status.startswith("TRADE_") else None,
        "seller_memo": memo,
        "seller_flag": rng.choice((1, 2, 4)) if memo else 0,
        "sid": orders[0]["invoice_no"],
        "receiver_name": name,
        "receiver_mobile": mobile,
        "receiver_phone": "",
        "receiver_state": state,
        "receiver_city": city,
        "receiver_district": district,
        "receiver_town": town,
        "receiver_address": address,
        "orders": orders,
    }


def _pay(trade: Trade, now: str, rng: random.Random) -> None:
    trade["status"] = "WAIT_SELLER_SEND_GOODS"
    trade["pay_time"] = now
    for order in trade["orders"]:
        order["status"] = "WAIT_SELLER_SEND_GOODS"


def _ship(trade: Trade, now: str, rng: random.Random) -> None:
    courier, code = COURIERS[rng.randrange(len(COURIERS))]
    trade["status"] = "WAIT_BUYER_CONFIRM_GOODS"
    trade["consign_time"] = now
    for order in trade["orders"]:
        order["status"] = "WAIT_BUYER_CONFIRM_GOODS"
        order["logistics_company"] = courier
        order["invoice_no"] = f"{code}{rng.randrange(10**9, 10**10)}"
    trade["sid"] = trade["orders"][0]["invoice_no"]


def _finish(trade: Trade, now: str, rng: random.Random) -> None:
    trade["status"] = "TRADE_FINISHED"
    trade["end_time"] = now
    for order in trade["orders"]:
        order["status"] = "TRADE_FINISHED"


def _after_sale(trade: Trade, now: str, rng: random.Random) -> None:
    trade["orders"][0]["refund_status"] = "WAIT_SELLER_AGREE"


NEXT_STEP: dict[str, Callable[[Trade, str, random.Random], None]] = {
    "WAIT_BUYER_PAY": _pay,
    "WAIT_SELLER_SEND_GOODS": _ship,
    "SELLER_CONSIGNED_PART": _ship,
    "WAIT_BUYER_CONFIRM_GOODS": _finish,
    "TRADE_FINISHED": _after_sale,
}


# The TMC topic (spec 2.7) each step publishes; a trade with nowhere to go "changes".
STEP_TOPIC = {
    "WAIT_BUYER_PAY": "taobao_trade_TradeBuyerPay",
    "WAIT_SELLER_SEND_GOODS": "taobao_trade_TradeSellerShip",
    "SELLER_CONSIGNED_PART": "taobao_trade_TradeSellerShip",
    "WAIT_BUYER_CONFIRM_GOODS": "taobao_trade_TradeSuccess",
    "TRADE_FINISHED": "taobao_refund_RefundCreated",
}
CHANGED_TOPIC = "taobao_trade_TradeChanged"


def step(trade: Trade, now: datetime, rng: random.Random) -> str:
    """Move a trade one step on (pay → ship → finish → after-sale); always bumps `modified`.
    → the TMC topic that announces the step."""
    stamp = format_time(now)
    topic = STEP_TOPIC.get(trade["status"], CHANGED_TOPIC)
    move = NEXT_STEP.get(trade["status"])
    if move is not None:
        move(trade, stamp, rng)
    trade["modified"] = stamp
    return topic


def tmc_content(trade: Trade, topic: str, seller_nick: str) -> str:
    """A TMC message's `content` for a trade: the spec's trade example (2.7); for refund
    topics the refund's ids and fee as well ([UNVERIFIED] beyond `tid`)."""
    first = trade["orders"][0]
    data: dict[str, Any] = {"buyer_nick": trade["buyer_nick"], "payment": trade["payment"], "oid": first["oid"],
                            "tid": trade["tid"], "type": "guarantee_trade", "seller_nick": seller_nick}
    if topic.startswith("taobao_refund_"):
        data = {"buyer_nick": trade["buyer_nick"], "refund_fee": first["payment"], "oid": first["oid"],
                "tid": trade["tid"], "refund_id": first["oid"] * 10 + 7, "refund_phase": "aftersale",
                "seller_nick": seller_nick, "modified": trade["modified"]}
    return json.dumps(data, ensure_ascii=False)
