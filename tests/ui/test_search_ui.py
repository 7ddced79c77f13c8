"""Search (Ctrl+K): the box searches on a worker after a pause, drops stale results,
is used from the keyboard alone, and Enter opens the chat (at the message) or the order."""

from __future__ import annotations

import threading
from dataclasses import replace

from fake_desk import FakeDesk, order
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.views import SearchGroup, SearchHit, SearchResults
from desktop.ui.bridge import Bridge
from desktop.ui.mainwindow import MainWindow
from desktop.ui.search_dialog import DEBOUNCE_MS, SearchDelegate, SearchDialog, SearchResultsModel

TB, DY = "sandbox-tb", "sandbox-dy"
MIN = 60_000
HTML = "<b>退款</b>怎么还没到？<img src=x>"


def search_desk(now: int) -> FakeDesk:
    d = FakeDesk()
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.add_shop(2, "山野茶铺", DY, "沙箱·抖店", "#17a589")
    d.add_conversation(1, 1, "tb_小橘子", "好的", now - 5 * MIN)
    d.add_conversation(2, 2, "退款小能手", "在吗", now - 3 * MIN)
    for k in range(250):  # an older history in chat 1: the hit is far up
        d.add_message(1, "in" if k % 2 else "out", f"历史消息{k}", now - 10_000 * MIN + k * MIN)
    d.old_hit = d.add_message(1, "in", "上个月的退款申请还没处理", now - 9_000 * MIN)
    d.msgs[1].sort(key=lambda m: m.sent_at)
    d.add_message(1, "in", "我要退款，颜色不对", now - 6 * MIN)
    d.add_message(1, "out", "亲，退款申请已同意", now - 5 * MIN)
    d.add_message(2, "in", HTML, now - 3 * MIN)
    d.add_order(1, replace(order(1, 1, "paid", "WAIT_SELLER_SEND_GOODS", "99.00",
                                 [("亚麻衬衫", 1, "99.00")], created=now - 60 * MIN),
                           platform_order_id="3900001000012345678"))
    d.add_order(2, replace(order(2, 2, "refunding", "REFUND", "59.00",
                                 [("龙井", 1, "59.00")], created=now - 30 * MIN),
                           platform_order_id="6900020000012345678"))
    return d


def dialog(qtbot, desk) -> SearchDialog:  # type: ignore[no-untyped-def]
    bridge = Bridge()
    d = SearchDialog(desk, bridge)
    bridge.setParent(d)
    qtbot.addWidget(d)
    d.open_search()
    return d


