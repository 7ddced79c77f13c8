"""The signed-in seat: sign-in at load and sign-out at close, the status menu and its
shortcuts, switching seat, and whose chats the inbox lists (mine / the queue / all)."""

from __future__ import annotations

from fake_desk import FakeDesk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from test_transfer import seats_desk

from desktop.core.routing import SeatStatus
from desktop.core.views import ChangeNotice, InboxFilter, InboxState
from desktop.ui.inbox_panel import InboxPanel
from desktop.ui.mainwindow import MainWindow
from desktop.ui.seat_status import SwitchSeatDialog

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def window(qtbot, desk: FakeDesk) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(desk)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    return w


def listed(panel: InboxPanel) -> list[int]:
    panel.model.flush()
    return [panel.model.id_at(r) for r in range(panel.model.rowCount())]


def signed_out(now_ms: int) -> FakeDesk:
    desk = seats_desk(now_ms)
    desk.seat_id = None  # the app signs in as home_seat_id itself
    desk.seat_store[desk.wang].status = SeatStatus.OFFLINE.value
    return desk


# -- sign-in, status ----------------------------------------------------------------------------
def test_the_window_signs_in_at_load_and_out_at_close(qtbot, now_ms):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    assert desk.sign_ins == [desk.wang] and desk.seat_id == desk.wang
    qtbot.waitUntil(lambda: w.seat_status.button.text() == "在线", timeout=2000)
    assert w.seat_status.name_label.text() == "坐席：小王"
    assert w.acts.status_online.isChecked()
    w.close()
    assert desk.sign_outs == [desk.wang]
    assert desk.seat_store[desk.wang].status == SeatStatus.OFFLINE.value


def test_no_home_seat_means_no_sign_in_and_the_old_inbox(qtbot, now_ms):
    desk = FakeDesk()
    desk.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    desk.add_conversation(1, 1, "tb_小橘子", "在吗", now_ms, waiting_since=now_ms)
    w = window(qtbot, desk)
    assert desk.sign_ins == []
    assert w.seat_status.name_label.text() == "未登录坐席"
    assert not w.inbox.scope_bar.isVisible()
    assert w.inbox.model.filter == InboxFilter(InboxState.ALL)
    assert w.inbox.delegate.row_texts(desk.convs[1]).holder == ""
    w.close()
    assert desk.sign_outs == []


def test_status_shortcuts_and_menu_change_the_status_through_the_desk(qtbot, now_ms):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    qtbot.keyClick(w, Qt.Key.Key_2, CTRL | ALT)
    assert desk.status_calls == [(desk.wang, SeatStatus.BUSY)]
    qtbot.waitUntil(lambda: w.seat_status.button.text() == "忙碌", timeout=2000)
    assert w.acts.status_busy.isChecked()
    menu = [a.text() for a in w.seat_status.menu.actions() if a.text()]
    assert menu == ["在线(&O)", "忙碌(&B)", "离开(&W)", "离线(&F)", "切换坐席…(&S)"]
    w.acts.status_away.trigger()
    assert desk.status_calls[-1] == (desk.wang, SeatStatus.AWAY)
    qtbot.waitUntil(lambda: w.seat_status.button.text() == "离开", timeout=2000)


def test_a_suspension_shows_and_cannot_be_lifted_by_the_agent(qtbot, now_ms):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    desk.seat_id, me = desk.lead, desk.wang
    desk.set_seat_status(me, SeatStatus.SUSPENDED)  # the lead, on another machine
    desk.seat_id = me
    desk.emit_from_thread(ChangeNotice(seats=frozenset({me})))
    qtbot.waitUntil(lambda: w.seat_status.button.text() == "暂停", timeout=2000)
    assert "只有组长可以恢复" in w.seat_status.button.toolTip()
    assert not w.acts.status_online.isEnabled()
    calls = len(desk.status_calls)
    qtbot.keyClick(w, Qt.Key.Key_1, CTRL | ALT)
    assert len(desk.status_calls) == calls


