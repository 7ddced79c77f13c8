"""Seed data for the Doudian fake: shop orders shaped like order.searchList rows.

Fields and codes follow the official Go SDK response structs (research §4.5);
the values are invented but realistic: Chinese products with specs, receivers
masked the way the platform masks them, amounts in fen, every order status and
the after-sale states an agent meets (refund applied, goods returning, refunded).
"""

from __future__ import annotations

import random
from typing import Any

PRODUCTS: tuple[tuple[str, tuple[tuple[str, str], ...], int], ...] = (
    ("【官方正品】316不锈钢保温杯大容量学生男女便携水杯", (("颜色", "雾霾蓝"), ("容量", "500ml")), 8900),
    ("新疆阿克苏冰糖心苹果 当季现摘脆甜 5斤装", (("规格", "5斤 中果 75-80mm"),), 3990),
    ("纯棉短袖T恤女2024夏季新款宽松百搭上衣", (("颜色", "奶白色"), ("尺码", "M")), 5900),
    ("儿童防蓝光护眼台灯 国AA级 学习专用", (("款式", "充插两用"),), 12900),
    ("手工红糖姜茶 云南老姜 独立小包装 30袋", (("规格", "300g*1盒"),), 2990),
    ("蓝牙耳机 真无线 降噪运动 超长续航", (("颜色", "曜石黑"),), 15900),
    ("东北五常稻花香大米 10斤 真空包装", (("规格", "5kg"),), 6980),
    ("家用加厚抽纸 原木纸巾 整箱24包", (("规格", "3层*120抽*24包"),), 4590),
)
RECEIVERS = ("张**", "李**", "王*", "刘**", "陈*", "杨**", "赵**", "黄*", "周**", "吴*")
PHONE_PREFIXES = ("138", "139", "150", "186", "177", "135", "199")
REGIONS = (
    ("浙江省", "杭州市", "西湖区", "文新街道"),
    ("广东省", "深圳市", "南山区", "粤海街道"),
    ("四川省", "成都市", "武侯区", "玉林街道"),
    ("上海市", "上海市", "浦东新区", "张江镇"),
    ("北京市", "北京市", "朝阳区", "望京街道"),
    ("湖北省", "武汉市", "洪山区", "关山街道"),
    ("江苏省", "南京市", "鼓楼区", "湖南路街道"),
)
COURIERS = (("zhongtong", "中通快递"), ("yuantong", "圆通速递"), ("shunfeng", "顺丰速运"), ("yunda", "韵达快递"))
BUYER_WORDS = ("", "", "请尽快发货，谢谢", "麻烦发顺丰，运费我补", "送人的，不要放发票", "颜色别发错哦")
STATUS_DESC = {1: "待支付", 105: "已支付", 2: "备货中", 101: "部分发货", 3: "已发货", 4: "已取消", 5: "已完成"}

# (order_status, after_sale_status, after_sale_type, refund_status) of each seeded scenario, in turn.
SCENARIOS = (
    (2, 0, 0, 0), (1, 0, 0, 0), (3, 0, 0, 0), (5, 0, 0, 0), (105, 0, 0, 0), (2, 0, 0, 0),
    (3, 6, 0, 1),  # shipped, buyer asked to return and refund
    (2, 6, 2, 1),  # not shipped, refund-only request
    (4, 0, 0, 0),  # cancelled before payment
    (3, 12, 1, 3),  # refunded after shipping
    (101, 0, 0, 0),
)


def _region(rng: random.Random) -> dict[str, Any]:
    province, city, town, street = rng.choice(REGIONS)
    return {"province": {"name": province, "id": str(rng.randint(11, 65))},
            "city": {"name": city, "id": str(rng.randint(1000, 9999))},
            "town": {"name": town, "id": str(rng.randint(100000, 999999))},
            "street": {"name": street, "id": str(rng.randint(100000000, 999999999))},
            "detail": "****"}


def _parcel(rng: random.Random, ship_time: int, sku_orders: list[dict[str, Any]]) -> dict[str, Any]:
    code, name = rng.choice(COURIERS)
    return {"tracking_no": f"{rng.choice(('75', 'YT', 'SF', '43'))}{rng.randint(10**11, 10**12 - 1)}",
            "company": code, "company_name": name, "ship_time": ship_time,
            "delivery_id": str(rng.randint(10**15, 10**16 - 1)),
            "product_info": [{"product_name": s["product_name"], "sku_order_id": s["order_id"],
                              "product_count": s["item_num"], "price": s["origin_amount"]} for s in sku_orders]}


