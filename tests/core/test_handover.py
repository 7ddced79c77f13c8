"""Shifts, the roster and shift handovers against the store (SQLite and PostgreSQL): when
shifts run, the draft built from what is open, saving and sending, acknowledging and
ticking, undone items carried on exactly once, follow-up promises, history, export."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from fakes import T0, msg, order
from sqlalchemy import update
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import aftersale, assign, buyers, handover, handover_draft, seats, shifts
from desktop.core.clocks import zone
from desktop.core.handover import HandoverError
from desktop.core.handover_text import as_text
from desktop.core.ingest import Ingestor, millis
from desktop.core.models import (
    Shop,
    cases_table,
    conversations_table,
    dunnings_table,
    remarks_table,
)
from desktop.core.shifts import ShiftError
from desktop.core.views import (
    CaseItemRow,
    HandoverFilter,
    HandoverItemKind as Kind,
    HandoverItemRow,
    HandoverSettings,
    ItemState,
    SeatProfile,
    ShiftRow,
)
from desktop.sdk import OrderStatus

MIN = 60_000
HOUR = 60 * MIN
TZ = "Asia/Shanghai"
# T0 is Tuesday 2026-11-24 16:00 in Beijing; the draft is written at 16:30, in 早班 (the
# buyers wrote in the first seconds after 16:00)
NOW = millis(T0) + 30 * MIN + 30_000
EVERY_DAY = range(7)


def at(day: int, hhmm: str) -> int:
    """ms of 2026-11-(24 + day) hh:mm, Beijing time."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    return millis(datetime(2026, 11, 24 + day, hour, minute, tzinfo=zone(TZ)))


def seat(db, name: str, display: str, shop_ids=None) -> int:
    return seats.save_seat(db, SeatProfile(name, display, shop_ids=shop_ids))


@pytest.fixture
def team(db, shop):  # noqa: F811
    """小王 on 早班, 小李 and 小张 on 晚班, 老周 on 夜班 (past midnight)."""
    ids = {"wang": seat(db, "wang", "小王"), "li": seat(db, "li", "小李"),
           "zhang": seat(db, "zhang", "小张"), "zhou": seat(db, "zhou", "老周")}
    ids["early"] = shifts.save_shift(db, "早班", "08:30", "17:30", EVERY_DAY, [ids["wang"]])
    ids["late"] = shifts.save_shift(db, "晚班", "17:00", "23:00", EVERY_DAY,
                                    [ids["li"], ids["zhang"]])
    ids["night"] = shifts.save_shift(db, "夜班", "23:00", "08:30", range(5), [ids["zhou"]])
    return ids


def hold(db, seat_id: int, *conv_ids: int) -> None:
    with db.begin() as conn:
        conn.execute(update(conversations_table).where(conversations_table.c.id.in_(conv_ids))
                     .values(seat_id=seat_id))


def conv_ids(db) -> dict[str, int]:
    with db.connect() as conn:
        return {r.platform_conv_id: r.id for r in conn.execute(conversations_table.select())}


def order_ids(db) -> dict[str, int]:
    from desktop.core.models import orders_table

    with db.connect() as conn:
        return {r.platform_order_id: r.id for r in conn.execute(orders_table.select())}


def remark(db, order_id: int, author: str, text: str, created_at: int) -> None:
    with db.begin() as conn:
        conn.execute(remarks_table.insert().values(
            order_id=order_id, author=author, text=text, flag=None, created_at=created_at,
            state="synced", memo=text, source="team"))


def dunned(db, order_id: int, conv_id: int) -> None:
    with db.begin() as conn:
        conn.execute(dunnings_table.insert().values(
            order_id=order_id, shop_id=1, buyer_id=1, conversation_id=conv_id, message_id=None,
            variant="silent", seat_id=None, actor="小王", at=NOW - HOUR))


