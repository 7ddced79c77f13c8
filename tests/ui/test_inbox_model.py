"""InboxModel: desk order, filters, row-only refreshes, coalesced moves, lazy paging."""

from __future__ import annotations

import time

from fake_desk import FakeDesk, big_desk
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtWidgets import QTreeView

from desktop.core.views import ChangeNotice, InboxFilter, InboxState
from desktop.ui.inbox_model import InboxModel


def small_desk(now: int) -> FakeDesk:
    d = FakeDesk()
    d.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    d.add_shop(2, "山野茶铺", "sandbox-dy", "沙箱·抖店", "#17a589")
    d.add_conversation(1, 1, "answered-new", "ok", now - 1_000)
    d.add_conversation(2, 1, "waiting-2min", "在吗", now - 120_000, waiting_since=now - 120_000, unread=1)
    d.add_conversation(3, 2, "waiting-10min", "发货了吗", now - 600_000, waiting_since=now - 600_000, unread=2)
    d.add_conversation(4, 2, "answered-old", "好的", now - 3_600_000)
    d.add_conversation(5, 1, "closed", "好评", now - 86_400_000, state="closed")
    return d


def ids(model: InboxModel) -> list[int]:
    return [model.data(model.index(r), InboxModel.IdRole) for r in range(model.rowCount())]


def test_passes_qtmodeltester(qtmodeltester, now_ms):
    model = InboxModel(small_desk(now_ms))
    model.set_filter(InboxFilter(InboxState.ALL))
    qtmodeltester.check(model)


def test_waiting_longest_first_then_newest_activity(now_ms):
    model = InboxModel(small_desk(now_ms))
    model.set_filter(InboxFilter(InboxState.ALL))
    assert ids(model) == [3, 2, 1, 4]


def test_state_and_shop_filters(now_ms):
    model = InboxModel(small_desk(now_ms))
    model.set_filter(InboxFilter(InboxState.WAITING))
    assert ids(model) == [3, 2]
    model.set_filter(InboxFilter(InboxState.CLOSED))
    assert ids(model) == [5]
    model.set_filter(InboxFilter(InboxState.ALL, frozenset({1})))
    assert ids(model) == [2, 1]


def test_notice_for_one_row_refreshes_only_that_row(qtbot, now_ms):
    desk = small_desk(now_ms)
    model = InboxModel(desk, coalesce_ms=10)
    model.set_filter(InboxFilter(InboxState.ALL))
    for r in range(model.rowCount()):
        model.data(model.index(r), InboxModel.RowRole)  # as a view painting them would
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: changed.append((a.row(), b.row())))
    moved: list[object] = []
    model.layoutChanged.connect(lambda *a: moved.append(a))
    model.rowsInserted.connect(lambda *a: moved.append(a))

    desk.update_conversation(2, unread=0)  # mark read: content only, same place
    model.apply_notice(ChangeNotice(conversations=frozenset({2})))
    qtbot.wait(40)

    assert changed == [(1, 1)]
    assert model.data(model.index(1), InboxModel.RowRole).unread == 0
    assert moved == []


def test_reply_moves_row_in_one_coalesced_layout_change(qtbot, now_ms):
    desk = small_desk(now_ms)
    model = InboxModel(desk, coalesce_ms=10)
    model.set_filter(InboxFilter(InboxState.ALL))
    model.data(model.index(0), InboxModel.RowRole)
    keep = QPersistentModelIndex(model.index(0))  # conversation 3, e.g. the selection
    desk.update_conversation(3, waiting_since=None, last_message_at=now_ms)  # agent answered
    with qtbot.waitSignal(model.structure_applied, timeout=1000):
        model.apply_notice(ChangeNotice(conversations=frozenset({3})))
    assert ids(model) == [2, 3, 1, 4]
    assert keep.row() == 1  # the selection follows the conversation


def test_many_notices_coalesce_into_few_structural_changes(qtbot, now_ms):
    desk = small_desk(now_ms)
    model = InboxModel(desk, coalesce_ms=50)
    model.set_filter(InboxFilter(InboxState.ALL))
    structural: list[str] = []
    model.layoutChanged.connect(lambda *a: structural.append("layout"))
    model.rowsInserted.connect(lambda *a: structural.append("insert"))
    model.modelReset.connect(lambda: structural.append("reset"))
    applied: list[int] = []
    model.structure_applied.connect(lambda: applied.append(1))

    for k in range(200):
        cid = 100 + k
        desk.add_conversation(cid, 1 + k % 2, f"新买家{k}", "在吗", now_ms - k, waiting_since=now_ms - k)
        model.apply_notice(ChangeNotice(new_conversations=frozenset({cid})))
    qtbot.waitUntil(lambda: model.rowCount() == 204, timeout=2000)

    assert applied == [1]
    assert structural.count("insert") == 1 and structural.count("layout") <= 1
    assert "reset" not in structural
    assert ids(model)[:4] == [3, 2, 299, 298]  # waiting buyers, oldest wait first
    assert ids(model)[-2:] == [1, 4]


