"""Realistic Chinese demo data over FakeDesk: 4 shops on two sandbox platforms,
a queue of waiting buyers, a bargaining chat and an order with a red-flag memo;
three seats (小王 售前 — the one the app signs in as —, 小李 售后, 组长), some
chats with each, a few waiting for a seat, and one handed over with a reason."""

from __future__ import annotations

from desktop.core.routing import SeatStatus
from desktop.core.views import SeatRole
from desktop.sdk import Capability, FlagColor, FlagOption, PlatformInfo, ReplyDeadline
from fake_desk import FakeDesk, FakePluginStatus, order

TB, DY = "sandbox-tb", "sandbox-dy"
MIN = 60_000

BUYERS = [
    (1, "tb_小橘子", "在吗？这款亚麻衬衫有米白色 L 码吗", 11),
    (2, "追风的少年", "什么时候发货呀，急用", 10),
    (3, "快乐每一天88", "快递三天没动了，能帮我查一下吗", 9),
    (4, "jennyli2019", "尺码偏大吗？平时穿 M", 9),
    (5, "山有木兮", "我要退款，颜色和图片差太多了", 8),
    (6, "阿May", "<b>优惠券</b>怎么用不了？<img src=x>", 8),
    (7, "书虫一枚", "发票抬头可以开公司的吗", 7),
    (8, "猫猫不吃鱼", "两件能包邮吗", 7),
    (9, "微风不燥", "收到了，少了一个赠品", 6),
    (10, "小鹿乱撞", "这个茶叶是今年的新茶吗", 6),
    (11, "旺仔牛奶糖", "充电器支持 65W 快充吗？", 5),
    (12, "一只快乐的胖子", "能改地址吗？下单写错了", 5),
    (13, "晴天娃娃", "还有优惠吗，买三盒", 4),
    (14, "Kevin_Z", "耳机左耳没声音，怎么处理", 4),
    (15, "南风知我意", "童装有 110 码的吗", 3),
    (16, "柠檬不萌", "拍了，今天能发吗", 3),
    (17, "星河滚烫", "这个是正品吗，有防伪码吗", 2),
    (18, "老王隔壁", "在吗在吗", 2),
    (19, "一颗小白菜", "宝贝几天能到广州", 1),
    (20, "花开半夏", "想换个颜色，还没发货吧", 1),
]

SHOP_OF = {i: (1 if i % 4 == 1 else 2 if i % 4 == 2 else 3 if i % 4 == 3 else 4) for i in range(1, 60)}


def platform(pid: str, name: str, deadline: int) -> PlatformInfo:
    flags = (
        FlagOption(1, FlagColor.RED, "红旗"),
        FlagOption(2, FlagColor.YELLOW, "黄旗"),
        FlagOption(3, FlagColor.GREEN, "绿旗"),
        FlagOption(4, FlagColor.BLUE, "蓝旗"),
        FlagOption(5, FlagColor.PURPLE, "紫旗"),
    )
    return PlatformInfo(pid, name, (1,), frozenset({Capability.MESSAGES, Capability.SEND, Capability.ORDERS}),
                        flags=flags, reply_deadline=ReplyDeadline(deadline))