@pytest.fixture
def store(db, team):
    """Chats c1 (b1, waiting), c2 (b2, waiting), c3 (b3, answered); orders: o1 unpaid (b1),
    o2 unpaid but dunned (b2), o3 paid (b3), o4 shipped (b1); shop 2 (not 小王's) has an
    unpaid o9 and a waiting chat c9."""
    with db.begin() as conn:
        conn.execute(Shop.__table__.insert().values(
            id=2, platform="fake", platform_shop_id="s2", name="二店", color="#111",
            enabled=True, settings_json="{}", secret_ref="", health="connecting",
            health_detail=""))
    seats.save_seat(db, SeatProfile("wang", "小王", shop_ids=frozenset({1})), team["wang"])
    ing = Ingestor(db)
    ing.ingest_messages(1, "fake", [msg(1, "c1", text="能改地址吗", buyer="b1"),
                                    msg(2, "c2", text="什么时候发货", buyer="b2"),
                                    msg(3, "c3", text="好的", buyer="b3")])
    ing.ingest_messages(2, "fake", [msg(9, "c9", buyer="b9")])
    ing.ingest_orders(1, "fake", [
        order("o1", OrderStatus.UNPAID, buyer="b1"), order("o2", OrderStatus.UNPAID, buyer="b2"),
        order("o3", OrderStatus.PAID, buyer="b3"), order("o4", OrderStatus.SHIPPED, buyer="b1")])
    ing.ingest_orders(2, "fake", [order("o9", OrderStatus.UNPAID, buyer="b9")])
    convs, orders = conv_ids(db), order_ids(db)
    with db.begin() as conn:  # c3 was answered
        conn.execute(update(conversations_table).where(conversations_table.c.id == convs["c3"])
                     .values(waiting_since=None))
    hold(db, team["wang"], convs["c1"], convs["c2"], convs["c3"])
    hold(db, team["zhou"], convs["c9"])
    dunned(db, orders["o2"], convs["c2"])
    return {**team, **{f"conv_{k}": v for k, v in convs.items()},
            **{f"order_{k}": v for k, v in orders.items()}}


def kinds(row) -> list[tuple[str, int | None]]:
    link = {Kind.CHAT: "conversation_id", Kind.FOLLOW_UP: "follow_up_id", Kind.UNPAID: "order_id",
            Kind.CASE: "case_id", Kind.REMARK: "order_id", Kind.TAGGED: "buyer_id",
            Kind.NOTE: "id"}
    return [(x.kind.value, getattr(x, link[x.kind])) for x in row.items]


# -- shifts -------------------------------------------------------------------------------------
def test_shifts_keep_their_times_days_and_roster(db, team):
    rows = {r.name: r for r in shifts.shift_rows(db)}
    assert [r.name for r in shifts.shift_rows(db)] == ["早班", "晚班", "夜班"]  # by start time
    assert rows["夜班"] == ShiftRow(team["night"], "夜班", "23:00", "08:30", frozenset(range(5)),
                                   frozenset({team["zhou"]}))
    assert rows["晚班"].seat_ids == {team["li"], team["zhang"]}
    shifts.save_shift(db, "晚班", "17:00", "23:30", [5, 6], [team["li"]], team["late"])
    late = next(r for r in shifts.shift_rows(db) if r.id == team["late"])
    assert (late.end, late.weekdays, late.seat_ids) == ("23:30", {5, 6}, {team["li"]})
    # a disabled seat leaves the roster it was on
    seats.set_enabled(db, team["li"], False)
    assert next(r for r in shifts.shift_rows(db) if r.id == team["late"]).seat_ids == frozenset()


@pytest.mark.parametrize("start, end, days, name", [
    ("8:3o", "17:30", EVERY_DAY, "x"), ("25:00", "17:30", EVERY_DAY, "x"),
    ("08:30", "08:30", EVERY_DAY, "x"), ("08:30", "17:30", [], "x"),
    ("08:30", "17:30", [7], "x"), ("08:30", "17:30", EVERY_DAY, " "),
    ("08:30", "17:30", EVERY_DAY, "早班"),  # the name is taken
])
def test_a_bad_shift_is_refused(db, team, start, end, days, name):
    with pytest.raises(ValueError):
        shifts.save_shift(db, name, start, end, days, [])
    assert len(shifts.shift_rows(db)) == 3
    assert issubclass(ShiftError, ValueError)


def test_which_shift_runs_now_and_which_comes_next(db, team):
    rows = shifts.shift_rows(db)
    by_id = {r.id: r for r in rows}

    def current(seat_id, when, grace=0):
        found = shifts.current(rows, TZ, seat_id, when, grace)
        return found[0].name if found else None

    def after(shift_id, when):
        found = shifts.following(rows, TZ, by_id.get(shift_id), when)
        return found.name if found else None

    assert current(team["wang"], NOW) == "早班"
    assert current(team["li"], NOW) is None  # 晚班 starts at 17:00
    assert current(team["li"], at(0, "17:10")) == "晚班"
    assert current(None, at(0, "17:10")) == "早班"  # any seat's: the one that started first
    assert current(team["zhou"], at(1, "02:00")) == "夜班"  # past midnight, started Tuesday
    assert current(team["zhou"], at(5, "02:00")) is None  # started Saturday: not a 夜班 day
    assert current(team["wang"], at(0, "18:00")) is None
    assert current(team["wang"], at(0, "18:00"), shifts.GRACE_MS) == "早班"  # just ended
    # overlapping: 晚班 starts before 早班 ends and is still the next one
    assert after(team["early"], NOW) == "晚班"
    assert after(team["late"], at(0, "22:50")) == "夜班"
    assert after(team["night"], at(1, "07:00")) == "早班"
    assert after(None, at(0, "06:00")) == "早班"
    # Saturday's 晚班 is followed by Sunday's 早班: 夜班 runs Monday to Friday
    assert after(team["late"], at(4, "22:00")) == "早班"
    window = shifts.window(by_id[team["night"]], TZ, at(1, "02:00"))
    assert window == (at(0, "23:00"), at(1, "08:30"))
    assert shifts.window(by_id[team["late"]], TZ, NOW) == (at(0, "17:00"), at(0, "23:00"))