def test_switching_seat_signs_out_signs_in_and_remembers_it(qtbot, now_ms, monkeypatch):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    dialog = SwitchSeatDialog(desk)
    assert dialog.chosen_seat_id() == desk.wang  # starts on the current seat
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert names[0].startswith("小李  (li)")

    def choose_li(self: SwitchSeatDialog) -> int:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == desk.li:
                self.list.setCurrentRow(i)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SwitchSeatDialog, "exec", choose_li)
    qtbot.keyClick(w, Qt.Key.Key_S, CTRL | ALT)
    assert desk.sign_outs == [desk.wang] and desk.sign_ins == [desk.wang, desk.li]
    assert desk.home_seats == [desk.li]
    assert w.seat_status.name_label.text() == "坐席：小李"
    assert w.inbox.model.filter.seat_id == desk.li
    assert listed(w.inbox) == [4]


# -- whose chats --------------------------------------------------------------------------------
def test_the_inbox_shows_mine_by_default_and_the_queue_with_its_count(qtbot, now_ms):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    inbox = w.inbox
    assert inbox.scope_bar.isVisible() and inbox.scope == "mine" and w.acts.scope_mine.isChecked()
    assert inbox.model.filter.seat_id == desk.wang
    assert sorted(listed(inbox)) == [1, 2]
    assert inbox.scope_buttons["queue"].text() == "待分配 (1)"
    qtbot.keyClick(w, Qt.Key.Key_5, CTRL)
    assert inbox.model.filter.queue and inbox.model.filter.seat_id is None
    assert listed(inbox) == [3]
    assert w.acts.scope_queue.isChecked() and inbox.scope_buttons["queue"].isChecked()
    assert not inbox.tabs.isTabEnabled(2)  # 已结束 means nothing for the queue
    qtbot.keyClick(w, Qt.Key.Key_6, CTRL)
    assert sorted(listed(inbox)) == [1, 2, 3, 4, 5]
    assert InboxPanel(desk, autoload=False).scope_choice == "all"  # remembered


def test_ended_chats_are_not_scoped_to_a_seat(qtbot, now_ms):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    desk.close_conversation(2)  # the core frees the seat of an ended chat
    qtbot.keyClick(w, Qt.Key.Key_3, CTRL)
    assert w.inbox.model.filter.seat_id is None and listed(w.inbox) == [2]


def test_rows_name_who_holds_them_when_it_is_not_me(qtbot, now_ms):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    w.inbox.set_scope("all")
    rows = desk.conversation_rows([1, 3, 4])
    delegate = w.inbox.delegate
    assert delegate.row_texts(rows[1]).holder == ""  # mine
    assert delegate.row_texts(rows[4]).holder == "小李"
    queued = delegate.row_texts(rows[3])
    assert queued.holder == "待分配" and queued.queued
    desk.hold(3, None, by="小王", reason="售后问题转售后", queue_group="售后")
    assert delegate.row_texts(desk.conversation_rows([3])[3]).holder == "待分配 · 售后"
    w.inbox.set_scope("queue")  # every row is unassigned there: only the group is said
    assert delegate.row_texts(desk.conversation_rows([3])[3]).holder == "售后"
    w.inbox.set_scope("mine")
    assert delegate.row_texts(rows[4]).holder == ""
    w.inbox.view.grab()  # paints with the labels


def test_a_chat_handed_away_leaves_mine_and_one_handed_to_me_arrives(qtbot, now_ms):
    desk = signed_out(now_ms)
    w = window(qtbot, desk)
    assert sorted(listed(w.inbox)) == [1, 2]
    assert w.inbox.model.cached_row(1) is not None  # a cached row's new holder must move it
    desk.transfer({1: desk.convs[1].assign_version}, to_seat_id=desk.li, reason="售后问题转售后")
    qtbot.waitUntil(lambda: listed(w.inbox) == [2], timeout=2000)
    desk.seat_id = desk.lead
    desk.transfer({4: desk.convs[4].assign_version}, to_seat_id=desk.wang, reason="专人跟进")
    desk.seat_id = desk.wang
    qtbot.waitUntil(lambda: sorted(listed(w.inbox)) == [2, 4], timeout=2000)
