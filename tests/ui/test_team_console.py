"""The team-lead console: the live board and queue, moving many chats by drag and drop or
from the keyboard, releasing a seat, the seat and routing dialogs, a lead-only page."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from fake_desk import FakeDesk
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPointF, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from desktop.core.routing import RoutingRules, SeatStatus
from desktop.core.views import ChangeNotice, SeatRole
from desktop.ui.bridge import Bridge
from desktop.ui.routing_dialog import RoutingDialog
from desktop.ui.seat_dialog import SeatDialog
from desktop.ui.seat_status import status_label
from desktop.ui.team_console import TeamConsole
from desktop.ui.team_models import MIME, ChatsModel, SeatsModel, decode_chats, encode_chats

TB = "sandbox-tb"
MIN = 60_000


class Clock:
    def __init__(self, at: int) -> None:
        self.at = at

    def __call__(self) -> int:
        return self.at


def team_desk(now: int) -> FakeDesk:
    """A lead (小王, signed in), 小李 (售前), 小张 (售后, at its cap) and 阿May whose app quit;
    three buyers in the queue, two chats with 小张, one with 小李."""
    d = FakeDesk()
    d.seat_clock_ms = now
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.add_shop(2, "山野茶铺", TB, "沙箱·淘系", "#17a589")
    d.lead = d.add_seat("小王", name="wang", role=SeatRole.LEAD, groups=("售前",))
    d.li = d.add_seat("小李", name="li", groups=("售前",), max_chats=5)
    d.zhang = d.add_seat("小张", name="zhang", groups=("售后",), max_chats=2)
    d.may = d.add_seat("阿May", name="may", groups=("售后",), gone=True)
    d.seat_id = d.home_seat_id = d.lead
    for cid, nick in enumerate(["tb_小橘子", "追风的少年", "快乐每一天88", "山有木兮", "阿May的买家", "书虫一枚"],
                               start=1):
        d.add_conversation(cid, 1 + cid % 2, nick, "在吗", now - cid * MIN, waiting_since=now - cid * MIN)
        d.update_conversation(cid, assign_version=10 * cid)  # moved before: versions differ
    d.hold(4, d.zhang)
    d.hold(5, d.zhang)
    d.hold(6, d.li)
    return d


@pytest.fixture
def clock(now_ms):
    return Clock(now_ms)


def console(qtbot, desk: FakeDesk, clock: Clock) -> TeamConsole:  # type: ignore[no-untyped-def]
    bridge = Bridge()
    c = TeamConsole(desk, bridge, clock=clock)
    bridge.setParent(c)
    qtbot.addWidget(c)
    c.resize(1280, 720)
    c.show()
    c.load()
    return c


def seat_row(c: TeamConsole, seat_id: int) -> int:
    row = c.seats.row_of(seat_id)
    assert row is not None
    return row


def cell(model, row: int, col: int, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    return model.data(model.index(row, col), role)


def select_rows(table, rows: list[int]) -> None:  # type: ignore[no-untyped-def]
    sel = table.selectionModel()
    sel.clearSelection()
    for r in rows:
        sel.select(table.model().index(r, 0),
                   QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def drop_on(view, index, mime: QMimeData) -> bool:  # type: ignore[no-untyped-def]
    """Drag `mime` over the row and release, as the mouse does: enter, move, drop through
    the view (its drop checks and the model's). → whether the view accepted the drag."""
    at = view.visualRect(index).center()
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(at, actions, mime, buttons, keys), QDragMoveEvent(at, actions, mime, buttons, keys)):
        event.ignore()
        QApplication.sendEvent(view.viewport(), event)
    accepted = event.isAccepted()
    drop = QDropEvent(QPointF(at), actions, mime, buttons, keys)
    drop.setDropAction(Qt.DropAction.MoveAction)
    drop.ignore()
    QApplication.sendEvent(view.viewport(), drop)
    return accepted