def test_settings_are_the_teams_and_checked(db):
    assert shifts.load_settings(db) == HandoverSettings()
    saved = shifts.save_settings(db, HandoverSettings(follow_up_tag=" 回访 ", remind_minutes=30))
    assert shifts.load_settings(db) == saved and saved.follow_up_tag == "回访"
    for bad in (HandoverSettings(timezone="Mars/Base"), HandoverSettings(remind_minutes=0),
                HandoverSettings(follow_up_tag=""), HandoverSettings(overdue_hours=0)):
        with pytest.raises(ShiftError):
            shifts.save_settings(db, bad)


# -- the draft ------------------------------------------------------------------------------------
def test_the_draft_holds_what_is_open_for_the_seat(db, store):
    wang = store["wang"]
    case_id = aftersale.open_case(db, store["order_o3"], "exchange", "尺码不合适",
                                  [CaseItemRow("纯棉T恤 XL", 1)], "", "", "小王")
    closed = aftersale.open_case(db, store["order_o3"], "resend", "少发一件", [], "", "", "小王")
    aftersale.update_case(db, closed, "小王", state="closed")
    remark(db, store["order_o1"], "小王", "客户要求改地址为杭州", at(0, "09:00"))
    remark(db, store["order_o3"], "小王", "加急发货", at(0, "10:00"))
    remark(db, store["order_o3"], "小王", "再次确认加急", at(0, "11:00"))  # the latest counts
    remark(db, store["order_o4"], "小王", "已发货的不算", at(0, "11:00"))
    remark(db, store["order_o3"], "小王", "昨天的不算", at(-1, "16:00"))
    remark(db, store["order_o3"], "小李", "别人的不算", at(0, "12:00"))
    buyers.add_labels(db, [3], "tag", ["待跟进"], "小王", frozenset())  # b3 chatted in shop 1
    buyers.add_labels(db, [4], "tag", ["待跟进"], "小王", frozenset())  # b9's id is 4: shop 2
    mine = handover.add_follow_up(db, store["conv_c3"], at(0, "19:00"), "回电话确认尺码", wang,
                                  wang, "小王", now=NOW)
    shift_wide = handover.add_follow_up(db, store["conv_c1"], at(0, "20:00"), "", None, wang,
                                        "小王", now=NOW)
    handover.add_follow_up(db, store["conv_c1"], at(0, "20:00"), "小李自己的", store["li"],
                           store["li"], "小李", now=NOW)

    row = handover_draft.draft(db, wang, now=NOW)
    assert (row.id, row.state, row.author, row.shift_id, row.to_shift_id) == \
        (0, "draft", "小王", store["early"], store["late"])
    assert kinds(row) == [
        ("chat", store["conv_c1"]), ("chat", store["conv_c2"]),  # longest waiting first
        ("follow_up", mine), ("follow_up", shift_wide),
        ("unpaid", store["order_o1"]),  # o2 was dunned; o9 is in a shop 小王 does not serve
        ("case", case_id),
        ("remark", store["order_o3"]), ("remark", store["order_o1"]),
        ("tagged", 3)]
    chat, unpaid, case = row.items[0], row.items[4], row.items[5]
    assert chat.title == "买家b1 · 等待 30 分钟: 能改地址吗"
    assert (chat.ref, chat.shop_name, chat.buyer_id, chat.state) == ("买家b1 @店", "店", 1,
                                                                     ItemState.TODO)
    assert row.items[2].title == "买家b3 · 回访 11-24 19:00: 回电话确认尺码"
    assert row.items[2].due_at == at(0, "19:00")
    assert unpaid.title == "订单 o1 · 买家b1 · 未付款 ¥99.80"
    assert (unpaid.ref, unpaid.conversation_id) == ("买家b1 @店 · 订单号 o1", store["conv_c1"])
    assert case.title == f"售后 #{case_id} 换货 · 买家b3 · 待处理: 尺码不合适"
    assert case.ref == f"买家b3 @店 · 订单号 o3 · 售后单号 #{case_id}"
    assert (case.order_id, case.conversation_id) == (store["order_o3"], store["conv_c3"])
    assert row.items[6].title == "订单 o3 · 备注: 再次确认加急"
    assert row.items[8].title == "买家b3 · 标签「待跟进」"
    assert row.todo() == 9