def make_order(rng: random.Random, order_id: str, shop_id: int, shop_name: str, now: int,
               scenario: tuple[int, int, int, int]) -> dict[str, Any]:
    """One shop order in the given scenario, last updated at `now`."""
    status, after_sale, after_type, refund = scenario
    created = now - rng.randint(600, 3 * 86400)
    paid = 0 if status in (1, 4) else created + rng.randint(10, 300)
    shipped = created + rng.randint(3600, 86400) if status in (3, 5, 101) else 0
    shipped = min(shipped, now) if shipped else 0
    sku_orders: list[dict[str, Any]] = []
    for index in range(rng.choice((1, 1, 1, 2))):
        title, specs, price = rng.choice(PRODUCTS)
        count = rng.choice((1, 1, 2, 3))
        sku_orders.append({
            "order_id": order_id if index == 0 else f"{int(order_id) + 100 + index}",
            "parent_order_id": order_id, "order_status": status, "order_status_desc": STATUS_DESC[status],
            "product_id": rng.randint(3500000000000000000, 3699999999999999999),
            "sku_id": rng.randint(1700000000000000000, 1799999999999999999),
            "product_name": title, "spec": [{"name": n, "value": v} for n, v in specs],
            "item_num": count, "origin_amount": price, "sum_amount": price * count,
            "pay_amount": price * count, "create_time": created, "update_time": now,
            "after_sale_info": {"after_sale_status": after_sale if index == 0 else 0,
                                "after_sale_type": after_type if index == 0 else 0,
                                "refund_status": refund if index == 0 else 0},
        })
    goods: int = sum(s["sum_amount"] for s in sku_orders)
    post = rng.choice((0, 0, 600, 1000))
    promotion = rng.choice((0, 0, 300, 1000)) if goods > 2000 else 0
    order = {
        "shop_id": shop_id, "shop_name": shop_name, "order_id": order_id, "order_level": 2,
        "order_status": status, "order_status_desc": STATUS_DESC[status],
        "main_status": status, "main_status_desc": STATUS_DESC[status],
        "create_time": created, "update_time": now, "pay_time": paid, "ship_time": shipped,
        "finish_time": now if status == 5 else 0, "cancel_reason": "超时未支付" if status == 4 else "",
        "order_amount": goods + post - promotion, "pay_amount": goods + post - promotion,
        "post_amount": post, "promotion_amount": promotion, "pay_type": 0 if not paid else rng.choice((1, 2)),
        "buyer_words": rng.choice(BUYER_WORDS), "seller_words": "", "seller_remark_stars": 0,
        "doudian_open_id": f"1@#{rng.getrandbits(160):040x}=",
        "encrypt_post_receiver": f"#{rng.getrandbits(96):024x}#", "encrypt_post_tel": f"${rng.getrandbits(96):024x}$",
        "mask_post_receiver": rng.choice(RECEIVERS),
        "mask_post_tel": f"{rng.choice(PHONE_PREFIXES)}****{rng.randint(0, 9999):04d}",
        "mask_post_addr": _region(rng),
        "sku_order_list": sku_orders,
        "logistics_info": [_parcel(rng, shipped, sku_orders)] if shipped else [],
    }
    return order


def set_status(order: dict[str, Any], status: int) -> None:
    order["order_status"] = order["main_status"] = status
    order["order_status_desc"] = order["main_status_desc"] = STATUS_DESC[status]
    for sku in order["sku_order_list"]:
        sku["order_status"], sku["order_status_desc"] = status, STATUS_DESC[status]


def touch(rng: random.Random, order: dict[str, Any], now: int) -> None:
    """Move an order one step on: pay, ship, finish, ask for a refund, refund."""
    status = order["order_status"]
    first = order["sku_order_list"][0]
    after = first["after_sale_info"]
    if status == 1:
        order["pay_time"] = now
        set_status(order, 2)
    elif status in (2, 105, 101) and not after["after_sale_status"]:
        order["ship_time"] = now
        order["logistics_info"] = [_parcel(rng, now, order["sku_order_list"])]
        set_status(order, 3)
    elif status == 3 and not after["after_sale_status"]:
        order["finish_time"] = now
        set_status(order, 5)
    elif after["after_sale_status"] in (6, 7):  # the seller agreed: money goes back
        after.update(after_sale_status=12, refund_status=3)
    elif status == 5 or after["after_sale_status"] == 12:
        after.update(after_sale_status=6, after_sale_type=0, refund_status=1)  # (another) return request
    else:
        order["cancel_reason"] = "买家取消" if order["cancel_reason"] != "买家取消" else "超时未支付"
    order["update_time"] = now
    for sku in order["sku_order_list"]:
        sku["update_time"] = now
