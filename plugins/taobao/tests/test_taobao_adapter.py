"""The adapter against the fake TOP gateway over loopback: feed windows and pages, remarks,
typed errors, OAuth. The fake and the adapter share one controllable clock."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from desktop.sdk import (
    AuthExpired,
    Capability,
    OrderEvent,
    OrderStatus,
    RateLimited,
    Rejected,
    SendMessage,
    SetRemark,
    Temporary,
    Transfer,
)
from plugins.taobao.adapter import TaobaoAdapter
from plugins.taobao.fake import FAKE_EPOCH as START
from plugins.taobao.fake import FakeClock, FakeSecrets, TaobaoFake
from plugins.taobao.feed import Cursor
from plugins.taobao.protocol import FULLINFO_GET, INCREMENT_GET, MEMO_UPDATE, format_time, parse_time

Run = Callable[..., Any]

Drain = Callable[..., tuple[list[OrderEvent], "str | None", int]]


def ids(events: list[OrderEvent]) -> set[str]:
    return {e.platform_order_id for e in events}


# -- declarations -----------------------------------------------------------------------------

def test_declarations() -> None:
    info = TaobaoAdapter.info
    assert (info.platform_id, info.display_name, info.api_versions) == ("taobao", "淘宝/天猫", (1,))
    assert info.capabilities == {Capability.ORDERS, Capability.REMARKS, Capability.OAUTH, Capability.PUSH}
    assert [(f.name, f.secret) for f in info.credential_fields] == [
        ("app_key", False), ("app_secret", True), ("access_token", True)]
    assert [s.name for s in info.settings] == [
        "base_url", "oauth_url", "sign_method", "page_size", "window_minutes", "lookback_hours", "use_has_next",
        "tmc_group", "tmc_quantity", "tmc_idle_s"]
    defaults = {s.name: s.default for s in info.settings}
    assert defaults["base_url"] == "https://eco.taobao.com/router/rest"
    assert (defaults["sign_method"], defaults["page_size"], defaults["window_minutes"]) == ("hmac", 40, 30)
    assert defaults["use_has_next"] is False
    assert (defaults["tmc_group"], defaults["tmc_quantity"], defaults["tmc_idle_s"]) == ("default", 100, 1.0)
    assert (info.memo_max_bytes, info.memo_max_chars) == (1000, None)
    assert info.memo_problem("备" * 333) is None and info.memo_problem("备" * 334) is not None
    assert "聊天" in info.limits_note and "备注" in info.limits_note and "TMC" in info.limits_note


def test_chat_is_refused_plainly(run: Run) -> None:
    with pytest.raises(Rejected, match="not offered"):
        run(lambda a: a.send_message(SendMessage("k", "c", "b", "在吗")))
    with pytest.raises(Rejected, match="not offered"):
        run(lambda a: a.transfer(Transfer("k", "c", "someone")))
    page = run(lambda a: a.fetch_messages(None))
    assert page.events == () and not page.has_more


# -- the order feed ---------------------------------------------------------------------------

def test_orders_across_many_windows_are_all_read(fake: TaobaoFake, drain: Drain) -> None:
    expected: set[str] = set()
    for minutes in (1400, 700, 185, 95, 61, 29, 0):  # spread over the 24 h look-back
        expected |= set(fake.add_orders(3, at=START - timedelta(minutes=minutes)))
    events, cursor, pages = drain()
    assert ids(events) == expected and len(events) == len(expected)
    queries = fake.calls_to(INCREMENT_GET)
    assert pages == len(queries) >= 48  # 30-minute windows over a day
    for q in queries:
        start, end = parse_time(q["start_modified"]), parse_time(q["end_modified"])
        assert timedelta(0) < end - start <= timedelta(minutes=30)
        assert (q["fields"], q["page_size"], q["use_has_next"]) == ("tid,modified", "40", "false")
    # consecutive windows overlap by their boundary second only
    assert all(parse_time(b["start_modified"]) == parse_time(a["end_modified"]) - timedelta(seconds=1)
               for a, b in zip(queries, queries[1:]))
    assert parse_time(queries[-1]["end_modified"]) == START
    assert len(fake.calls_to(FULLINFO_GET)) == len(expected)
    assert Cursor.load(cursor or "").start == START


def test_the_first_sync_looks_back_as_set_and_windows_follow_the_setting(fake: TaobaoFake, drain: Drain) -> None:
    old = fake.add_orders(1, at=START - timedelta(hours=5))
    recent = fake.add_orders(1, at=START - timedelta(hours=1))
    events, _, pages = drain(lookback_hours=2, window_minutes=1440)
    assert ids(events) == set(recent) and old[0] not in ids(events)
    assert pages == 1


def test_a_multi_page_window_is_read_last_page_first(fake: TaobaoFake, drain: Drain) -> None:
    added = fake.add_orders(95, at=START - timedelta(minutes=10))
    events, _, _ = drain(lookback_hours=1, window_minutes=120)
    assert ids(events) == set(added)
    pages = [q["page_no"] for q in fake.calls_to(INCREMENT_GET)]
    assert pages == ["1", "3", "2", "1"]  # probe for total_results, then back from the last page


@pytest.mark.parametrize(("use_has_next", "missed"), [(False, 0), (True, 1)])
def test_a_trade_changing_while_a_window_is_paged(fake: TaobaoFake, clock: FakeClock, run: Run,
                                                  use_has_next: bool, missed: int) -> None:
    """The spec's reason for reading backwards: the newest trade of a window changes (moves
    out of it) while we page, and every other trade moves up one place. Read last page
    first, nothing is missed; paged forward by has_next, the trade that slid from page 2
    onto page 1 is (which is why has_next is off unless the shop chooses it)."""
    added = [fake.add_orders(1, at=START - timedelta(minutes=50, seconds=-i))[0] for i in range(95)]

    async def use(adapter: TaobaoAdapter) -> set[str]:
        page = await adapter.fetch_orders(None)
        seen = ids(list(page.events))
        clock.advance(seconds=5)
        fake.touch_order(added[-1])  # newest → on page 1; leaves the window
        while page.has_more:
            page = await adapter.fetch_orders(page.next_cursor)
            seen |= ids(list(page.events))
        return seen

    settings = {"lookback_hours": 1, "window_minutes": 120, "use_has_next": use_has_next}
    seen = run(use, settings=settings)
    assert len(set(added) - seen) == missed
    assert added[-1] in seen  # the changed trade itself comes with a later window


def test_has_next_paging_reads_forward_when_chosen(fake: TaobaoFake, drain: Drain) -> None:
    added = fake.add_orders(85, at=START - timedelta(minutes=10))
    events, _, _ = drain(lookback_hours=1, window_minutes=120, use_has_next=True, page_size=40)
    assert ids(events) == set(added)
    queries = fake.calls_to(INCREMENT_GET)
    assert [q["page_no"] for q in queries] == ["1", "2", "3"]
    assert {q["use_has_next"] for q in queries} == {"true"}


def test_resuming_reads_only_what_changed(fake: TaobaoFake, clock: FakeClock, drain: Drain) -> None:
    first = fake.add_orders(12)  # modified this very second
    events, cursor, _ = drain()
    assert ids(events) == set(first)
    # same second: nothing new yet → an empty last page
    again, cursor2, _ = drain(cursor)
    assert again == [] and cursor2 is not None
    later = fake.add_orders(2)
    fake.touch_order(first[0])  # pays: a new state in the same second
    again, cursor3, _ = drain(cursor2)
    assert ids(again) == set(later) | {first[0]}
    touched = next(e for e in again if e.platform_order_id == first[0])
    assert touched.status is OrderStatus.PAID
    clock.advance(minutes=3)
    fake.touch_order(first[1])
    again, _, pages = drain(cursor3)
    assert ids(again) == {first[1]} and pages == 1


def test_a_cursor_taken_mid_window_resumes_exactly(fake: TaobaoFake, run: Run, drain: Drain) -> None:
    added = set(fake.add_orders(95, at=START - timedelta(minutes=10)))
    settings = {"lookback_hours": 1, "window_minutes": 120}
    first = run(lambda a: a.fetch_orders(None), settings=settings)
    assert Cursor.load(first.next_cursor).end is not None  # inside the window
    rest, _, pages = drain(first.next_cursor, **settings)  # a new adapter, as after a restart
    assert pages == 3 and ids(rest) == added
    assert [q["page_no"] for q in fake.calls_to(INCREMENT_GET)] == ["1", "3", "2", "1"]
    windows = {(q["start_modified"], q["end_modified"]) for q in fake.calls_to(INCREMENT_GET)}
    assert len(windows) == 1  # the same window throughout


def test_a_saved_cursor_older_than_three_months_restarts_inside_them(fake: TaobaoFake, run: Run) -> None:
    stale = Cursor(start=START - timedelta(days=120)).dump()
    run(lambda a: a.fetch_orders(stale))
    first = fake.calls_to(INCREMENT_GET)[0]
    assert parse_time(first["start_modified"]) == START - timedelta(days=89, seconds=1)


@pytest.mark.parametrize("method", ["md5", "hmac", "hmac-sha256"])
def test_every_sign_method_is_accepted(fake: TaobaoFake, drain: Drain, method: str) -> None:
    added = fake.add_orders(2)
    events, _, _ = drain(sign_method=method)
    assert ids(events) == set(added)


def test_trades_whose_details_are_refused_are_skipped_with_a_warning(fake: TaobaoFake, run: Run,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    gone, kept = fake.add_orders(2)
    fake.hide_details(gone)
    with caplog.at_level(logging.WARNING, logger="seatdesk.plugin.taobao.test"):
        page = run(lambda a: a.fetch_orders(None), settings={"lookback_hours": 1, "window_minutes": 120})
    assert ids(list(page.events)) == {kept}
    assert gone in caplog.text and "isv.trade-not-exist" in caplog.text


def test_a_malformed_page_is_temporary_and_the_cursor_can_be_retried(fake: TaobaoFake, drain: Drain) -> None:
    fake.add_orders(1)
    fake.fail(1, kind="garbage")
    with pytest.raises(Temporary, match="not JSON"):
        drain()
    events, _, _ = drain()
    assert len(events) == 1


def test_bad_settings_are_refused(run: Run) -> None:
    for settings in ({"page_size": 101}, {"window_minutes": 1441}, {"sign_method": "sha1"},
                     {"use_has_next": "maybe"}, {"base_url": "ftp://example.com/router/rest"}):
        with pytest.raises(Rejected, match="setting"):
            run(lambda a: a.fetch_orders(None), settings=settings)


# -- remarks ----------------------------------------------------------------------------------

def test_a_remark_sets_memo_and_flag_and_the_feed_reports_it(fake: TaobaoFake, clock: FakeClock, drain: Drain,
                                                              run: Run) -> None:
    tid = fake.add_orders(1)[0]
    _, cursor, _ = drain()
    clock.advance(seconds=30)
    run(lambda a: a.set_remark(SetRemark("k1", tid, "客户要求顺丰，周六送达", 1)))
    assert fake.memo(tid) == ("客户要求顺丰，周六送达", 1)
    call = fake.calls_to(MEMO_UPDATE)[-1]
    assert call == {"tid": tid, "flag": "1", "memo": "客户要求顺丰，周六送达"}
    events, _, _ = drain(cursor)
    assert [(e.platform_order_id, e.seller_memo, e.seller_flag) for e in events] == [(tid, "客户要求顺丰，周六送达", 1)]
    assert events[0].updated_at == START + timedelta(seconds=30)


def test_no_flag_sends_zero_and_an_empty_text_clears_the_memo(fake: TaobaoFake, run: Run) -> None:
    tid = fake.add_orders(1)[0]
    run(lambda a: a.set_remark(SetRemark("k1", tid, "先别发货", 4)))
    run(lambda a: a.set_remark(SetRemark("k2", tid, "", None)))
    assert fake.memo(tid) == ("", 0)
    assert fake.calls_to(MEMO_UPDATE)[-1] == {"tid": tid, "flag": "0", "reset": "true"}


def test_the_memo_limit_is_1000_utf8_bytes(fake: TaobaoFake, run: Run) -> None:
    tid = fake.add_orders(1)[0]
    run(lambda a: a.set_remark(SetRemark("k1", tid, "备" * 333 + "a", 2)))  # 1000 bytes
    assert len(fake.memo(tid)[0]) == 334
    calls = len(fake.calls)
    with pytest.raises(Rejected, match="1001 bytes"):
        run(lambda a: a.set_remark(SetRemark("k2", tid, "备" * 333 + "ab", 2)))
    assert len(fake.calls) == calls  # refused before anything was sent


def test_remark_refusals(fake: TaobaoFake, run: Run) -> None:
    tid = fake.add_orders(1)[0]
    with pytest.raises(Rejected, match="flag 6"):
        run(lambda a: a.set_remark(SetRemark("k", tid, "x", 6)))
    with pytest.raises(Rejected, match="not a Taobao trade id"):
        run(lambda a: a.set_remark(SetRemark("k", "SO-123", "x", 1)))
    with pytest.raises(Rejected, match="isv.trade-not-exist"):
        run(lambda a: a.set_remark(SetRemark("k", "1" + tid, "x", 1)))


# -- typed errors -----------------------------------------------------------------------------

def test_connection_check(fake: TaobaoFake, run: Run) -> None:
    run(lambda a: a.check_connection())
    q = fake.calls_to(INCREMENT_GET)[-1]
    assert (q["page_size"], q["use_has_next"]) == ("1", "true")


def test_an_expired_session_is_auth_expired(fake: TaobaoFake, run: Run) -> None:
    fake.expire_token()
    with pytest.raises(AuthExpired, match="27 Invalid session"):
        run(lambda a: a.fetch_orders(None))


def test_a_missing_credential_is_auth_expired(fake: TaobaoFake, run: Run) -> None:
    for name in ("app_key", "app_secret", "access_token"):
        secrets = FakeSecrets(fake.secrets())
        del secrets[name]
        with pytest.raises(AuthExpired, match="missing"):
            run(lambda a: a.check_connection(), secrets=secrets)


def test_a_wrong_secret_is_a_bad_signature_and_auth_expired(fake: TaobaoFake, run: Run) -> None:
    secrets = FakeSecrets({**fake.secrets(), "app_secret": "0" * 32})
    with pytest.raises(AuthExpired, match="App Secret"):
        run(lambda a: a.check_connection(), secrets=secrets)
    secrets = FakeSecrets({**fake.secrets(), "app_key": "99999999"})
    with pytest.raises(AuthExpired, match="App Key"):
        run(lambda a: a.check_connection(), secrets=secrets)


def test_the_call_limit_waits_as_long_as_the_ban(fake: TaobaoFake, run: Run) -> None:
    fake.ban_seconds = 42
    fake.limit_calls(1)
    with pytest.raises(RateLimited) as raised:
        run(lambda a: a.check_connection())
    assert raised.value.retry_after == 42
    run(lambda a: a.check_connection())  # the next call goes through


@pytest.mark.parametrize(("kind", "words"), [("isp", "isp.remote-service-timeout"), ("http", "HTTP 502"),
                                             ("garbage", "not JSON")])
def test_outages_are_temporary(fake: TaobaoFake, run: Run, kind: str, words: str) -> None:
    fake.fail(1, kind=kind)
    with pytest.raises(Temporary, match=words):
        run(lambda a: a.check_connection())


def test_a_skewed_clock_is_temporary_and_says_so(fake: TaobaoFake, run: Run, clock: FakeClock) -> None:
    fake.clock = lambda: START + timedelta(minutes=11)
    with pytest.raises(Temporary, match="clock"):
        run(lambda a: a.check_connection())
    fake.clock = lambda: START + timedelta(minutes=9)
    run(lambda a: a.check_connection())


def test_an_unreachable_gateway_is_temporary(run: Run) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(Temporary, match="unreachable"):
        run(lambda a: a.check_connection(), settings={"base_url": f"http://127.0.0.1:{port}/router/rest"})


def test_no_secret_reaches_the_log(fake: TaobaoFake, run: Run, caplog: pytest.LogCaptureFixture) -> None:
    fake.add_orders(3)
    with caplog.at_level(logging.DEBUG):
        run(lambda a: a.fetch_orders(None))
        fake.expire_token()
        with pytest.raises(AuthExpired):
            run(lambda a: a.check_connection())
    for value in fake.secrets().values():
        assert value not in caplog.text


# -- OAuth ------------------------------------------------------------------------------------

def _follow(url: str) -> dict[str, str]:
    import httpx
    from urllib.parse import parse_qsl, urlsplit

    reply = httpx.get(url, follow_redirects=False)
    assert reply.status_code == 302
    return dict(parse_qsl(urlsplit(reply.headers["location"]).query))


def test_the_authorize_url(fake: TaobaoFake) -> None:
    url = TaobaoAdapter.authorize_url({}, {"app_key": "12345678"}, "https://seatdesk.local/cb?x=1", "st4te")
    assert url == ("https://oauth.taobao.com/authorize?response_type=code&client_id=12345678"
                   "&redirect_uri=https%3A%2F%2Fseatdesk.local%2Fcb%3Fx%3D1&state=st4te&view=web")
    with pytest.raises(Rejected, match="App Key"):
        TaobaoAdapter.authorize_url({}, {}, "https://x", "s")


def test_authorize_exchange_and_refresh(fake: TaobaoFake, run: Run, clock: FakeClock) -> None:
    url = TaobaoAdapter.authorize_url(fake.settings(), fake.secrets(), "https://seatdesk.local/cb", "abc")
    back = _follow(url)
    assert back["state"] == "abc"
    secrets = FakeSecrets({"app_key": fake.app_key, "app_secret": fake.app_secret})
    tokens = run(lambda a: a.exchange_code(back["code"], "https://seatdesk.local/cb"), secrets=secrets)
    assert tokens.access_token == fake.access_token and tokens.refresh_token == fake.refresh_token
    assert tokens.expires_at == START + timedelta(days=1)
    assert tokens.refresh_expires_at == START + timedelta(days=30)
    assert dict(tokens.extra) == {"taobao_user_id": fake.platform_shop_id, "taobao_user_nick": fake.seller_nick}
    assert fake.calls_to("taobao.top.auth.token.create")[-1] == {"code": back["code"]}
    with pytest.raises(Rejected, match="code"):  # a code is good once
        run(lambda a: a.exchange_code(back["code"], "https://seatdesk.local/cb"), secrets=secrets)

    secrets.update(access_token=tokens.access_token, refresh_token=tokens.refresh_token)
    clock.advance(hours=20)
    fresh = run(lambda a: a.refresh_tokens(), secrets=secrets)
    assert fresh.access_token != tokens.access_token and fresh.expires_at == clock.now + timedelta(days=1)
    assert (secrets["access_token"], secrets["refresh_token"]) == (fresh.access_token, fresh.refresh_token)
    assert secrets["taobao_user_nick"] == fake.seller_nick
    run(lambda a: a.check_connection(), secrets=secrets)  # the stored token works
    old = FakeSecrets({**secrets, "access_token": tokens.access_token})
    with pytest.raises(AuthExpired):
        run(lambda a: a.check_connection(), secrets=old)


def test_refresh_without_or_with_a_refused_refresh_token_is_auth_expired(fake: TaobaoFake, run: Run) -> None:
    secrets = FakeSecrets({k: v for k, v in fake.secrets().items() if k != "refresh_token"})
    with pytest.raises(AuthExpired, match="服务市场"):
        run(lambda a: a.refresh_tokens(), secrets=secrets)
    secrets["refresh_token"] = "6202" + "0" * 28
    with pytest.raises(AuthExpired, match="refused the refresh token"):
        run(lambda a: a.refresh_tokens(), secrets=secrets)


def test_token_replies_are_checked(fake: TaobaoFake, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: TaobaoFake) -> dict[str, Any]:
        return {"token_result": "{not json"}

    monkeypatch.setattr(TaobaoFake, "_token_result", broken)
    with pytest.raises(Temporary, match="token_result"):
        run(lambda a: a.exchange_code(fake.issue_code(), "https://x"))


def test_format_time_is_what_the_fake_expects() -> None:
    assert format_time(START) == "2024-05-01 10:00:00"