def test_a_seat_on_no_shift_gets_remarks_since_its_last_handover(db, store):
    remark(db, store["order_o1"], "老周", "夜里改的", at(0, "03:00"))
    remark(db, store["order_o3"], "老周", "下午改的", at(0, "16:00"))
    row = handover_draft.draft(db, store["zhou"], now=NOW)  # 夜班 ended 08:30, beyond the grace
    assert (row.shift_id, row.to_shift_id) == (None, store["late"])  # the next to start
    assert ("remark", store["order_o1"]) not in kinds(row)  # more than 12 h ago
    assert ("remark", store["order_o3"]) in kinds(row)
    assert ("chat", store["conv_c9"]) in kinds(row)  # every shop is 老周's
    assert ("unpaid", store["order_o9"]) in kinds(row)
    with pytest.raises(HandoverError):
        handover_draft.draft(db, 999, now=NOW)


# -- saving, sending, acknowledging, carrying on ------------------------------------------------
def send_draft(db, seat_id, now, edit=lambda row: row, **changes):
    row = edit(handover_draft.draft(db, seat_id, now=now))
    hid = handover.save(db, replace(row, **changes), "x", now=now)
    return handover.send(db, hid, now=now)


def test_a_handover_is_saved_edited_sent_and_acknowledged(db, store):
    wang, li, zhang = store["wang"], store["li"], store["zhang"]
    row = handover_draft.draft(db, wang, now=NOW)
    note = HandoverItemRow(0, Kind.NOTE, "", "仓库说明天停电，上午不发货", ItemState.TODO)
    items = (replace(row.items[0], note="买家要改到公司地址，已核对"), row.items[1], note)
    hid = handover.save(db, replace(row, text="今天退货多\n第二行", items=items), "小王", now=NOW)
    saved = handover.get(db, hid)
    assert (saved.state, saved.sent_at, saved.text) == ("draft", None, "今天退货多\n第二行")
    assert [x.kind for x in saved.items] == [Kind.CHAT, Kind.CHAT, Kind.NOTE]
    assert saved.items[2].title == "仓库说明天停电，上午不发货"  # a note without title
    assert saved.items[0].note == "买家要改到公司地址，已核对"
    # the author drops the second chat, names 小张 as well, and saves again
    dropped = replace(saved.items[1], state=ItemState.DROPPED)
    again = replace(saved, items=(saved.items[0], dropped, saved.items[2]),
                    to_seat_ids=frozenset({zhang}))
    assert handover.save(db, again, "小王", now=NOW + MIN) == hid
    saved = handover.get(db, hid)
    assert saved.items[1].state is ItemState.DROPPED and saved.items[1].done_by == "小王"
    assert saved.to_seat_ids == {zhang}
    with pytest.raises(HandoverError):  # an item of another handover
        handover.save(db, replace(saved, items=(replace(saved.items[0], id=9999),)), "小王")
    # drafts are the author's: nobody is told yet
    assert handover.unread(db, li, now=NOW) == []
    assert [r.id for r in handover.listing(db, HandoverFilter(), viewer_seat_id=wang)] == [hid]
    assert handover.listing(db, HandoverFilter(), viewer_seat_id=li) == []

    sent = handover.send(db, hid, now=NOW + 2 * MIN)
    assert (sent.state, sent.sent_at) == ("sent", NOW + 2 * MIN)
    with pytest.raises(HandoverError):
        handover.send(db, hid)
    with pytest.raises(HandoverError):
        handover.save(db, sent, "小王")
    # 小李 (晚班, the next shift) and 小张 (晚班, and by name) see it; the author does not
    assert [r.id for r in handover.unread(db, li, now=NOW + 3 * MIN)] == [hid]
    assert [r.id for r in handover.unread(db, zhang, now=NOW + 3 * MIN)] == [hid]
    assert handover.unread(db, wang, now=NOW + 3 * MIN) == []
    assert handover.unread(db, store["zhou"], now=NOW + 3 * MIN) == []
    handover.acknowledge(db, hid, li, "小李", now=NOW + 4 * MIN)
    handover.acknowledge(db, hid, li, "小李", now=NOW + 5 * MIN)  # once is enough
    assert handover.unread(db, li, now=NOW + 6 * MIN) == []
    assert [(a.seat_name, a.at) for a in handover.get(db, hid).acks] == [("小李", NOW + 4 * MIN)]
    assert handover.get(db, hid).acknowledged_by(li)
    # a week later it is history, not news
    assert handover.unread(db, zhang, now=NOW + 8 * 24 * HOUR) == []