def demo_desk(now: int) -> FakeDesk:
    d = FakeDesk()
    d.platforms = {TB: platform(TB, "沙箱·淘系", 180), DY: platform(DY, "沙箱·抖店", 180)}
    d.statuses = [
        FakePluginStatus("sandbox-tb", TB, "0.1.0"),
        FakePluginStatus("sandbox-dy", DY, "0.1.0"),
        FakePluginStatus("kuaishou", "kuaishou", "0.0.3", "ImportError: cannot import name 'Page' from 'desktop.sdk'"),
    ]
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.add_shop(2, "小鹿童装旗舰店", TB, "沙箱·淘系", "#2e86de", "degraded", "消息接口超时，已改为 30 秒轮询")
    d.add_shop(3, "山野茶铺", DY, "沙箱·抖店", "#17a589")
    d.add_shop(4, "极客数码", DY, "沙箱·抖店", "#8e44ad", "rate_limited", "平台限流，稍后自动恢复", now + 95_000)

    # 30 waiting buyers: the first 20 named above, 10 more with short questions.
    extra = ["还在吗", "有现货吗", "这个多少钱", "可以便宜点吗", "怎么联系不上客服", "发什么快递",
             "能开发票吗", "可以货到付款吗", "有赠品吗", "尺码表发我一下"]
    for cid, nick, text, minutes in BUYERS:
        d.add_conversation(cid, SHOP_OF[cid], nick, text, now - minutes * 40_000, now - minutes * MIN - 17_000,
                           unread=1 + cid % 3)
    for k, text in enumerate(extra):
        cid = 21 + k
        d.add_conversation(cid, SHOP_OF[cid], f"买家{cid:03d}号", text, now - k * 9_000, now - k * 11_000, unread=1)
    answered = [("清风徐来", "好的谢谢"), ("momo酱", "收到啦，很喜欢"), ("大橙子", "那我再看看"),
                ("路人甲", "嗯嗯")]
    for k, (nick, text) in enumerate(answered):
        d.add_conversation(40 + k, SHOP_OF[40 + k], nick, text, now - (k + 1) * 13 * MIN)
    d.add_conversation(50, 1, "秋天的第一杯奶茶", "已签收，好评", now - 26 * 3600_000, state="closed")

    # The open chat: a bargaining buyer in 棉麻生活馆 who then asks to change the address.
    cid = 1
    t = now - 14 * MIN
    d.add_message(cid, "in", "在吗？这款亚麻衬衫有米白色 L 码吗", t)
    d.add_message(cid, "out", "您好，欢迎光临棉麻生活馆～默认中通快递，支持 7 天无理由退换，有什么可以帮您？",
                  t + 2_000, sender="自动回复")
    d.add_message(cid, "in", "两件能便宜点吗？我是老顾客了", t + 60_000)
    d.add_message(cid, "out", "亲，米白色 L 码有现货的～价格是公司统一定的哦，两件给您包邮", t + 95_000)
    d.add_message(cid, "in", "包邮本来就有吧，再少 20 呗，不然我去别家看看", t + 150_000)
    d.add_message(cid, "out", "我帮您问了主管，价格实在没法再低了。给您申请了一个亚麻收纳袋作为小礼品，随单发出～",
                  t + 210_000)
    d.add_message(cid, "in", "好吧，那我拍了。今天能发吗？", t + 300_000)
    d.add_message(cid, "in", "对了地址要改一下，改成：浙江省杭州市西湖区文三路 138 号 5 幢 302 室，收件人不变",
                  t + 330_000)
    d.add_message(cid, "out", "好的亲，今天 16 点前付款当天发出～", t + 400_000, state="failed",
                  error="平台限流（429），请 30 秒后重试")
    last = d.add_message(cid, "out", "地址已帮您备注，仓库会按新地址发货，请放心", now - 40_000, state="pending")
    # Nothing reached the buyer yet (one failed, one pending): still waiting since "今天能发吗？".
    d.update_conversation(cid, preview=last.text, last_message_at=last.sent_at, waiting_since=t + 300_000)

    d.add_order(cid, order(
        260112301, 1, "paid", "WAIT_SELLER_SEND_GOODS", "318.00",
        [("亚麻衬衫 米白色 L", 2, "159.00"), ("亚麻收纳袋（赠品）", 1, "0.00")],
        created=t + 320_000, paid=t + 326_000,
        receiver="王**  138****6621  浙江省杭州市西湖区文三路***",
        memo="客户要求改地址为 浙江省杭州市西湖区文三路 138 号 5 幢 302 室 —— 小王 2026-11-23",
        flag="red", flag_label="红旗", courier="中通快递"))
    d.add_order(cid, order(
        251020988, 1, "completed", "TRADE_FINISHED", "129.00", [("棉麻阔腿裤 卡其色 M", 1, "129.00")],
        created=now - 40 * 86400_000, paid=now - 40 * 86400_000 + 60_000,
        receiver="王**  138****6621  浙江省杭州市余杭区***", courier="中通快递", waybill="7312 8849 0021 77"))
    add_seats(d, now)
    return d


def add_seats(d: FakeDesk, now: int) -> None:
    """小王 (售前) holds most chats; 小李 (售后) a few; 组长 one; six wait for a seat.
    Chat 1 came to 小王 from 小李 with a reason and a return timer."""
    d.seat_clock_ms = now
    wang = d.add_seat("小王", name="xiaowang", groups=("售前",), max_chats=20)
    li = d.add_seat("小李", name="xiaoli", groups=("售后",), max_chats=12, status=SeatStatus.BUSY)
    lead = d.add_seat("组长", name="zuzhang", role=SeatRole.LEAD, groups=("售前", "售后"), max_chats=8)
    d.add_seat("阿强", name="aqiang", groups=("售前",), max_chats=20, status=SeatStatus.AWAY)
    d.home_seat_id = wang
    for cid in [*range(2, 13), 40, 41]:
        d.hold(cid, wang, at=now - cid * MIN)
    for cid in (3, 5, 9, 14, 20, 42):
        d.hold(cid, li, at=now - 20 * MIN)
    d.hold(17, lead, at=now - 15 * MIN)
    d.hold(29, None, by="小王", reason="售后问题转售后", at=now - 3 * MIN, queue_group="售后")
    # chats 13, 15, 16, 18, 19 and 21–30: nobody holds them; the buyers wait (the queue)
    for cid in [*range(21, 29), 30]:
        d.hold(cid, wang if cid % 3 == 0 else li if cid % 3 == 1 else None, at=now - cid * 20_000)
    d.hold(1, wang, by="小李", reason="老顾客议价后要改地址，售前跟进发货", at=now - 6 * MIN,
           return_at=now + 4 * MIN)
    d.seat_store[li].replies_last_hour = 23
    d.seat_store[wang].replies_last_hour = 41
