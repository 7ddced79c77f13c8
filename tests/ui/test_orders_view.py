"""The orders tab: desk-side filters and sorting, windowed loading, opening the chat,
coalesced reloads that keep the selection."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from demo_desk import DY, TB, platform
from fake_desk import FakeDesk, order
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel

from desktop.core.views import ChangeNotice, OrderFilter, OrderRow
from desktop.ui.orders_view import OrdersModel, OrdersView

DAY = 86_400_000


def midnight_ms(days_ago: int) -> int:
    day = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
    return int(day.timestamp() * 1000)


def orders_desk() -> FakeDesk:
    """Three shops on two platforms; eight orders of varied status, flag and age."""
    d = FakeDesk()
    d.platforms = {TB: platform(TB, "沙箱·淘系", 180), DY: platform(DY, "沙箱·抖店", 180)}
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.add_shop(2, "小鹿童装旗舰店", TB, "沙箱·淘系", "#2e86de")
    d.add_shop(3, "山野茶铺", DY, "沙箱·抖店", "#17a589")
    buyers = {1: (1, "tb_小橘子"), 2: (1, "追风的少年"), 3: (2, "南风知我意"), 4: (3, "小鹿乱撞")}
    for cid, (shop, nick) in buyers.items():
        d.add_conversation(cid, shop, nick, "在吗", midnight_ms(0))
    rows = [  # (id, conversation, shop, status, total, days ago, flag, memo)
        (1, 1, 1, "paid", "318.00", 0, "red", "客户要求改地址为 浙江省杭州市西湖区文三路 138 号 —— 小王 2026-11-23"),
        (2, 1, 1, "completed", "129.00", 40, "none", ""),
        (3, 2, 1, "unpaid", "59.90", 1, "none", ""),
        (4, 2, 1, "shipped", "88.00", 3, "yellow", "赠品已补"),
        (5, 3, 2, "paid", "256.00", 2, "red", "<b>加急</b>"),
        (6, 3, 2, "refunding", "99.00", 10, "none", ""),
        (7, 4, 3, "paid", "1288.00", 0, "none", ""),
        (8, 4, 3, "closed", "36.00", 20, "blue", "买家取消"),
    ]
    labels = {"red": "红旗", "yellow": "黄旗", "blue": "蓝旗", "none": ""}
    for oid, cid, shop, status, total, days, flag, memo in rows:
        d.add_order(cid, order(oid, shop, status, status.upper(), total, [("商品", 1, total)],
                               created=midnight_ms(days) + 10 * 3600_000 + oid * 60_000,
                               memo=memo, flag=flag, flag_label=labels[flag]))
    return d


def make_view(qtbot, desk: FakeDesk) -> OrdersView:
    view = OrdersView(desk, None)
    view.resize(1280, 600)
    qtbot.addWidget(view)
    view.show()
    view.load()
    return view


def ids(view: OrdersView) -> list[int]:
    return [r.id for r in view.model.rows()]


def choose(combo: QComboBox, value: object) -> None:
    found = [i for i in range(combo.count()) if combo.itemData(i) == value]
    assert found, value
    combo.setCurrentIndex(found[0])


def test_all_orders_newest_first_with_count(qtbot):
    view = make_view(qtbot, orders_desk())
    assert ids(view) == [7, 1, 3, 5, 4, 6, 8, 2]
    assert view.model.total == 8
    assert "8" in view.count_label.text()


def test_filters_narrow_the_rows_in_the_desk(qtbot):
    desk = orders_desk()
    view = make_view(qtbot, desk)
    choose(view.shop_filter, frozenset({1}))
    assert ids(view) == [1, 3, 4, 2]
    assert desk.order_calls[-1][0].shop_ids == frozenset({1})
    choose(view.status_filter, frozenset({"paid"}))
    assert ids(view) == [1]
    choose(view.shop_filter, None)
    assert ids(view) == [7, 1, 5]
    choose(view.status_filter, None)
    choose(view.flag_filter, frozenset({"red"}))
    assert ids(view) == [1, 5]
    choose(view.flag_filter, frozenset({"none"}))
    assert ids(view) == [7, 3, 6, 2]
    choose(view.flag_filter, None)
    assert len(ids(view)) == 8


def test_flag_filter_offers_the_platforms_colours_with_swatches(qtbot):
    view = make_view(qtbot, orders_desk())
    offered = [view.flag_filter.itemData(i) for i in range(view.flag_filter.count())]
    assert offered == [None, frozenset({"none"}), *(frozenset({c}) for c in
                                                    ("red", "yellow", "green", "blue", "purple"))]
    for i in range(1, view.flag_filter.count()):
        assert not view.flag_filter.itemIcon(i).isNull()


def test_date_range_is_inclusive_of_both_days(qtbot):
    desk = orders_desk()
    view = make_view(qtbot, desk)
    assert view.date_from.date() == view._NO_DATE  # "any date" by default
    today = QDate.currentDate()
    view.date_from.setDate(today.addDays(-3))
    assert ids(view) == [7, 1, 3, 5, 4]
    view.date_to.setDate(today.addDays(-1))
    assert ids(view) == [3, 5, 4]
    flt = desk.order_calls[-1][0]
    assert flt.created_from == midnight_ms(3) and flt.created_to == midnight_ms(0)
    view.all_dates.click()
    assert len(ids(view)) == 8 and view.date_to.date() == view._NO_DATE


def test_text_search_waits_for_typing_to_pause(qtbot):
    desk = orders_desk()
    view = make_view(qtbot, desk)
    calls = len(desk.order_calls)
    for char in "小鹿":  # a nick substring, typed (an input method commits CJK as text)
        view.search.insert(char)
    assert len(desk.order_calls) == calls  # debounced: nothing queried yet
    qtbot.waitUntil(lambda: ids(view) == [7, 8], timeout=2000)  # 小鹿乱撞's orders, not the shop's
    assert len(desk.order_calls) == calls + 1
    number = desk.order(5).platform_order_id
    view.search.setText(number[-6:])  # an order-number substring
    qtbot.waitUntil(lambda: ids(view) == [5], timeout=2000)


def test_header_click_sorts_in_the_desk(qtbot):
    desk = orders_desk()
    view = make_view(qtbot, desk)
    header = view.table.horizontalHeader()

    def click(col: int) -> None:
        x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    click(OrdersModel.TOTAL)
    assert ids(view) == [7, 1, 5, 2, 6, 4, 3, 8]  # biggest first
    assert (desk.order_calls[-1][0].sort, desk.order_calls[-1][0].descending) == ("total", True)
    assert header.sortIndicatorSection() == OrdersModel.TOTAL
    click(OrdersModel.TOTAL)
    assert ids(view) == [8, 3, 4, 6, 2, 5, 1, 7]
    click(OrdersModel.BUYER)  # names sort A→Z first
    flt = desk.order_calls[-1][0]
    assert (flt.sort, flt.descending) == ("buyer", False)
    nicks = [r.buyer_nick for r in view.model.rows()]
    assert nicks == sorted(nicks)
    calls = len(desk.order_calls)
    click(OrdersModel.MEMO)  # no sort key: nothing happens, the arrow stays
    assert len(desk.order_calls) == calls
    assert header.sortIndicatorSection() == OrdersModel.BUYER


def big_orders_desk(n: int) -> FakeDesk:
    d = FakeDesk()
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.add_conversation(1, 1, "tb_小橘子", "在吗", midnight_ms(0))
    for i in range(1, n + 1):
        d.add_order(1, order(i, 1, "paid", "WAIT_SELLER_SEND_GOODS", "10", [], created=midnight_ms(0) - i * 60_000))
    return d


def test_more_than_a_window_loads_as_the_view_scrolls(qtbot):
    desk = big_orders_desk(450)
    view = make_view(qtbot, desk)
    assert view.model.rowCount() == 200 and view.model.total == 450
    assert desk.order_calls[-1][1:] == (200, 0)
    view.table.scrollToBottom()  # the view asks the model for more at the end
    qtbot.waitUntil(lambda: view.model.rowCount() == 400, timeout=2000)
    assert desk.order_calls[-1][1:] == (200, 200)
    view.model.fetchMore()
    assert view.model.rowCount() == 450 and not view.model.canFetchMore()
    assert ids(view) == list(range(1, 451))


def test_enter_on_a_row_opens_its_conversation(qtbot):
    view = make_view(qtbot, orders_desk())
    view.select_order(5)
    view.table.setFocus()
    with qtbot.waitSignal(view.conversation_requested, timeout=1000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [3]


def test_double_click_opens_the_conversation_too(qtbot):
    view = make_view(qtbot, orders_desk())
    rect = view.table.visualRect(view.model.index(view.model.row_of(7), OrdersModel.BUYER))
    with qtbot.waitSignal(view.conversation_requested, timeout=1000) as blocker:
        # QTest's double click is the second click only: press first, as a hand does.
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [4]


def test_an_order_without_conversation_explains_instead(qtbot):
    desk = orders_desk()
    desk.add_loose_order(replace(order(9, 2, "paid", "PAID", "45.00", [], created=midnight_ms(0) + 23 * 3600_000),
                                 buyer_nick="静默下单的买家"))
    view = make_view(qtbot, desk)
    assert view.select_order(9)
    requested: list[int] = []
    view.conversation_requested.connect(requested.append)
    with qtbot.waitSignal(view.status_message, timeout=1000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert "静默下单的买家" in blocker.args[0] and "小鹿童装旗舰店" in blocker.args[0]
    assert requested == []


def test_register_after_sale_asks_for_the_selected_order(qtbot):
    view = make_view(qtbot, orders_desk())
    assert not view.case_button.isEnabled()
    view.select_order(4)
    assert view.case_button.isEnabled()
    with qtbot.waitSignal(view.case_requested, timeout=1000) as blocker:
        view.case_button.click()
    assert blocker.args == [4]


def test_a_notice_reloads_once_after_coalescing_and_keeps_the_selection(qtbot):
    desk = orders_desk()
    view = make_view(qtbot, desk)
    view.select_order(5)
    assert view.model.row_of(5) == 3
    desk.add_order(2, order(10, 1, "unpaid", "WAIT_BUYER_PAY", "19.90", [], created=midnight_ms(0) + 23 * 3600_000))
    desk.change_order(3, status="closed")
    calls = len(desk.order_calls)
    view.apply_notice(ChangeNotice(order_ids=frozenset({3})))
    view.apply_notice(ChangeNotice(orders=frozenset({2})))
    assert ids(view)[0] == 7  # not yet: at most two re-reads a second
    with qtbot.waitSignal(view.model.reloaded, timeout=2000):
        pass
    assert len(desk.order_calls) == calls + 1  # two notices, one query
    assert ids(view)[0] == 10 and view.model.total == 9
    assert view.current_order() is not None and view.current_order().id == 5
    assert view.table.currentIndex().row() == 4
    changed = view.model.row_at(view.model.row_of(3))
    assert changed.status == "closed"


def test_a_reload_drops_orders_that_left_the_filter(qtbot):
    desk = orders_desk()
    view = make_view(qtbot, desk)
    choose(view.status_filter, frozenset({"paid"}))
    view.select_order(5)
    desk.change_order(1, status="shipped")
    view.apply_notice(ChangeNotice(order_ids=frozenset({1})))
    view.model.flush()
    assert ids(view) == [7, 5] and view.current_order().id == 5


def test_set_filter_moves_the_filter_boxes(qtbot):
    view = make_view(qtbot, orders_desk())
    view.set_filter(OrderFilter(statuses=frozenset({"unpaid"})))
    assert view.status_filter.currentData() == frozenset({"unpaid"})
    assert ids(view) == [3]
    view.set_filter(OrderFilter(shop_ids=frozenset({1, 2}), sort="total", descending=False))
    assert view.shop_filter.currentData() == frozenset({1, 2})  # an item of its own
    assert view.status_filter.currentData() is None
    assert ids(view) == [3, 4, 6, 2, 5, 1]
    assert view.table.horizontalHeader().sortIndicatorSection() == OrdersModel.TOTAL
    view.set_filter(OrderFilter())
    assert view.shop_filter.count() == 4  # the custom item went away


def test_cells_are_plain_text_and_memo_tooltips_escaped(qtbot):
    view = make_view(qtbot, orders_desk())
    row = view.model.row_of(5)
    memo = view.model.index(row, OrdersModel.MEMO)
    assert memo.data() == "<b>加急</b>"
    assert "&lt;b&gt;" in memo.data(Qt.ItemDataRole.ToolTipRole)
    assert view.model.index(row, OrdersModel.FLAG).data() == "红旗"
    assert view.model.index(row, OrdersModel.TOTAL).data() == "¥256.00"
    assert view.model.index(row, OrdersModel.STATUS).data() == "待发货"
    assert view.model.index(row, OrdersModel.FLAG).data(Qt.ItemDataRole.DecorationRole) is not None
    for label in view.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_printed_waybill_warns_in_the_warehouse_column(qtbot):
    desk = orders_desk()
    desk.change_order(1, warehouse="printed")
    view = make_view(qtbot, desk)
    cell = view.model.index(view.model.row_of(1), OrdersModel.WAREHOUSE)
    assert cell.data() and cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None


def test_fake_desk_follows_the_query_rules():
    desk = orders_desk()
    everything = desk.orders(OrderFilter(sort="status", descending=False))
    assert [o.status for o in everything] == sorted(o.status for o in everything)
    assert all(isinstance(o, OrderRow) and o.shop_name and o.conversation_id for o in everything)
    assert desk.count_orders(OrderFilter(text="小橘子")) == 2
    assert [o.id for o in desk.orders(OrderFilter(), limit=3, offset=6)] == [8, 2]
    with pytest.raises(ValueError):
        desk.orders(OrderFilter(sort="nope"))


def test_orders_model_passes_qtmodeltester(qtmodeltester):
    desk = big_orders_desk(230)
    model = OrdersModel(desk)
    model.set_filter(OrderFilter())
    qtmodeltester.check(model)


def test_focusing_the_table_selects_a_row_for_the_keyboard(qtbot):
    view = make_view(qtbot, orders_desk())
    view.activateWindow()
    view.setFocus()  # the view's focus proxy is its table
    qtbot.waitUntil(lambda: view.current_order() is not None, timeout=2000)
    assert view.current_order().id == 7 and view.case_button.isEnabled()


def test_the_calendar_opens_on_this_month_not_on_the_any_date_sentinel(qtbot):
    view = make_view(qtbot, orders_desk())
    edit = view.date_from
    arrow = QPoint(edit.width() - 8, edit.height() // 2)  # the drop-down button opens the calendar
    qtbot.mousePress(edit, Qt.MouseButton.LeftButton, pos=arrow)
    calendar = view.date_from.calendarWidget()
    qtbot.waitUntil(calendar.isVisible, timeout=2000)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert view.date_from.date() == view._NO_DATE  # looking is not choosing
    calendar.window().close()