def test_sending_needs_an_addressee(db, store):
    row = handover_draft.draft(db, store["wang"], now=NOW)
    hid = handover.save(db, replace(row, to_shift_id=None), "小王", now=NOW)
    with pytest.raises(HandoverError, match="address"):
        handover.send(db, hid, now=NOW)


def test_undone_items_carry_into_the_readers_next_draft_exactly_once(db, store):
    wang, li, zhang = store["wang"], store["li"], store["zhang"]
    case_id = aftersale.open_case(db, store["order_o3"], "refund_only", "破损", [], "", "", "小王")
    with db.begin() as conn:  # opened (by the wall clock) before the handover was written
        conn.execute(update(cases_table).where(cases_table.c.id == case_id)
                     .values(created_at=NOW - HOUR, updated_at=NOW - HOUR))
    first = send_draft(db, wang, NOW, lambda r: replace(r, items=(
        replace(r.items[0], note="等买家确认新地址"),
        *[x for x in r.items if x.kind in (Kind.UNPAID, Kind.CASE)])))
    chat, unpaid, case = first.items
    assert (chat.kind, unpaid.kind, case.case_id) == (Kind.CHAT, Kind.UNPAID, case_id)
    handover.acknowledge(db, first.id, li, "小李", now=NOW + HOUR)
    handover.set_item_state(db, unpaid.id, ItemState.DONE, None, "小李", now=NOW + HOUR)
    handover.set_item_state(db, case.id, ItemState.DONE, "已退款", "小李", now=NOW + HOUR)
    ticked = handover.get(db, first.id)
    assert [x.state for x in ticked.items] == [ItemState.TODO, ItemState.DONE, ItemState.DONE]
    assert (ticked.items[2].done_by, ticked.items[2].note) == ("小李", "已退款")
    assert ticked.todo() == 1

    later = at(0, "22:30")
    nxt = handover_draft.draft(db, li, now=later)
    carried = [x for x in nxt.items if x.carried_from is not None]
    assert [(x.kind, x.conversation_id, x.carried_from, x.note) for x in carried] == \
        [(Kind.CHAT, store["conv_c1"], chat.id, "等买家确认新地址")]
    # the ticked ones do not come back: not as carried, not as fresh items
    assert ("unpaid", store["order_o1"]) not in kinds(nxt)
    assert ("case", case_id) not in kinds(nxt)
    # 小张 (also 晚班) is offered the same chat until 小李 has handed it on …
    assert [x.carried_from for x in handover_draft.draft(db, zhang, now=later).items
            if x.carried_from] == [chat.id]
    second = send_draft(db, li, later)
    assert [x.carried_from for x in second.items if x.carried_from] == [chat.id]
    # … then nobody is offered it again from the first handover
    assert [x.carried_from for x in handover_draft.draft(db, zhang, now=later).items
            if x.carried_from] == []
    # the chain goes on from the second handover: 夜班 (老周) gets the chat once
    night = handover_draft.draft(db, store["zhou"], now=at(0, "23:30"))
    assert {(x.conversation_id, x.carried_from) for x in night.items if x.kind is Kind.CHAT} == \
        {(store["conv_c1"], second.items[0].id), (store["conv_c9"], None)}  # c9: 老周's own
    # (小李 also handed over shop 2's unpaid o9, which is 老周's too: one item, carried)
    assert [x.carried_from is not None for x in night.items
            if x.order_id == store["order_o9"]] == [True]
    assert sum(x.kind is Kind.CHAT and x.conversation_id == store["conv_c1"]
               for x in night.items) == 1
    # the first handover's chat item was taken on by the second
    assert handover.get(db, first.id).items[0].carried_to == second.id