# -- the board and the queue ------------------------------------------------------------------------
def test_board_shows_every_seat_with_its_load_and_the_queue(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    assert c.seats.rowCount() == 4
    lead, zhang, may = seat_row(c, desk.lead), seat_row(c, desk.zhang), seat_row(c, desk.may)
    assert cell(c.seats, lead, SeatsModel.SEAT) == "小王（组长）"
    assert cell(c.seats, zhang, SeatsModel.LOAD) == "2/2"
    assert cell(c.seats, zhang, SeatsModel.LOAD, Qt.ItemDataRole.ForegroundRole).color() == QColor("#c62828")
    assert cell(c.seats, zhang, SeatsModel.WAITING) == "2"
    assert cell(c.seats, zhang, SeatsModel.LONGEST) == "5分0秒"
    assert cell(c.seats, seat_row(c, desk.li), SeatsModel.LOAD) == "1/5"
    assert cell(c.seats, may, SeatsModel.STATUS) == "在线（已断开）"  # chose online, its app quit
    assert cell(c.seats, zhang, SeatsModel.GROUPS) == "售后"
    # the queue: open, nobody holds it, oldest wait first
    assert [c.queue.row_at(r).id for r in range(c.queue.rowCount())] == [3, 2, 1]
    assert cell(c.queue, 0, ChatsModel.WAITED) == "3分0秒"
    assert c.queue_title.text() == "等待分配（3）"
    assert [c.groups.data(c.groups.index(r), Qt.ItemDataRole.UserRole) for r in range(c.groups.rowCount())] \
        == ["售前", "售后"]


def test_waiting_times_tick_without_a_query_and_the_board_follows_notices(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    queries = len(desk.id_calls)
    clock.at += 12_000
    c._on_ticker_timeout()
    assert cell(c.queue, 0, ChatsModel.WAITED) == "3分12秒"
    assert cell(c.seats, seat_row(c, desk.zhang), SeatsModel.LONGEST) == "5分12秒"
    assert len(desk.id_calls) == queries  # ticking re-reads nothing
    desk.hold(1, desk.li)  # routing gave a queued chat to 小李
    desk.emit_from_thread(ChangeNotice(conversations=frozenset({1}), seats=frozenset({desk.li})))
    c.apply_notice(ChangeNotice(conversations=frozenset({1}), seats=frozenset({desk.li})))
    qtbot.waitUntil(lambda: c.queue.rowCount() == 2, timeout=2000)
    assert cell(c.seats, seat_row(c, desk.li), SeatsModel.LOAD) == "2/5"


def test_a_selected_seat_shows_its_chats_read_only_and_enter_opens_one(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    c.select_seat(desk.zhang)
    assert sorted(c.seat_chats.row_at(r).id for r in range(c.seat_chats.rowCount())) == [4, 5]
    assert c.seat_title.text() == "小张的会话（2）"
    assert c.seat_table.editTriggers() == c.seat_table.EditTrigger.NoEditTriggers
    with qtbot.waitSignal(c.conversation_requested) as opened:
        c.seat_table.setFocus()
        c.seat_table.setCurrentIndex(c.seat_chats.index(0, 0))
        qtbot.keyClick(c.seat_table, Qt.Key.Key_Return)
    assert opened.args == [c.seat_chats.row_at(0).id]
    c.select_seat(desk.lead)
    assert c.seat_empty.isVisible() and not c.seat_table.isVisible()


# -- moving chats ----------------------------------------------------------------------------------
def test_dropping_several_selected_chats_on_a_seat_moves_them_all(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    select_rows(c.queue_table, [0, 2])  # 快乐每一天88 (3) and tb_小橘子 (1)
    versions = {3: desk.convs[3].assign_version, 1: desk.convs[1].assign_version}
    mime = c.queue.mimeData(c.queue_table.selectionModel().selectedIndexes())
    assert mime.hasFormat(MIME) and decode_chats(mime) == versions
    assert mime.text() == "快乐每一天88\ntb_小橘子"
    assert drop_on(c.board, c.seats.index(seat_row(c, desk.li), SeatsModel.LOAD), mime)
    assert desk.transfer_calls == [(versions, {"to_seat_id": desk.li, "to_group": "", "reason": "",
                                               "return_minutes": None})]
    assert desk.convs[1].seat_id == desk.convs[3].seat_id == desk.li
    qtbot.waitUntil(lambda: c.message.text() == "已将 2 个会话转给 小李", timeout=2000)
    qtbot.waitUntil(lambda: c.queue.rowCount() == 1, timeout=2000)
    assert cell(c.seats, seat_row(c, desk.li), SeatsModel.LOAD) == "3/5"


def test_dropping_chats_of_a_seat_on_a_group_hands_them_to_the_group(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    c.select_seat(desk.zhang)
    select_rows(c.seat_table, [0, 1])
    mime = c.seat_chats.mimeData(c.seat_table.selectionModel().selectedIndexes())
    presale = c.groups.names().index("售前")
    assert drop_on(c.group_list, c.groups.index(presale), mime)
    (versions, target), = desk.transfer_calls
    assert sorted(versions) == [4, 5] and target["to_group"] == "售前" and target["to_seat_id"] is None
    assert {desk.convs[4].seat_id, desk.convs[5].seat_id} <= {desk.li, desk.lead}


def test_a_drop_needs_chats_and_a_seat(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    other = QMimeData()
    other.setText("hello")
    li = c.seats.index(seat_row(c, desk.li), 0)
    assert not c.seats.canDropMimeData(other, Qt.DropAction.MoveAction, -1, -1, li)
    chats = encode_chats([desk.convs[1]])
    assert c.seats.canDropMimeData(chats, Qt.DropAction.MoveAction, -1, -1, li)
    assert c.seats.flags(li) & Qt.ItemFlag.ItemIsDropEnabled
    assert not c.seats.dropMimeData(chats, Qt.DropAction.IgnoreAction, -1, -1, li)
    assert desk.transfer_calls == []


def test_a_chat_someone_moved_first_is_refused_in_words(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    select_rows(c.queue_table, [0, 1])
    mime = c.queue.mimeData(c.queue_table.selectionModel().selectedIndexes())
    desk.hold(3, desk.zhang, by="老周")  # another lead was faster with 快乐每一天88
    c.seats.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, c.seats.index(seat_row(c, desk.li), 0))
    qtbot.waitUntil(lambda: "快乐每一天88" in c.message.text(), timeout=2000)
    assert c.message.text().splitlines() == ["已将 1 个会话转给 小李", "快乐每一天88：未转接，已被老周先一步转走"]
    assert "c62828" in c.message.styleSheet()  # a refusal shows in red


def test_ctrl_shift_m_moves_the_selected_chats_to_a_seat_picked_by_typing(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    c.queue_table.setFocus()
    select_rows(c.queue_table, [1, 2])
    c.move_selected()
    dialog = c.move_dialog
    assert dialog is not None
    dialog.filter.setText("小张")  # (QTest cannot type CJK)
    assert dialog.target() == ("seat", desk.zhang)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    (versions, target), = desk.transfer_calls
    assert sorted(versions) == [1, 2] and target["to_seat_id"] == desk.zhang  # a lead may go past the cap


# -- seat actions ----------------------------------------------------------------------------------
def test_release_asks_first_and_says_the_seat_is_suspended_afterwards(qtbot, clock, monkeypatch):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    c.select_seat(desk.zhang)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text, *a: asked.append(text) or answer[0])
    c.release_button.click()
    assert desk.released == []
    assert "小张 的全部 2 个" in asked[0] and "暂停" in asked[0]
    answer[0] = QMessageBox.StandardButton.Yes
    c.release_button.click()
    assert desk.released == [desk.zhang]
    assert desk.convs[4].seat_id is None and desk.seat_store[desk.zhang].status == "suspended"
    qtbot.waitUntil(lambda: "暂停" in c.message.text(), timeout=2000)
    qtbot.waitUntil(lambda: c.queue.rowCount() == 5, timeout=2000)


def test_status_menu_sets_and_lifts_a_suspension(qtbot, clock):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    c.select_seat(desk.li)
    suspend = next(a for a in c.status_menu.actions() if a.data() == "suspended")
    suspend.trigger()
    online = next(a for a in c.status_menu.actions() if a.data() == "online")
    online.trigger()
    assert desk.status_calls == [(desk.li, SeatStatus.SUSPENDED), (desk.li, SeatStatus.ONLINE)]
    qtbot.waitUntil(lambda: c.timeline.text().count("→") == 1, timeout=2000)
    assert cell(c.seats, seat_row(c, desk.li), SeatsModel.STATUS) == "在线"
    suspended, online = (f"{datetime.fromtimestamp(clock.at / 1000):%H:%M} {status_label(s)}（小王 操作）"
                         for s in ("suspended", "online"))  # by the lead, not by 小李
    assert c.timeline.text() == f"今日：{suspended} → {online}"


# -- dialogs ---------------------------------------------------------------------------------------
def test_seat_dialog_round_trips_a_profile(qtbot, clock):
    desk = team_desk(clock.at)
    desk.seat_store[desk.li].profile = replace(
        desk.seat_store[desk.li].profile, shop_ids=frozenset({2}), accounts=((2, "山野茶铺:小李"),))
    row = next(s for s in desk.seats() if s.id == desk.li)
    bridge = Bridge()
    dialog = SeatDialog(desk, bridge, row)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.profile() == row.profile
    assert dialog.some_shops.isChecked()
    dialog.display.setText("  小李  (早班) ")
    dialog.group_editor.input.setFocus()
    dialog.group_editor.input.setText("售后")
    qtbot.keyClick(dialog.group_editor.input, Qt.Key.Key_Return)  # adds the group, does not save
    assert [chip.label.name for chip in dialog.group_editor.chips] == ["售前", "售后"]
    assert desk.saved_seats == [] and dialog.isVisible()
    dialog.max_chats.setValue(8)
    dialog.accounts.item(0, 1).setText("棉麻:小李")
    dialog.shop_list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.role.setCurrentIndex(dialog.role.findData("lead"))
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    saved, seat_id = desk.saved_seats[-1]
    assert seat_id == desk.li
    assert saved == replace(row.profile, display_name="小李 (早班)", groups=("售前", "售后"),
                            shop_ids=frozenset({1, 2}), max_chats=8, role=SeatRole.LEAD,
                            accounts=((1, "棉麻:小李"), (2, "山野茶铺:小李")))


def test_new_seat_dialog_needs_names_and_shows_the_desks_refusal(qtbot, clock):
    desk = team_desk(clock.at)
    dialog = SeatDialog(desk, Bridge(), None)
    qtbot.addWidget(dialog)
    assert dialog.all_shops.isChecked() and dialog.max_chats.value() == 20
    dialog.save()
    assert desk.saved_seats == [] and dialog.error.text()
    dialog.login.setText("li")  # 小李 signs in as li already
    dialog.display.setText("新同事")
    dialog.save()
    qtbot.waitUntil(lambda: "li" in dialog.error.text(), timeout=2000)
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.login.setText("xin")
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    assert dialog.seat_id is not None and desk.seat_store[dialog.seat_id].profile.display_name == "新同事"


def test_routing_dialog_round_trips_the_rules(qtbot, clock):
    desk = team_desk(clock.at)
    desk.rules = RoutingRules(enabled=False, affinity_days=3,
                              group_for_stage={"presale": "售前", "aftersale": "售后", "vip": "大客户"},
                              fall_back_to_any_group=True, heartbeat_timeout_s=45,
                              release_offline_after_s=0, idle_after_min=15)
    dialog = RoutingDialog(desk, Bridge())
    qtbot.addWidget(dialog)
    assert dialog.rules() == desk.rules
    assert dialog.release.text() == "从不"  # 0 = never
    dialog.enabled.setChecked(True)
    dialog.affinity.setValue(7)
    dialog.aftersale.setEditText("售后组")
    dialog.release.setValue(300)
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    assert desk.rules == RoutingRules(enabled=True, affinity_days=7,
                                      group_for_stage={"presale": "售前", "aftersale": "售后组", "vip": "大客户"},
                                      fall_back_to_any_group=True, heartbeat_timeout_s=45,
                                      release_offline_after_s=300, idle_after_min=15)


# -- the page in the main window -------------------------------------------------------------------
def window(qtbot, desk):  # type: ignore[no-untyped-def]
    from test_mainwindow import window as main_window

    return main_window(qtbot, desk)


def test_the_team_page_is_a_leads_only(qtbot, clock):
    desk = team_desk(clock.at)
    desk.seat_id, desk.home_seat_id = None, desk.li  # an agent's app
    w = window(qtbot, desk)
    qtbot.waitUntil(lambda: desk.seat_id == desk.li, timeout=2000)
    assert not w.pages.isTabVisible(3)
    assert not w.acts.show_team.isEnabled() and not w.acts.move_chats.isEnabled()
    qtbot.keyClick(w, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert w.pages.currentIndex() == 0 and not w.team.loaded
    # promoted to lead: the page appears with the seats notice
    desk.save_seat(replace(desk.seat_store[desk.li].profile, role=SeatRole.LEAD), desk.li)
    qtbot.waitUntil(lambda: w.pages.isTabVisible(3), timeout=2000)
    qtbot.keyClick(w, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert w.pages.currentIndex() == 3 and w.team.loaded
    assert w.acts.move_chats.isEnabled() and w.acts.release_seat.isEnabled()
    assert w.team.seats.rowCount() == 4


def test_a_lead_opens_a_queued_chat_from_the_console(qtbot, clock):
    desk = team_desk(clock.at)
    w = window(qtbot, desk)
    assert w.pages.isTabVisible(3)
    w.acts.show_team.trigger()
    assert w.team.queue.rowCount() == 3
    w.team.queue_table.activated.emit(w.team.queue.index(0, 0))
    assert w.pages.currentIndex() == 0 and w.chat.conversation_id == 3
    w.acts.show_team.trigger()
    desk.hold(2, desk.li)
    desk.emit_from_thread(ChangeNotice(conversations=frozenset({2}), seats=frozenset({desk.li})))
    qtbot.waitUntil(lambda: w.team.queue.rowCount() == 2, timeout=2000)


def test_console_shortcuts_act_only_on_the_team_page(qtbot, clock, monkeypatch):
    desk = team_desk(clock.at)
    w = window(qtbot, desk)
    qtbot.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.team.move_dialog is None  # the chat page: nothing to move
    qtbot.keyClick(w, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    w.team.queue_table.setFocus()
    select_rows(w.team.queue_table, [0, 1])
    qtbot.keyClick(w.team.queue_table, Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.team.move_dialog is not None and "2" in w.team.move_dialog.findChild(QLabel).text()
    w.team.move_dialog.reject()
    w.team.select_seat(desk.zhang)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.No)
    qtbot.keyClick(w.team.board, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(asked) == 1 and "小张" in asked[0] and desk.released == []


@pytest.mark.parametrize("name", ["seats", "queue", "seat_chats", "groups"])
def test_the_models_pass_the_model_tester(qtbot, clock, qtmodeltester, name):
    desk = team_desk(clock.at)
    c = console(qtbot, desk, clock)
    c.select_seat(desk.zhang)
    qtmodeltester.check(getattr(c, name), force_py=True)
    desk.hold(1, desk.zhang)  # a queued chat joins a seat: rows re-placed, not reset
    desk.save_seat(replace(desk.seat_store[desk.li].profile, groups=("售前", "大客户")), desk.li)
    c.reload()
    c._on_ticker_timeout()
