"""Seed data for the fake: realistic Pinduoduo order objects, as the wire carries them.

Field names and meanings follow the increment / detail order model (research §3.5;
PDD-NET GetOrderNumberListIncrementResponse.cs). Receivers are only ever masked
here: the fake holds no clear-text personal data to leak.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .protocol import CHINA_TZ, format_time


@dataclass(frozen=True, slots=True)
class Product:
    goods_id: int
    sku_id: int
    name: str
    spec: str
    price: Decimal
    outer_id: str


CATALOG: tuple[Product, ...] = (
    Product(389120011, 1203340011, "新疆阿克苏冰糖心苹果 当季现摘", "中果 5斤装", Decimal("29.90"), "PG-5J"),
    Product(389120011, 1203340012, "新疆阿克苏冰糖心苹果 当季现摘", "大果 10斤装", Decimal("55.80"), "PG-10J"),
    Product(410050233, 1298870101, "加厚纯棉四件套 全棉床上用品", "1.8m床 灰格", Decimal("89.00"), "SJT-18-HG"),
    Product(402277310, 1254410020, "316不锈钢儿童保温杯 带吸管", "500ml 恐龙绿", Decimal("39.90"), "BWB-500-G"),
    Product(399812004, 1230001201, "卫龙辣条大礼包 零食组合", "混合装 25包", Decimal("19.90"), "WL-25"),
    Product(415520880, 1311120333, "抽纸整箱批发 原生木浆", "4层 30包", Decimal("32.50"), "CZ-30B"),
    Product(408833007, 1287765400, "夏季冰丝凉席三件套 可水洗", "1.5m床 浅蓝", Decimal("69.00"), "LX-15-QL"),
    Product(401234567, 1249876543, "洗衣凝珠 持久留香 家庭装", "52颗 樱花香", Decimal("25.80"), "NZ-52"),
    Product(417700123, 1320045678, "手机壳 适用iPhone15 防摔透明", "iPhone15 透明", Decimal("9.90"), "SJK-15-T"),
    Product(396540011, 1219988776, "赣南脐橙 现摘现发 酸甜多汁", "精品果 9斤装", Decimal("36.80"), "QC-9J"),
)

_SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
_PHONE_PREFIXES = ("138", "139", "136", "150", "151", "158", "186", "187", "135", "177")
_REGIONS = (
    ("浙江省", "杭州市", "西湖区", "文三路***号"),
    ("广东省", "深圳市", "南山区", "科技园南区***栋"),
    ("江苏省", "苏州市", "工业园区", "星湖街***号"),
    ("四川省", "成都市", "武侯区", "天府大道***号"),
    ("山东省", "青岛市", "市南区", "香港中路***号"),
    ("河南省", "郑州市", "金水区", "花园路***号"),
    ("湖北省", "武汉市", "洪山区", "珞喻路***号"),
    ("北京市", "北京市", "朝阳区", "建国路***号"),
)
_BUYER_MEMOS = ("", "", "", "请尽快发货，谢谢", "不要放快递柜", "送人的，别放价格单", "麻烦挑大一点的")
_SELLER_NOTES = (("", None, ""), ("", None, ""), ("已核对地址", 3, "绿色"), ("老客户，优先发", 1, "加急"),
                 ("缺货，等补货", 2, "黄色"))
LOGISTICS_ID = 44  # a courier id as the platform numbers them (opaque here)


def order_sn(now: int, rng: random.Random) -> str:
    """``yymmdd-`` and 15 digits, the shape of a Pinduoduo order number."""
    return f"{datetime.fromtimestamp(now, CHINA_TZ):%y%m%d}-{rng.randrange(10**14, 10**15)}"


def tracking_number(rng: random.Random) -> str:
    return f"YT{rng.randrange(10**12, 10**13)}"


def new_order(sn: str, now: int, rng: random.Random) -> dict[str, Any]:
    """A paid order created minutes to hours before `now`, in a random but plausible state."""
    product = rng.choice(CATALOG)
    count = rng.choice((1, 1, 1, 2, 3))
    goods_amount = product.price * count
    discount = rng.choice((Decimal("0.00"), Decimal("0.00"), Decimal("2.00"), Decimal("3.50")))
    postage = Decimal("0.00")
    created = now - rng.randrange(300, 6 * 3600)
    paid = created + rng.randrange(5, 120)
    province, city, town, street = rng.choice(_REGIONS)
    note, tag, tag_name = rng.choice(_SELLER_NOTES)
    phone = f"{rng.choice(_PHONE_PREFIXES)}****{rng.randrange(10000):04d}"
    order: dict[str, Any] = {
        "order_sn": sn,
        "order_status": 1,
        "refund_status": 1,
        "after_sales_status": 0,
        "confirm_status": 1,
        "group_status": 1,
        "risk_control_status": 0,
        "trade_type": 0,
        "is_lucky_flag": 1,
        "goods_amount": goods_amount,
        "discount_amount": discount,
        "seller_discount": discount,
        "platform_discount": Decimal("0.00"),
        "postage": postage,
        "pay_amount": goods_amount - discount + postage,
        "created_time": stamp(created),
        "confirm_time": stamp(paid),
        "pay_time": stamp(paid),
        "shipping_time": "",
        "receive_time": "",
        "last_ship_time": stamp(paid + 48 * 3600),
        "updated_at": stamp(now),
        "province": province,
        "city": city,
        "town": town,
        # ciphertext fields: only while 待发货 and not risk-flagged; the fake has no cipher
        "receiver_name": "~AgAAAAFake~",
        "receiver_phone": "$FakeCipher$",
        "receiver_address": "~AgAAAAFakeAddr~",
        "address": "~AgAAAAFakeAddr~",
        "receiver_name_mask": f"{rng.choice(_SURNAMES)}**",
        "receiver_phone_mask": phone,
        "receiver_address_mask": street,
        "address_mask": f"{province}{city}{town}{street}",
        "buyer_memo": rng.choice(_BUYER_MEMOS),
        "remark": note,
        "remark_tag": tag,
        "remark_tag_name": tag_name,
        "tracking_number": "",
        "logistics_id": 0,
        "item_list": [{
            "goods_id": product.goods_id,
            "sku_id": product.sku_id,
            "goods_name": product.name,
            "goods_spec": product.spec,
            "goods_price": product.price,
            "goods_count": count,
            "outer_id": product.outer_id,
            "outer_goods_id": product.outer_id.split("-")[0],
            "goods_img": f"https://img.pddpic.com/fake/{product.goods_id}.jpg",
        }],
    }
    # Some orders have moved on already: shipped, signed for, or in after-sale.
    fate = rng.random()
    if fate < 0.25:
        ship(order, paid + rng.randrange(3600, 20 * 3600), rng)
    elif fate < 0.40:
        ship(order, paid + 3600, rng)
        order["order_status"], order["receive_time"] = 3, stamp(now - 600)
    elif fate < 0.47:
        order["refund_status"], order["after_sales_status"] = 3, 2  # buyer asked for a refund
    elif fate < 0.52:
        ship(order, paid + 3600, rng)
        order["refund_status"], order["after_sales_status"] = 2, 3  # return + refund pending
    elif fate < 0.56:
        order["refund_status"], order["after_sales_status"] = 4, 10  # refunded
    return order


def ship(order: dict[str, Any], when: int, rng: random.Random) -> None:
    order["order_status"] = 2
    order["shipping_time"] = stamp(when)
    order["tracking_number"] = tracking_number(rng)
    order["logistics_id"] = LOGISTICS_ID
    # masked fields stay; ciphertext goes once the order has left 待发货
    for key in ("receiver_name", "receiver_phone", "receiver_address", "address"):
        order[key] = ""


def advance(order: dict[str, Any], now: int, rng: random.Random) -> str:
    """The order's next plausible change (what `touch_order` does), updated at `now`;
    the PMC topic announcing it (research §3.7)."""
    if order["refund_status"] in (2, 3):
        order["refund_status"], order["after_sales_status"] = 4, 10
        topic = "pdd_refund_RefundAgreeAgreement"
    elif order["refund_status"] == 4:
        order["buyer_memo"] = "退款收到了，谢谢"
        topic = "pdd_trade_BuyerMemoModified"
    elif order["order_status"] == 1:
        ship(order, now, rng)
        topic = "pdd_trade_TradeSellerShip"
    elif order["order_status"] == 2:
        order["order_status"], order["receive_time"] = 3, stamp(now)
        topic = "pdd_trade_TradeSuccess"
    else:
        order["refund_status"], order["after_sales_status"] = 2, 3  # a return after delivery
        topic = "pdd_refund_RefundCreated"
    order["updated_at"] = stamp(now)
    return topic


def stamp(seconds: int) -> str:
    """Unix seconds as the platform writes times."""
    return format_time(datetime.fromtimestamp(seconds, CHINA_TZ))