def test_a_carried_item_whose_thing_is_over_comes_ticked_and_ends_its_chain(db, store):
    wang, li = store["wang"], store["li"]
    first = send_draft(db, wang, NOW)
    by_link = {(x.kind, x.conversation_id if x.kind is Kind.CHAT else x.order_id): x
               for x in first.items}
    # meanwhile the buyer of o1 paid, and c2's buyer was answered
    Ingestor(db).ingest_orders(1, "fake", [order("o1", OrderStatus.PAID, minute=5, buyer="b1")])
    with db.begin() as conn:
        conn.execute(update(conversations_table).where(conversations_table.c.id == store["conv_c2"])
                     .values(waiting_since=None))
    later = at(0, "22:00")
    nxt = handover_draft.draft(db, li, now=later)
    states = {x.carried_from: (x.state, x.done_by) for x in nxt.items if x.carried_from}
    assert states[by_link[(Kind.UNPAID, store["order_o1"])].id] == (ItemState.DONE, "系统")
    assert states[by_link[(Kind.CHAT, store["conv_c2"])].id] == (ItemState.DONE, "系统")
    assert states[by_link[(Kind.CHAT, store["conv_c1"])].id] == (ItemState.TODO, "")
    chats = [x for x in nxt.items if x.kind is Kind.CHAT]
    assert [x.state for x in chats] == [ItemState.TODO, ItemState.DONE]  # to do first
    second = handover.send(db, handover.save(db, nxt, "小李", now=later), now=later)
    # sent, the chain of the things that are over ends; the first handover's are taken on
    assert all(x.carried_to == second.id for x in handover.get(db, first.id).items)
    night = handover_draft.draft(db, store["zhou"], now=at(0, "23:30"))
    assert [x.conversation_id for x in night.items
            if x.carried_from and x.kind is Kind.CHAT] == [store["conv_c1"]]
    assert store["order_o1"] not in [x.order_id for x in night.items]


def test_a_fresh_item_about_a_carried_thing_is_one_item(db, store):
    wang, li = store["wang"], store["li"]
    first = send_draft(db, wang, NOW, lambda r: replace(r, items=(replace(r.items[0], note="急"),)))
    hold(db, li, store["conv_c1"])  # 小李 holds the chat now, the buyer still waits
    nxt = handover_draft.draft(db, li, now=at(0, "18:00") + 30_000)
    chats = [x for x in nxt.items if x.conversation_id == store["conv_c1"] and x.kind is Kind.CHAT]
    assert len(chats) == 1
    assert (chats[0].carried_from, chats[0].note) == (first.items[0].id, "急")
    assert "等待 2 小时" in chats[0].title  # the facts are today's (18:00:30)


def test_two_drafts_carrying_one_item_send_it_once(db, store):
    first = send_draft(db, store["wang"], NOW)
    chat = first.items[0]
    later = at(0, "22:00")
    li_draft = handover.save(db, handover_draft.draft(db, store["li"], now=later), "小李", now=later)
    zhang_draft = handover.save(db, handover_draft.draft(db, store["zhang"], now=later), "小张",
                                now=later)
    handover.send(db, li_draft, now=later)
    sent = handover.send(db, zhang_draft, now=later + MIN)
    assert chat.id not in [x.carried_from for x in sent.items]


def test_a_tick_holds_until_the_thing_changes(db, store):
    wang = store["wang"]
    first = send_draft(db, wang, NOW)
    chat = next(x for x in first.items if x.conversation_id == store["conv_c2"])
    handover.set_item_state(db, chat.id, ItemState.DROPPED, None, "小李", now=NOW + MIN)
    assert ("chat", store["conv_c2"]) not in kinds(handover_draft.draft(db, wang, now=NOW + 2 * MIN))
    # the buyer writes again after being answered: waiting anew, so handed over anew
    with db.begin() as conn:
        conn.execute(update(conversations_table)
                     .where(conversations_table.c.id == store["conv_c2"])
                     .values(waiting_since=NOW + 3 * MIN))
    assert ("chat", store["conv_c2"]) in kinds(handover_draft.draft(db, wang, now=NOW + 4 * MIN))
    # back to do: the tick is gone
    handover.set_item_state(db, chat.id, ItemState.TODO, None, "小李", now=NOW + 5 * MIN)
    item = handover.get(db, first.id).items[[x.id for x in first.items].index(chat.id)]
    assert (item.state, item.done_by, item.done_at) == (ItemState.TODO, "", None)
    with pytest.raises(HandoverError):
        handover.set_item_state(db, 9999, ItemState.DONE, None, "小李")