def test_rows_leaving_the_filter_are_removed(qtbot, now_ms):
    desk = small_desk(now_ms)
    model = InboxModel(desk, coalesce_ms=10)
    model.set_filter(InboxFilter(InboxState.WAITING))
    desk.update_conversation(3, waiting_since=None, last_message_at=now_ms)
    with qtbot.waitSignal(model.structure_applied, timeout=1000):
        model.apply_notice(ChangeNotice(conversations=frozenset({3})))
    assert ids(model) == [2]


def test_rows_are_fetched_lazily_in_pages(qtbot, now_ms):
    desk = big_desk(20_000, now_ms)
    model = InboxModel(desk)
    model.set_filter(InboxFilter(InboxState.ALL))
    view = QTreeView()
    view.setUniformRowHeights(True)
    view.setHeaderHidden(True)
    view.setModel(model)
    view.resize(360, 700)
    qtbot.addWidget(view)
    with qtbot.waitExposed(view):
        view.show()
    view.grab()
    fetched = sum(len(c) for c in desk.row_calls)
    assert 0 < fetched <= 2 * InboxModel.PAGE
    assert all(len(c) <= InboxModel.PAGE for c in desk.row_calls)
    calls = len(desk.row_calls)
    for r in range(0, 50):
        model.data(model.index(r), InboxModel.RowRole)
    assert len(desk.row_calls) == calls  # cache hits: no further desk reads


def test_twenty_thousand_rows_load_a_window_and_fetch_more_on_scroll(qtbot, qtmodeltester, now_ms):
    # Timings live in tests/benchmarks/bench_inbox.py; this checks the behaviour.
    desk = big_desk(20_000, now_ms)
    model = InboxModel(desk, coalesce_ms=0)
    view = QTreeView()
    view.setUniformRowHeights(True)
    view.setHeaderHidden(True)
    view.setModel(model)
    qtbot.addWidget(view)
    model.set_filter(InboxFilter(InboxState.ALL))
    view.show()
    first = model.rowCount()
    assert first % InboxModel.WINDOW == 0 and first < 20_000 and model.canFetchMore()
    view.scrollToBottom()  # the view asks for the next window itself
    qtbot.waitUntil(lambda: model.rowCount() > first, timeout=2000)
    assert ids(model) == desk.conversation_ids(InboxFilter(InboxState.ALL))[:model.rowCount()]
    qtmodeltester.check(model)

    new = 30_000
    desk.add_conversation(new, 1, "新买家", "在吗", now_ms, waiting_since=now_ms - 10**9)
    loaded = model.rowCount()
    model.apply_notice(ChangeNotice(new_conversations=frozenset({new})))
    model.flush()
    assert ids(model)[0] == new
    assert model.rowCount() >= loaded  # the window never shrinks under the user
    assert ids(model) == desk.conversation_ids(InboxFilter(InboxState.ALL))[:model.rowCount()]


def test_model_stays_consistent_through_moves_inserts_and_removals(qtbot, qtmodeltester, now_ms):
    desk = small_desk(now_ms)
    model = InboxModel(desk, coalesce_ms=5)
    model.set_filter(InboxFilter(InboxState.WAITING))
    qtmodeltester.check(model)  # the tester stays attached and checks every change below
    keep = QPersistentModelIndex(model.index(1))  # conversation 2
    desk.update_conversation(3, waiting_since=None)  # leaves the waiting list
    desk.add_conversation(9, 1, "新买家", "在吗", now_ms, waiting_since=now_ms - 900_000)
    desk.update_conversation(1, waiting_since=now_ms - 5_000)  # joins it
    with qtbot.waitSignal(model.structure_applied, timeout=1000):
        model.apply_notice(ChangeNotice(conversations=frozenset({1, 3}), new_conversations=frozenset({9})))
    assert ids(model) == [9, 2, 1]
    assert keep.isValid() and model.data(keep, InboxModel.IdRole) == 2


def test_the_panel_fetches_the_next_window_only_after_its_first_paint(qtbot, now_ms):
    from desktop.ui.inbox_panel import InboxPanel

    desk = big_desk(20_000, now_ms)
    panel = InboxPanel(desk, autoload=False)
    qtbot.addWidget(panel)
    panel.resize(340, 900)
    panel.load()
    assert panel.model.rowCount() == InboxModel.WINDOW and not panel.model.canFetchMore()
    panel.show()
    qtbot.waitUntil(lambda: not panel.model.fetch_held, timeout=2000)  # painted
    assert panel.model.rowCount() == InboxModel.WINDOW  # showing it fetched nothing more
    panel.view.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() > InboxModel.WINDOW, timeout=2000)