def type_and_wait(qtbot, d: SearchDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    d.box.setText(text)
    qtbot.waitUntil(lambda: not d.busy and d.model.results is not None
                    and d.model.results.query == text, timeout=3000)


def press(qtbot, widget, key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, key)


# -- the model ---------------------------------------------------------------------------------
def test_the_model_passes_the_model_tester(qtmodeltester, now_ms):
    desk = search_desk(now_ms)
    model = SearchResultsModel()
    model.set_results(desk.search("退款"))
    qtmodeltester.check(model)
    model.set_results(None)
    qtmodeltester.check(model)


def test_groups_are_headed_and_headers_cannot_be_chosen(now_ms):
    desk = search_desk(now_ms)
    model = SearchResultsModel()
    model.set_results(desk.search("退款"))
    assert model.headers() == ["消息 · 4", "买家 · 1"]
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(model.index(1)) & Qt.ItemFlag.ItemIsSelectable
    hits = model.hits()
    assert [h.group for h in hits] == ["messages"] * 4 + ["buyers"]
    assert [h.at for h in hits[:4]] == sorted((h.at for h in hits[:4]), reverse=True)
    more = SearchResults("x", (("messages", hits[:1]),), frozenset({"messages"}))
    model.set_results(more)
    assert model.headers() == ["消息 · 1+"]


# -- typing, the worker, stale results ---------------------------------------------------------
def test_typing_searches_once_after_the_pause_on_a_worker(qtbot, now_ms):
    desk = search_desk(now_ms)
    d = dialog(qtbot, desk)
    assert d.focusWidget() is d.box  # the keyboard goes to the box
    for char in "退款":
        d.box.insert(char)  # typed one by one (QTest sends Latin-1 keys only)
    qtbot.waitUntil(lambda: d.model.results is not None, timeout=3000)
    assert desk.search_calls == ["退款"]  # not "退" then "退款": typing paused once
    assert desk.search_threads[0].startswith("seatdesk-search")
    assert threading.current_thread() is threading.main_thread()
    assert d.current_hit() is not None and d.current_hit().group == "messages"  # the first hit
    assert d.status.text().startswith("5 条结果")


def test_a_result_for_text_changed_meanwhile_is_dropped(qtbot, now_ms):
    desk = search_desk(now_ms)
    desk.search_gate = threading.Event()
    d = dialog(qtbot, desk)
    d.box.setText("退款")
    d.search_now()
    qtbot.waitUntil(lambda: desk.search_calls == ["退款"], timeout=2000)  # the worker holds it
    assert d.busy and d.status.text() == "搜索中…"
    d.box.setText("12345678")  # the agent typed on while it ran
    d.search_now()  # waits for the running one: only the newest text is queued
    d.box.setText("龙井")
    d.search_now()
    desk.search_gate.set()
    qtbot.waitUntil(lambda: d.model.results is not None and d.model.results.query == "龙井", timeout=3000)
    assert desk.search_calls == ["退款", "龙井"]  # "12345678" was replaced before it ran
    assert d.model.hits() == []  # 龙井 is an order item, not searched: nothing found
    assert "龙井" in d.status.text()


def test_errors_are_shown_not_raised(qtbot, now_ms):
    desk = search_desk(now_ms)
    desk.search_error = RuntimeError("database is locked")
    d = dialog(qtbot, desk)
    d.box.setText("退款")
    qtbot.waitUntil(lambda: "database is locked" in d.status.text(), timeout=3000)


# -- keyboard only -------------------------------------------------------------------------------
def test_arrows_skip_headers_and_enter_opens_the_hit(qtbot, now_ms):
    desk = search_desk(now_ms)
    d = dialog(qtbot, desk)
    type_and_wait(qtbot, d, "退款")
    opened: list[SearchHit] = []
    d.hit_activated.connect(opened.append)
    assert d.current_hit() == d.model.hits()[0]  # the newest message is chosen
    for _ in range(4):
        press(qtbot, d.box, Qt.Key.Key_Down)
    assert d.current_hit().group == "buyers"  # past the "买家" header, not onto it
    press(qtbot, d.box, Qt.Key.Key_Down)
    assert d.current_hit().group == "buyers"  # the last one stays
    press(qtbot, d.box, Qt.Key.Key_Up)
    assert d.current_hit().group == "messages"
    press(qtbot, d.box, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0].group == "messages" and not d.isVisible()


def test_enter_before_the_results_opens_the_first_hit_once_found(qtbot, now_ms):
    desk = search_desk(now_ms)
    d = dialog(qtbot, desk)
    opened: list[SearchHit] = []
    d.hit_activated.connect(opened.append)
    d.box.setText("12345678")
    press(qtbot, d.box, Qt.Key.Key_Return)  # before the pause ran out
    qtbot.waitUntil(lambda: bool(opened), timeout=3000)
    assert opened[0].group == "orders" and opened[0].order_id == 2  # the newer order


def test_escape_closes_and_ctrl_k_reopens_with_the_query_selected(qtbot, now_ms):
    desk = search_desk(now_ms)
    d = dialog(qtbot, desk)
    type_and_wait(qtbot, d, "退款")
    press(qtbot, d.box, Qt.Key.Key_Escape)
    assert not d.isVisible()
    d.open_search()
    assert d.isVisible() and d.box.selectedText() == "退款"


def test_double_click_opens_a_hit(qtbot, now_ms):
    desk = search_desk(now_ms)
    d = dialog(qtbot, desk)
    type_and_wait(qtbot, d, "小能手")
    opened: list[SearchHit] = []
    d.hit_activated.connect(opened.append)
    rect = d.view.visualRect(d.model.index(1))
    qtbot.mouseClick(d.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(d.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [h.group for h in opened] == ["buyers"] and opened[0].conversation_id == 2


def test_html_in_a_message_is_text(qtbot, now_ms):
    desk = search_desk(now_ms)
    d = dialog(qtbot, desk)
    type_and_wait(qtbot, d, "img")
    [hit] = d.model.hits()
    assert hit.text == HTML and ("img", True) in hit.snippet
    assert d.model.data(d.model.index(1)) == f"山野茶铺 · 退款小能手 · {HTML}"
    top, _when = SearchDelegate().line_texts(hit, now_ms)
    assert top == "山野茶铺 · 退款小能手"
    d.view.grab()  # paints the hit (drawText: no markup is interpreted)


# -- the main window ------------------------------------------------------------------------------
def window(qtbot, desk) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(desk, muted=True)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    return w


def test_ctrl_k_opens_the_box_focused(qtbot, now_ms):
    w = window(qtbot, search_desk(now_ms))
    qtbot.keyClick(w, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    d = w.search_dialog
    assert d is not None and d.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is d.box, timeout=2000)
    assert ("在所有店铺中搜索…", "Ctrl+K") in w.acts.cheat_sheet()


def test_a_message_hit_opens_the_chat_at_the_message(qtbot, now_ms):
    desk = search_desk(now_ms)
    w = window(qtbot, desk)
    w.show_search()
    d = w.search_dialog
    type_and_wait(qtbot, d, "上个月")
    press(qtbot, d.box, Qt.Key.Key_Return)
    assert w.chat.conversation_id == 1 and w.pages.currentIndex() == 0
    selected = w.chat.model.row_at(w.chat.view.currentIndex().row())
    assert selected is not None and selected.id == desk.old_hit.id  # loaded back beyond 200


def test_an_order_hit_shows_the_order_in_the_orders_page(qtbot, now_ms):
    desk = search_desk(now_ms)
    w = window(qtbot, desk)
    w.show_search()
    d = w.search_dialog
    type_and_wait(qtbot, d, "69000200")
    [hit] = d.model.hits()
    assert hit.order_id == 2
    press(qtbot, d.box, Qt.Key.Key_Return)
    assert w.pages.currentIndex() == 1
    assert w.orders_view.current_order() is not None
    assert w.orders_view.current_order().id == hit.order_id


def test_a_remark_hit_opens_the_orders_remark_history(qtbot, now_ms):
    desk = search_desk(now_ms)
    w = window(qtbot, desk)
    oid = 1
    desk.add_remark(oid, "已同意退货退款，等寄回", None).result()
    w.show_search()
    d = w.search_dialog
    type_and_wait(qtbot, d, "寄回")
    [hit] = d.model.hits()
    assert hit.group == SearchGroup.REMARKS.value and hit.title == "3900001000012345678"
    press(qtbot, d.box, Qt.Key.Key_Return)
    assert w.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: w.orders.remark_dialog is not None, timeout=2000)
    assert w.orders.remark_dialog.order.id == oid


def test_debounce_is_short(qtbot):
    assert 50 <= DEBOUNCE_MS <= 300