# -- follow-up promises -------------------------------------------------------------------------
def test_a_follow_up_is_kept_from_the_item_or_the_reminder(db, store):
    wang, li = store["wang"], store["li"]
    fid = handover.add_follow_up(db, store["conv_c3"], at(0, "19:00"), " 回电话 ", None, wang,
                                 "小王", now=NOW)
    other = handover.add_follow_up(db, store["conv_c1"], at(0, "18:00"), "改地址", wang, wang,
                                   "小王", now=NOW)
    with pytest.raises(HandoverError):
        handover.add_follow_up(db, 9999, NOW, "", None, wang, "小王")
    rows = handover.follow_ups(db, li)  # the next shift's promise, not 小王's own
    assert [(r.id, r.note, r.buyer_nick, r.shop_name, r.for_seat_id, r.created_by) for r in rows] \
        == [(fid, "回电话", "买家b3", "店", None, "小王")]
    assert [r.id for r in handover.follow_ups(db, wang)] == [other, fid]  # soonest first
    assert [r.id for r in handover.follow_ups(db, wang, due_before=at(0, "18:30"))] == [other]
    sent = send_draft(db, wang, NOW)
    item = next(x for x in sent.items if x.follow_up_id == fid)
    assert (item.kind, item.due_at, item.conversation_id) == (Kind.FOLLOW_UP, at(0, "19:00"),
                                                              store["conv_c3"])
    # kept from the reminder: the handover item is ticked with it
    notice = handover.complete_follow_up(db, fid, "小李", now=at(0, "19:01"))
    assert notice.handovers == {sent.id} and notice.follow_ups
    assert next(x for x in handover.get(db, sent.id).items if x.follow_up_id == fid).state \
        is ItemState.DONE
    assert [r.id for r in handover.follow_ups(db, li)] == []
    assert [r.state for r in handover.follow_ups(db, li, open_only=False)] == ["done"]
    # kept from the item: the promise is kept with it
    item = next(x for x in sent.items if x.follow_up_id == other)
    notice = handover.set_item_state(db, item.id, ItemState.DONE, None, "小李", now=at(0, "19:02"))
    assert notice.follow_ups and handover.follow_ups(db, wang) == []


# -- handing the chats over -------------------------------------------------------------------
def test_sending_with_release_hands_the_open_chats_to_the_next_shift(db, store):
    wang, li, zhang = store["wang"], store["li"], store["zhang"]
    seats.save_seat(db, SeatProfile("zhang", "小张", shop_ids=frozenset({2})), zhang)
    seats.sign_in(db, li, "小李", now=NOW)
    sent = send_draft(db, wang, NOW, lambda r: replace(
        r, text="\n 今天退货多 \n第二行", items=(replace(r.items[0], note="要改地址\n细节"),)))
    report = handover.hand_over_chats(db, sent, actor_seat_id=wang, actor="小王", now=NOW + MIN)
    assert sorted(report.moved) == sorted([store["conv_c1"], store["conv_c2"], store["conv_c3"]])
    assert report.seats == {wang, li}
    with db.connect() as conn:
        rows = {r.id: r for r in conn.execute(conversations_table.select())}
    # 小张 serves only shop 2: every chat goes to 小李
    assert {rows[store[k]].seat_id for k in ("conv_c1", "conv_c2", "conv_c3")} == {li}
    assert rows[store["conv_c1"]].transfer_note == "交接：要改地址"
    assert rows[store["conv_c2"]].transfer_note == "交接：今天退货多"
    assert rows[store["conv_c1"]].transfer_by == "小王"
    assert [e.kind for e in assign.log(db, store["conv_c1"])] == ["transfer"]


def test_a_chat_no_addressee_serves_stays(db, store):
    li = store["li"]
    seats.save_seat(db, SeatProfile("li", "小李", shop_ids=frozenset({2})), li)
    seats.save_seat(db, SeatProfile("zhang", "小张", shop_ids=frozenset({2})), store["zhang"])
    sent = send_draft(db, store["wang"], NOW)
    report = handover.hand_over_chats(db, sent, actor_seat_id=store["wang"], actor="小王",
                                      now=NOW + MIN)
    assert report.moved == ()
    with db.connect() as conn:
        held = {r.seat_id for r in conn.execute(conversations_table.select().where(
            conversations_table.c.shop_id == 1))}
    assert held == {store["wang"]}


# -- history, the lead's report, export ----------------------------------------------------------
def test_history_is_searchable_and_filterable(db, store):
    wang, li = store["wang"], store["li"]
    first = send_draft(db, wang, NOW, text="仓库停电")
    second = send_draft(db, li, at(0, "22:00"), lambda r: replace(r, items=(
        HandoverItemRow(0, Kind.NOTE, "打印机没纸了", "明早买", ItemState.TODO),)))
    handover.set_item_state(db, second.items[0].id, ItemState.DONE, None, "老周",
                            now=at(0, "23:00"))

    def ids(**kw):
        return [r.id for r in handover.listing(db, HandoverFilter(**kw))]

    assert ids() == [second.id, first.id]  # newest first
    assert ids(text="停电") == [first.id]
    assert ids(text="明早") == [second.id]  # item notes
    assert ids(text="买家b1") == [first.id]  # item titles
    assert ids(text="%") == []
    assert ids(author_seat_id=li) == [second.id]
    assert ids(since=at(0, "20:00")) == [second.id]
    assert ids(until=at(0, "20:00")) == [first.id]
    assert ids(with_todo=True) == [first.id]
    assert ids(with_todo=False) == [second.id]
    assert ids(unacknowledged_by=li) == [first.id]
    handover.acknowledge(db, first.id, li, "小李", now=at(0, "18:00"))
    assert ids(unacknowledged_by=li) == []
    assert ids(unacknowledged_by=store["zhou"]) == [second.id]  # 夜班 follows 晚班
    assert len(handover.listing(db, HandoverFilter(), limit=1)) == 1


