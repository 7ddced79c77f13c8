"""The adapter against the fake gateway over loopback: the order feed's windows and pages,
remarks with tags, typed errors, and the chat APIs the platform does not offer."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest

from desktop.sdk import (
    AuthExpired,
    OrderEvent,
    OrderStatus,
    Page,
    RateLimited,
    Rejected,
    SendMessage,
    SetRemark,
    Temporary,
    Transfer,
)
from desktop.sdk.testing import run
from plugins.pinduoduo.adapter import PinduoduoAdapter
from plugins.pinduoduo.fake import ManualClock, MemorySecrets, PinduoduoFake
from plugins.pinduoduo.feed import decode

T = TypeVar("T")
T0 = 1_714_528_800  # 2024-05-01 10:00:00 Beijing
INCREMENT = "pdd.order.number.list.increment.get"


def use(fake: PinduoduoFake, fn: Callable[[PinduoduoAdapter], Awaitable[T]], *,
        secrets: MemorySecrets | None = None, transport: httpx.AsyncBaseTransport | None = None,
        tweak: Callable[[Any], None] | None = None, **settings: object) -> T:
    async def go() -> T:
        async with httpx.AsyncClient(timeout=5, transport=transport) as http:
            ctx = fake.context(http, secrets=secrets, **settings)
            if tweak is not None:
                tweak(ctx)
            return await fn(PinduoduoAdapter(ctx))
    return run(go())


async def drain(adapter: PinduoduoAdapter, cursor: str | None = None) -> tuple[list[OrderEvent], str | None]:
    events: list[OrderEvent] = []
    for _ in range(500):
        page: Page[OrderEvent] = await adapter.fetch_orders(cursor)
        events.extend(page.events)
        cursor = page.next_cursor
        if not page.has_more:
            return events, cursor
    raise AssertionError("the feed did not end")


def increments(fake: PinduoduoFake) -> list[tuple[int, int, int]]:
    return [(int(c["start_updated_at"]), int(c["end_updated_at"]), int(c["page"]))
            for c in fake.calls if c["type"] == INCREMENT]


# -- the order feed ---------------------------------------------------------------------------
def test_history_is_read_in_30_minute_windows_paged_backwards(fake: PinduoduoFake, clock: ManualClock) -> None:
    seeded = []
    for minutes_ago, n in ((170, 4), (100, 12), (20, 2)):
        clock.t = T0 - minutes_ago * 60
        seeded += fake.add_orders(n)
    clock.t = T0
    events, cursor = use(fake, drain, page_size=5, history_hours=3)
    assert {e.platform_order_id for e in events} == set(seeded)
    calls = increments(fake)
    assert all(0 <= end - start <= 1800 for start, end, _ in calls)
    windows: list[tuple[int, int]] = []
    pages: dict[tuple[int, int], list[int]] = {}
    for start, end, page in calls:
        if (start, end) not in pages:
            windows.append((start, end))
        pages.setdefault((start, end), []).append(page)
    assert windows[0][0] == T0 - 3 * 3600 and windows[-1][1] == T0 and len(windows) == 6
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False)), "windows must tile time"
    assert pages[(T0 - 7200, T0 - 5400)] == [1, 3, 2, 1]  # 12 orders, 5 a page: page 1, then backwards
    assert all(p == [1] for w, p in pages.items() if w != (T0 - 7200, T0 - 5400))
    assert cursor is not None and decode(cursor) is not None and decode(cursor).start == T0  # type: ignore[union-attr]
    assert all(c["page_size"] == "5" and c["order_status"] == "5" and c["refund_status"] == "5"
               and c["use_has_next"] == "false" for c in fake.calls)


def test_resume_reads_only_what_changed(fake: PinduoduoFake, clock: ManualClock) -> None:
    first = fake.add_orders(6)
    _, cursor = use(fake, drain)
    clock.advance(30)
    fake.touch_order(first[2])
    later = fake.add_orders(2)
    again, _ = use(fake, lambda a: drain(a, cursor))
    assert sorted(e.platform_order_id for e in again) == sorted([first[2], *later])


def test_changes_in_the_same_second_are_neither_lost_nor_repeated(fake: PinduoduoFake) -> None:
    first = fake.add_orders(4)  # the clock does not move in this test
    events, cursor = use(fake, drain)
    assert {e.platform_order_id for e in events} == set(first)
    before = next(e for e in events if e.platform_order_id == first[1])
    fake.touch_order(first[1])
    again, cursor = use(fake, lambda a: drain(a, cursor))
    assert [e.platform_order_id for e in again] == [first[1]]
    assert again[0].raw_status != before.raw_status or again[0].extra != before.extra
    third, _ = use(fake, lambda a: drain(a, cursor))
    assert third == []


def test_an_order_changed_while_a_window_is_paged_is_not_lost(fake: PinduoduoFake, clock: ManualClock) -> None:
    """Why pages are read backwards: after page 1 and the last page are read, an order on
    page 1 changes and leaves the window, so every later order moves one place up. Read
    forwards, the order that moved from page 2 onto page 1 would be skipped; read
    backwards, pages 2 and 1 still lie ahead and hold it."""
    clock.t = T0 - 2400  # in the window [T0-3600, T0-1800]
    seeded = fake.add_orders(25)
    clock.t = T0
    ordered = sorted(seeded)  # the fake lists one second's orders by order_sn

    async def go(adapter: PinduoduoAdapter) -> list[OrderEvent]:
        events: list[OrderEvent] = []
        cursor, busy_pages = None, 0
        while True:
            page = await adapter.fetch_orders(cursor)
            events.extend(page.events)
            cursor = page.next_cursor
            busy_pages += bool(page.events)
            if busy_pages == 2 and page.events:  # page 1, then the last page (3) are read
                fake.touch_order(ordered[3])
            if not page.has_more:
                return events
    events = use(fake, go, page_size=10, history_hours=1)
    pages = [p for s, _, p in increments(fake) if s == T0 - 3600]
    assert pages == [1, 3, 2, 1]
    assert set(seeded) <= {e.platform_order_id for e in events}
    moved = [e for e in events if e.platform_order_id == ordered[3]]
    assert moved[-1].updated_at.timestamp() == T0  # and its new state arrived in a later window


def test_a_window_in_progress_keeps_its_page_size(fake: PinduoduoFake, clock: ManualClock) -> None:
    clock.t = T0 - 2400  # in the first window, [T0-3600, T0-1800]
    seeded = fake.add_orders(12)
    clock.t = T0
    first = use(fake, lambda a: a.fetch_orders(None), page_size=5, history_hours=1)  # page 1 of 3
    events, _ = use(fake, lambda a: drain(a, first.next_cursor), page_size=2)
    assert {e.platform_order_id for e in [*first.events, *events]} == set(seeded)
    assert [c["page_size"] for c in fake.calls if c["start_updated_at"] == str(T0 - 3600)] == ["5"] * 4
    assert [c["page_size"] for c in fake.calls if c["start_updated_at"] == str(T0 - 1800)] == ["2"]


def test_slim_increment_records_are_completed_with_the_detail_api(fake: PinduoduoFake) -> None:
    fake.slim_increment = True
    seeded = fake.add_orders(3)
    events, _ = use(fake, drain)
    assert {e.platform_order_id for e in events} == set(seeded)
    assert all(e.items and e.total > 0 and e.receiver_masked for e in events)
    assert sorted(c["order_sn"] for c in fake.calls if c["type"] == "pdd.order.information.get") == sorted(seeded)


def test_fetch_order_reads_one_order_in_full(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    event = use(fake, lambda a: a.fetch_order(sn))
    assert event.platform_order_id == sn and event.items


def test_statuses_cover_refunds_in_the_seeded_shop(fake: PinduoduoFake) -> None:
    fake.add_orders(60)
    events, _ = use(fake, drain)
    seen = {e.status for e in events}
    assert {OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.REFUNDING} <= seen
    assert all("*" in e.receiver_masked for e in events)


def test_a_cursor_that_is_not_ours_restarts_from_history(fake: PinduoduoFake, caplog: pytest.LogCaptureFixture) -> None:
    seeded = fake.add_orders(2)
    with caplog.at_level(logging.WARNING):
        events, _ = use(fake, lambda a: drain(a, "not-a-cursor"))
    assert set(seeded) <= {e.platform_order_id for e in events}
    assert "cursor not understood" in caplog.text


@pytest.mark.parametrize(("settings", "words"), [({"page_size": 101}, "page_size"), ({"page_size": 0}, "page_size"),
                                                 ({"history_hours": 999}, "history_hours"),
                                                 ({"page_size": "ten"}, "page_size")])
def test_bad_settings_are_refused_before_any_call(fake: PinduoduoFake, settings: dict[str, Any], words: str) -> None:
    with pytest.raises(Rejected, match=words):
        use(fake, lambda a: a.fetch_orders(None), **settings)
    assert fake.calls == []


def test_settings_typed_in_the_wizard_are_strings(fake: PinduoduoFake) -> None:
    fake.add_orders(1)
    use(fake, lambda a: a.fetch_orders(None), page_size="7", history_hours="2")
    assert fake.calls[-1]["page_size"] == "7"


def test_check_connection_is_one_small_authorised_call(fake: PinduoduoFake) -> None:
    use(fake, lambda a: a.check_connection())
    [call] = fake.calls
    assert call["type"] == INCREMENT and call["page_size"] == "1" and call["access_token"] == "***"
    assert int(call["end_updated_at"]) - int(call["start_updated_at"]) == 60


# -- errors ---------------------------------------------------------------------------------------
def test_an_expired_token_is_auth_expired(fake: PinduoduoFake) -> None:
    fake.expire_token()
    with pytest.raises(AuthExpired, match="10019"):
        use(fake, lambda a: a.fetch_orders(None))


def test_the_call_limit_waits_a_limiter_window(fake: PinduoduoFake) -> None:
    fake.limit_calls(1)
    with pytest.raises(RateLimited) as raised:
        use(fake, lambda a: a.fetch_orders(None))
    assert raised.value.retry_after == 60 and "70031" in str(raised.value)


@pytest.mark.parametrize("how", ["system", "http"])
def test_an_outage_is_temporary(fake: PinduoduoFake, how: str) -> None:
    fake.fail(1, how)
    with pytest.raises(Temporary):
        use(fake, lambda a: a.check_connection())
    use(fake, lambda a: a.check_connection())  # and it passes


@pytest.mark.parametrize(("name", "value"), [("client_secret", "wrong-secret"), ("client_id", "someone-else")])
def test_a_wrong_credential_is_auth_expired(fake: PinduoduoFake, name: str, value: str) -> None:
    secrets = MemorySecrets({**fake.secrets(), name: value})
    with pytest.raises(AuthExpired, match="20004"):
        use(fake, lambda a: a.check_connection(), secrets=secrets)


def test_a_missing_credential_is_auth_expired_without_a_call(fake: PinduoduoFake) -> None:
    secrets = MemorySecrets({k: v for k, v in fake.secrets().items() if k != "access_token"})
    with pytest.raises(AuthExpired, match="access_token"):
        use(fake, lambda a: a.check_connection(), secrets=secrets)
    assert fake.calls == []


def test_a_skewed_clock_is_refused_with_the_platform_reason(fake: PinduoduoFake, clock: ManualClock) -> None:
    from datetime import UTC, datetime

    def skew(ctx: Any) -> None:
        ctx.clock = lambda: datetime.fromtimestamp(clock.t + 1200, UTC)
    with pytest.raises(Rejected, match="timestamp"):
        use(fake, lambda a: a.check_connection(), tweak=skew)


def test_an_unreachable_gateway_is_temporary(fake: PinduoduoFake) -> None:
    with pytest.raises(Temporary, match="不可达"):
        use(fake, lambda a: a.check_connection(), base_url="http://127.0.0.1:9/api/router")


def test_a_wrong_gateway_path_is_rejected(fake: PinduoduoFake) -> None:
    with pytest.raises(Rejected, match="HTTP 404"):
        use(fake, lambda a: a.check_connection(), base_url=fake.url.replace("/api/router", "/router"))


@pytest.mark.parametrize(("body", "words"), [
    (b"<html>maintenance</html>", "is not JSON"),
    (b'{"unexpected": {}}', "has no 'order_sn_increment_get_response'"),
    (b'{"order_sn_increment_get_response": {"order_sn_list": []}}', "lacks total_count"),
    (b'{"order_sn_increment_get_response": {"total_count": 1, "order_sn_list": [{"order_sn": "x"}]}}',
     "lacks 'updated_at'"),
])
def test_malformed_replies_are_temporary(fake: PinduoduoFake, body: bytes, words: str) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with pytest.raises(Temporary, match="malformed") as raised:
        use(fake, lambda a: a.fetch_orders(None), transport=transport)
    assert words in str(raised.value)


def test_a_retry_after_header_is_honoured(fake: PinduoduoFake) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(429, headers={"Retry-After": "7"}))
    with pytest.raises(RateLimited) as raised:
        use(fake, lambda a: a.check_connection(), transport=transport)
    assert raised.value.retry_after == 7


# -- remarks --------------------------------------------------------------------------------------
def note_calls(fake: PinduoduoFake) -> list[dict[str, str]]:
    return [c for c in fake.calls if c["type"] == "pdd.order.note.update"]


def test_a_remark_with_a_tag(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    use(fake, lambda a: a.set_remark(SetRemark("k1", sn, "客户要求顺丰，周六送达", 4)))
    assert fake.memo(sn) == ("客户要求顺丰，周六送达", 4)
    [call] = note_calls(fake)
    assert call["tag"] == "4" and call["tag_name"] == "蓝色" and call["note"] == "客户要求顺丰，周六送达"


def test_no_flag_sends_neither_tag_nor_tag_name(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    fake.edit_order(sn, remark_tag=2, remark_tag_name="黄色")
    use(fake, lambda a: a.set_remark(SetRemark("k1", sn, "已联系买家", None)))
    [call] = note_calls(fake)
    assert "tag" not in call and "tag_name" not in call
    assert fake.memo(sn) == ("已联系买家", None)


def test_the_shops_own_tag_name_is_kept_while_the_colour_stays(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    fake.edit_order(sn, remark_tag=1, remark_tag_name="加急")
    use(fake, lambda a: a.set_remark(SetRemark("k1", sn, "加急单，今天发", 1)))
    assert fake.orders[sn]["remark_tag_name"] == "加急"
    use(fake, lambda a: a.set_remark(SetRemark("k2", sn, "不急了", 2)))
    assert fake.orders[sn]["remark_tag_name"] == "黄色" and fake.memo(sn) == ("不急了", 2)


@pytest.mark.parametrize("flag", [0, 6, -1])
def test_a_flag_outside_the_palette_is_refused_before_any_call(fake: PinduoduoFake, flag: int) -> None:
    sn = fake.add_orders(1)[0]
    with pytest.raises(Rejected, match="标记"):
        use(fake, lambda a: a.set_remark(SetRemark("k", sn, "x", flag)))
    assert fake.calls == []


def test_the_memo_limit_is_checked(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    with pytest.raises(Rejected, match="201 characters"):
        use(fake, lambda a: a.set_remark(SetRemark("k", sn, "备" * 201, None)))
    use(fake, lambda a: a.set_remark(SetRemark("k", sn, "备" * 200, None)))
    assert fake.memo(sn)[0] == "备" * 200


def test_an_unknown_order_is_refused_with_the_platform_reason(fake: PinduoduoFake) -> None:
    with pytest.raises(Rejected, match="订单不存在"):
        use(fake, lambda a: a.set_remark(SetRemark("k", "240501-000000000000000", "x", None)))
    with pytest.raises(Rejected, match="订单不存在"):
        use(fake, lambda a: a.set_remark(SetRemark("k", "240501-000000000000000", "x", 1)))


def test_a_remark_comes_back_through_the_feed(fake: PinduoduoFake, clock: ManualClock) -> None:
    sn = fake.add_orders(1)[0]
    _, cursor = use(fake, drain)
    clock.advance(5)
    use(fake, lambda a: a.set_remark(SetRemark("k", sn, "发顺丰", 3)))
    events, _ = use(fake, lambda a: drain(a, cursor))
    assert [(e.platform_order_id, e.seller_memo, e.seller_flag) for e in events] == [(sn, "发顺丰", 3)]


# -- what the platform does not offer ----------------------------------------------------------------
def test_no_chat(fake: PinduoduoFake) -> None:
    page = use(fake, lambda a: a.fetch_messages(None))
    assert page.events == () and not page.has_more
    with pytest.raises(Rejected, match="not offered"):
        use(fake, lambda a: a.send_message(SendMessage("k", "c", "b", "在吗")))
    with pytest.raises(Rejected, match="not offered"):
        use(fake, lambda a: a.transfer(Transfer("k", "c", "someone")))
    with pytest.raises(NotImplementedError):
        fake.add_messages(1)
    assert fake.calls == []


def test_the_log_holds_no_secret(fake: PinduoduoFake, caplog: pytest.LogCaptureFixture) -> None:
    fake.add_orders(3)
    with caplog.at_level(logging.DEBUG):
        use(fake, drain)
        fake.expire_token()
        with pytest.raises(AuthExpired):
            use(fake, lambda a: a.check_connection())
    text = caplog.text + json.dumps([r.args for r in caplog.records], default=str)
    for value in fake.secrets().values():
        assert value not in text
