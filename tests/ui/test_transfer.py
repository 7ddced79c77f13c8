"""转接: the transfer dialog (target, reason, return timer, refusals in words), and the
receiver's side of the chat — the reason banner, 接入 from the queue, read-only for others."""

from __future__ import annotations

from datetime import datetime

import pytest
from fake_desk import FakeDesk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.core.routing import SeatStatus
from desktop.core.views import SeatRole, TransferReport
from desktop.ui.bridge import Bridge
from desktop.ui.chat_panel import ChatPanel
from desktop.ui.transfer_dialog import TransferDialog, refusal_text, report_lines

TB = "sandbox-tb"
MIN = 60_000


def hhmm(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%H:%M")


def seats_desk(now: int, *, signed_in: str = "小王") -> FakeDesk:
    """小王 (售前), 小李 (售后), 组长 (lead), 阿强 (away), 小满 (售后, full); 小王 holds
    chats 1 and 2, chat 3 waits in the queue, 小李 holds chat 4."""
    d = FakeDesk()
    d.seat_clock_ms = now
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.wang = d.add_seat("小王", name="wang", groups=("售前",))
    d.li = d.add_seat("小李", name="li", groups=("售后",), max_chats=5)
    d.lead = d.add_seat("组长", name="lead", role=SeatRole.LEAD, groups=("售前", "售后"))
    d.qiang = d.add_seat("阿强", name="qiang", groups=("售前",), status=SeatStatus.AWAY)
    d.man = d.add_seat("小满", name="man", groups=("售后",), max_chats=1)
    for cid, nick in enumerate(["tb_小橘子", "追风的少年", "快乐每一天88", "山有木兮", "书虫一枚"], start=1):
        d.add_conversation(cid, 1, nick, "在吗", now - cid * MIN, waiting_since=now - cid * MIN)
    d.hold(1, d.wang)
    d.hold(2, d.wang)
    d.hold(4, d.li)
    d.hold(5, d.man)
    d.seat_id = d.home_seat_id = d.seat_named(signed_in)
    return d


def dialog(qtbot, desk: FakeDesk, cids: list[int]) -> TransferDialog:  # type: ignore[no-untyped-def]
    rows = desk.conversation_rows(cids)
    bridge = Bridge()
    d = TransferDialog(desk, bridge, [rows[c] for c in cids])
    bridge.setParent(d)
    qtbot.addWidget(d)
    d.show()
    return d


# -- the dialog ------------------------------------------------------------------------------
def test_transfer_with_reason_and_return_timer_passes_the_versions_it_saw(qtbot, now_ms):
    desk = seats_desk(now_ms)
    d = dialog(qtbot, desk, [1, 2])
    assert d.heading.text() == "将 2 个会话转接给："
    versions = {1: desk.convs[1].assign_version, 2: desk.convs[2].assign_version}
    assert d.choose_seat(desk.li)
    d.reason.setText("  售后问题转售后 ")
    d.return_check.setChecked(True)
    assert d.return_minutes.value() == 10
    d.return_minutes.setValue(15)
    with qtbot.waitSignal(d.transferred) as done:
        d.ok_button.click()
    assert desk.transfer_calls == [(versions, {"to_seat_id": desk.li, "to_group": "",
                                               "reason": "售后问题转售后", "return_minutes": 15})]
    assert done.args[0].moved == (1, 2)
    assert d.result() == QDialog.DialogCode.Accepted
    assert desk.convs[1].seat_id == desk.li
    assert desk.convs[1].transfer.return_at == now_ms + 15 * MIN


def test_a_reason_is_required_and_a_preset_fills_it(qtbot, now_ms):
    desk = seats_desk(now_ms)
    d = dialog(qtbot, desk, [1])
    assert d.heading.text() == "将 tb_小橘子（棉麻生活馆）转接给："
    d.choose_seat(desk.li)
    d.submit()
    assert desk.transfer_calls == []
    assert d.error.isVisibleTo(d) and d.error.text() == "请填写转接原因：对方首先看到它"
    assert [b.text() for b in d.preset_buttons] == ["售后问题转售后", "议价需组长确认", "专人跟进"]
    d.preset_buttons[1].click()
    assert d.reason.text() == "议价需组长确认"
    d.submit()
    assert desk.transfer_calls[0][1]["reason"] == "议价需组长确认"
    assert desk.transfer_calls[0][1]["return_minutes"] is None  # the timer is opt-in


def test_an_agent_cannot_pick_an_away_or_full_seat_and_sees_why(qtbot, now_ms):
    desk = seats_desk(now_ms)
    d = dialog(qtbot, desk, [1])
    away, full, me = d.seat_item(desk.qiang), d.seat_item(desk.man), d.seat_item(desk.wang)
    li = d.seat_item(desk.li)
    assert not away.flags() & Qt.ItemFlag.ItemIsEnabled and away.text(3) == "离开"
    assert not full.flags() & Qt.ItemFlag.ItemIsEnabled and full.text(3) == "已满"
    assert full.text(2) == "1/1"
    assert me.text(0) == "小王（我）" and me.text(3) == "正在接待"
    assert li.flags() & Qt.ItemFlag.ItemIsEnabled and li.text(1) == "售后" and li.text(3) == "在线"
    assert not d.choose_seat(desk.qiang)
    assert d.target() is None


def test_a_lead_may_move_to_a_full_seat(qtbot, now_ms):
    desk = seats_desk(now_ms, signed_in="组长")
    d = dialog(qtbot, desk, [4])
    assert d.seat_item(desk.man).flags() & Qt.ItemFlag.ItemIsEnabled
    assert d.seat_item(desk.qiang).flags() & Qt.ItemFlag.ItemIsEnabled  # away: a lead may
    assert not d.seat_item(desk.li).flags() & Qt.ItemFlag.ItemIsEnabled  # it holds chat 4
    assert d.choose_seat(desk.man)
    d.reason.setText("专人跟进")
    with qtbot.waitSignal(d.transferred):
        d.submit()
    assert desk.convs[4].seat_id == desk.man


def test_type_to_filter_then_enter_twice(qtbot, now_ms):
    desk = seats_desk(now_ms)
    d = dialog(qtbot, desk, [1])
    qtbot.keyClicks(d.filter, "li")  # the sign-in name finds 小李
    assert d.target() == ("seat", desk.li)
    assert d.seat_item(desk.lead).isHidden()
    qtbot.keyClick(d.filter, Qt.Key.Key_Return)  # no reason yet: on to the reason
    assert desk.transfer_calls == [] and d.focusWidget() is d.reason
    d.reason.setText("售后问题转售后")  # (QTest types Latin-1 only)
    with qtbot.waitSignal(d.transferred):
        qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    assert desk.transfer_calls[0][1]["to_seat_id"] == desk.li


def test_down_arrow_from_the_filter_skips_disabled_seats(qtbot, now_ms):
    desk = seats_desk(now_ms)
    d = dialog(qtbot, desk, [1])
    qtbot.keyClick(d.filter, Qt.Key.Key_Down)
    first = d.target()
    qtbot.keyClick(d.filter, Qt.Key.Key_Down)
    second = d.target()
    chosen = {first, second}
    assert ("seat", desk.qiang) not in chosen and ("seat", desk.man) not in chosen
    assert first is not None and second is not None and first != second


def test_to_a_group_with_no_free_seat_it_queues(qtbot, now_ms):
    desk = seats_desk(now_ms)
    desk.set_seat_status(desk.li, SeatStatus.AWAY)
    desk.set_seat_status(desk.lead, SeatStatus.BUSY)
    desk.hold(3, desk.lead)
    desk.seat_store[desk.lead].profile = desk.seat_store[desk.lead].profile.__class__(
        "lead", "组长", SeatRole.LEAD, ("售前", "售后"), None, 1)  # at its cap now
    d = dialog(qtbot, desk, [1])
    group = d.group_item("售后")
    assert group.text(3) == "暂无空闲坐席：进入该组队列等待"
    assert d.choose_group("售后")
    d.reason.setText("售后问题转售后")
    with qtbot.waitSignal(d.status_message) as message:
        d.submit()
    assert desk.transfer_calls[-1][1]["to_group"] == "售后"
    assert message.args == ["1 个会话进入 售后 队列：该组暂无空闲坐席"]
    assert desk.convs[1].seat_id is None and desk.convs[1].queue_group == "售后"


def test_a_chat_someone_moved_meanwhile_is_refused_in_words(qtbot, now_ms):
    desk = seats_desk(now_ms)
    d = dialog(qtbot, desk, [1, 2])
    desk.hold(2, desk.lead, by="组长", reason="专人跟进")  # while the dialog was open
    d.choose_seat(desk.li)
    d.reason.setText("售后问题转售后")
    with qtbot.waitSignal(d.transferred):
        d.submit()
    assert d.result_label.isVisibleTo(d)
    assert d.result_label.text().splitlines() == ["已将 1 个会话转给 小李",
                                                 "追风的少年：未转接，已被组长先一步转走"]
    assert d.isVisible()  # stays open to be read
    assert desk.convs[2].seat_id == desk.lead


def test_refusals_in_words():
    assert refusal_text("moved", "小李") == "已被小李先一步转走"
    assert refusal_text("full", "18/20") == "对方已满（18/20）"
    assert refusal_text("unavailable", "away") == "对方离开"
    assert refusal_text("unavailable", "suspended") == "对方暂停"
    assert refusal_text("not_served", "") == "对方不接待该店铺"
    assert refusal_text("closed", "") == "会话已结束"
    report = TransferReport(moved=(1,), queued=(2,), refused=((3, "full", "5/5"),))
    assert report_lines(report, {}, "小李", "售后") == [
        "已将 1 个会话转给 小李", "1 个会话进入 售后 队列：该组暂无空闲坐席", "#3：未转接，对方已满（5/5）"]


# -- the receiver ----------------------------------------------------------------------------
def chat(qtbot, desk: FakeDesk) -> ChatPanel:  # type: ignore[no-untyped-def]
    bridge = Bridge()
    panel = ChatPanel(desk, bridge)
    bridge.setParent(panel)
    bridge.listen(desk)
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    return panel


def test_the_receiver_sees_who_handed_it_over_and_why(qtbot, now_ms):
    desk = seats_desk(now_ms)
    desk.seat_clock_ms = now_ms - 5 * MIN
    desk.transfer({1: desk.convs[1].assign_version}, to_seat_id=desk.li, reason="售后问题转售后",
                  return_minutes=10)
    panel = chat(qtbot, desk)
    panel.open_conversation(1)  # the sender, 小王, sees it with 小李 now
    assert panel.banner.kind == "other" and panel.banner.title.text() == (
        f"由 小李 接待中\n小王 转接：售后问题转售后 · {hhmm(now_ms - 5 * MIN)}")
    assert panel.composer.isReadOnly()
    desk.seat_id, desk.seat_name = desk.li, "小李"  # 小李's app
    panel.open_conversation(1)
    assert panel.banner.isVisible() and panel.banner.kind == "note"
    assert panel.banner.title.text() == f"由 小王 转来：售后问题转售后 · {hhmm(now_ms - 5 * MIN)}"
    assert panel.banner.detail.text() == f"{hhmm(now_ms + 5 * MIN)} 前未回复将退回"
    assert not panel.banner.button.isVisible()
    assert not panel.composer.isReadOnly()


def test_no_banner_without_a_note_or_a_seat(qtbot, now_ms):
    desk = seats_desk(now_ms)
    panel = chat(qtbot, desk)
    panel.open_conversation(2)  # mine, never handed over
    assert not panel.banner.isVisible()
    desk.seat_id = None  # no seats at all (signed out): the chat as before seats
    panel.open_conversation(4)
    assert not panel.banner.isVisible() and not panel.composer.isReadOnly()


def test_a_queued_chat_is_taken_with_the_button(qtbot, now_ms):
    desk = seats_desk(now_ms)
    panel = chat(qtbot, desk)
    panel.open_conversation(3)
    assert panel.banner.kind == "queue" and panel.banner.title.text() == "待分配：买家正在排队等待接待"
    assert panel.banner.button.text() == "接入" and not panel.composer.isReadOnly()
    version = desk.convs[3].assign_version
    with qtbot.waitSignal(panel.status_message) as message:
        panel.banner.button.click()
    assert desk.transfer_calls == [({3: version}, {"to_seat_id": desk.wang, "to_group": "",
                                                   "reason": "", "return_minutes": None})]
    assert message.args == ["会话已由你接待"]
    qtbot.waitUntil(lambda: not panel.banner.isVisible(), timeout=2000)
    assert desk.convs[3].seat_id == desk.wang


def test_sending_in_a_queued_chat_takes_it_first(qtbot, now_ms):
    desk = seats_desk(now_ms)
    panel = chat(qtbot, desk)
    panel.open_conversation(3)
    panel.composer.setPlainText("您好，在的")
    panel.send_current()
    qtbot.waitUntil(lambda: desk.sent == [(3, "您好，在的")], timeout=2000)
    assert desk.transfer_calls[0][1]["to_seat_id"] == desk.wang
    assert desk.convs[3].seat_id == desk.wang


def test_when_routing_gave_me_the_queued_chat_meanwhile_the_reply_still_goes(qtbot, now_ms):
    desk = seats_desk(now_ms)
    panel = chat(qtbot, desk)
    panel.open_conversation(3)
    desk._log(3, "assign", None, desk.wang, "系统")
    desk.update_conversation(3, seat_id=desk.wang, seat_name="小王",  # no notice reached us yet
                             assign_version=desk.convs[3].assign_version + 1)
    panel.composer.setPlainText("您好，在的")
    panel.send_current()  # the claim is refused (moved), but the chat is mine: send
    qtbot.waitUntil(lambda: desk.sent == [(3, "您好，在的")], timeout=2000)
    assert not panel.error_label.isVisibleTo(panel)


def test_when_someone_else_took_it_first_the_text_stays(qtbot, now_ms):
    desk = seats_desk(now_ms)
    panel = chat(qtbot, desk)
    panel.open_conversation(3)
    desk._log(3, "claim", None, desk.li, "小李")
    desk.update_conversation(3, seat_id=desk.li, seat_name="小李",  # no notice reached us yet
                             assign_version=desk.convs[3].assign_version + 1)
    panel.composer.setPlainText("您好，在的")
    panel.send_current()
    qtbot.waitUntil(lambda: panel.error_label.isVisibleTo(panel), timeout=2000)
    assert panel.error_label.text() == "未发送：未能接入会话，已被小李先一步转走"
    assert desk.sent == [] and panel.composer.text() == "您好，在的"
    assert panel.composer.isReadOnly() and panel.banner.title.text() == "由 小李 接待中"


def test_another_seats_chat_is_read_only_and_a_lead_may_take_it_over(qtbot, now_ms):
    desk = seats_desk(now_ms)
    panel = chat(qtbot, desk)
    panel.open_conversation(4)
    assert panel.banner.kind == "other" and panel.banner.title.text() == "由 小李 接待中"
    assert not panel.banner.button.isVisible()
    assert panel.composer.isReadOnly() and not panel.send_button.isEnabled()
    assert panel.composer.placeholderText() == "由 小李 接待中：只读。"
    panel.claim()  # Ctrl+Shift+J as an agent: refused here, not in the core
    assert desk.transfer_calls == []

    desk.seat_id = desk.lead
    panel.open_conversation(4)
    assert panel.banner.button.isVisible() and panel.banner.button.text() == "接管"
    with qtbot.waitSignal(panel.status_message):
        panel.banner.button.click()
    assert desk.convs[4].seat_id == desk.lead
    qtbot.waitUntil(lambda: not panel.composer.isReadOnly(), timeout=2000)


@pytest.mark.parametrize("selected", [[1], [1, 2]])
def test_ctrl_shift_t_opens_the_dialog_for_the_open_or_selected_chats(qtbot, now_ms, selected):
    from PySide6.QtCore import QItemSelectionModel

    from desktop.ui.mainwindow import MainWindow

    desk = seats_desk(now_ms)
    w = MainWindow(desk)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    w.open_conversation(1)
    sel = w.inbox.view.selectionModel()
    flag = QItemSelectionModel.SelectionFlag
    for cid in selected:
        sel.select(w.inbox.model.index(w.inbox.model.row_of(cid)), flag.Select | flag.Rows)
    qtbot.keyClick(w, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: w.transfer_dialog is not None and w.transfer_dialog.isVisible(), timeout=2000)
    assert sorted(w.transfer_dialog._rows) == selected
    w.transfer_dialog.reject()