def test_the_leads_report_shows_acks_and_overdue_items(db, store):
    first = send_draft(db, store["wang"], NOW)
    handover.acknowledge(db, first.id, store["li"], "小李", now=NOW + HOUR)
    handover.set_item_state(db, first.items[0].id, ItemState.DONE, None, "小李", now=NOW + HOUR)
    [row] = handover.report(db, NOW - HOUR, NOW + HOUR)
    assert [a.seat_name for a in row.acks] == ["小李"]
    assert row.overdue(NOW + 2 * HOUR, 4) == ()
    late = row.overdue(NOW + 5 * HOUR, 4)
    assert len(late) == row.todo() == len(row.items) - 1
    assert handover.report(db, NOW + HOUR, NOW + 2 * HOUR) == []
    # once a later handover takes the items on, they are no longer this one's overdue
    send_draft(db, store["li"], at(0, "22:00"))
    [row] = handover.report(db, NOW - HOUR, NOW + HOUR)
    assert row.overdue(NOW + 5 * HOUR, 4) == ()


def test_export_as_markdown_and_plain_text(db, store):
    wang, li = store["wang"], store["li"]
    with db.begin() as conn:  # a nick that looks like markup stays what the buyer typed
        conn.execute(update(conversations_table).where(conversations_table.c.id == store["conv_c1"])
                     .values(last_preview="<b>急</b> *改地址*"))
    sent = send_draft(db, wang, NOW, lambda r: replace(r, items=(
        *r.items, HandoverItemRow(0, Kind.NOTE, "打印机没纸了", "", ItemState.TODO))),
        text="今天退货多", to_seat_ids=frozenset({li}))
    handover.set_item_state(db, sent.items[1].id, ItemState.DONE, None, "小李", now=at(0, "18:00"))
    handover.acknowledge(db, sent.id, li, "小李", now=at(0, "17:40"))
    row = handover.get(db, sent.id)
    names = dict(shift_names={r.id: r.name for r in shifts.shift_rows(db)},
                 seat_names={li: "小李"}, tz_name=TZ)
    md = as_text(row, markdown=True, **names)
    assert md.startswith("## 交接班 · 小王 · 2026-11-24 16:30\n")
    assert "- 班次：早班 → 晚班" in md and "- 交给：晚班、小李" in md
    assert "- 已确认：小李 11-24 17:40" in md
    assert "### 待回复会话（2）" in md and "### 未付款订单（未催付）（1）" in md
    assert "### 其他事项（1）\n- [ ] 打印机没纸了" in md
    assert "- [ ] 买家b1 · 等待 30 分钟: \\<b\\>急\\</b\\> \\*改地址\\*（买家b1 @店）" in md
    assert "- [x] 买家b2 · 等待 30 分钟: 什么时候发货（买家b2 @店） — 小李 11-24 18:00 已完成" in md
    assert "（买家b1 @店 · 订单号 o1）" in md
    plain = as_text(row, markdown=False, **names)
    assert plain.startswith("【交接班 · 小王 · 2026-11-24 16:30】\n")
    assert "【待回复会话】（2）\n[ ] 买家b1 · 等待 30 分钟: <b>急</b> *改地址*（买家b1 @店）" in plain
    assert "[√] 买家b2" in plain and "#" not in plain.split("\n", 1)[1].replace("售后单号 #", "")


def test_deleting_a_shift_keeps_its_handovers(db, store):
    sent = send_draft(db, store["wang"], NOW)
    shifts.delete_shift(db, store["late"])
    row = handover.get(db, sent.id)
    assert (row.shift_id, row.to_shift_id) == (store["early"], None)
    assert [r.name for r in shifts.shift_rows(db)] == ["早班", "夜班"]


def test_an_item_linked_by_the_ui_gets_its_reference(db, store):
    row = handover_draft.draft(db, store["wang"], now=NOW)
    linked = HandoverItemRow(0, Kind.NOTE, "", "问问仓库", ItemState.TODO,
                             order_id=store["order_o3"], conversation_id=store["conv_c3"])
    hid = handover.save(db, replace(row, items=(linked,)), "小王", now=NOW)
    [item] = handover.get(db, hid).items
    assert (item.title, item.ref, item.shop_name) == ("问问仓库", "买家b3 @店 · 订单号 o3", "店")
    with pytest.raises(HandoverError):
        handover.save(db, replace(row, items=(HandoverItemRow(0, Kind.NOTE, " ", "",
                                                               ItemState.TODO),)), "小王")
