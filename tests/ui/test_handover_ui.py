"""Shift handover (交接): the draft built from what is open, edited and sent (and the chats
released); the reader's banner at sign-in, acknowledging and ticking items, the undone one
carried into the next draft; history filters; the lead's report; export (clipboard, file,
print to PDF); follow-up promises and their reminder; the end-of-shift reminder; shifts."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from fake_desk import FakeDesk, order
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication

from desktop.core.views import HandoverItemKind, ItemState, SeatRole, UnpaidRow
from desktop.ui.bridge import Bridge
from desktop.ui.follow_up_dialog import FollowUpDialog
from desktop.ui.handover_export import HandoverExporter, pdf_printer
from desktop.ui.handover_items import HandoverItemsTree
from desktop.ui.handover_prompts import HandoverBanner, HandoverReminders
from desktop.ui.handover_view import HandoversModel, HandoverView
from desktop.ui.mainwindow import HANDOVER_PAGE, MainWindow
from desktop.ui.shifts_dialog import ShiftsDialog

TZ = ZoneInfo("Asia/Shanghai")
MIN = 60_000
# A Wednesday, 16:50 in Beijing: 早班 (08:30–17:30) ends in 40 minutes, 晚班 starts at 17:00.
NOW = int(datetime(2026, 12, 2, 16, 50, tzinfo=TZ).timestamp() * 1000)
K = HandoverItemKind


def handover_desk(now: int = NOW) -> FakeDesk:
    """小王 on 早班 holds a waiting chat (1), a chat whose buyer has an unpaid order (2), and
    one with an open after-sale case (3); 小李 works 晚班; 组长 is the lead."""
    d = FakeDesk()
    for attr in ("handover_clock_ms", "seat_clock_ms", "clock_ms", "dunning_clock_ms", "remark_clock_ms"):
        setattr(d, attr, now)
    d.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    d.wang = d.add_seat("小王", name="wang")
    d.li = d.add_seat("小李", name="li")
    d.lead = d.add_seat("组长", name="lead", role=SeatRole.LEAD)
    d.early = d.add_shift("早班", "08:30", "17:30", [d.wang])
    d.late = d.add_shift("晚班", "17:00", "23:00", [d.li])
    d.add_conversation(1, 1, "tb_小橘子", "能改地址吗？下单写错了", now - 12 * MIN, waiting_since=now - 12 * MIN)
    d.add_conversation(2, 1, "追风的少年", "好的，我晚点付", now - 30 * MIN)
    d.add_conversation(3, 1, "山有木兮", "颜色和图片差太多了", now - 50 * MIN)
    for cid in (1, 2, 3):
        d.hold(cid, d.wang)
    conv2 = d.convs[2]
    d.add_unpaid(UnpaidRow(20, 1, "棉麻生活馆", "#e4572e", "sandbox-tb", "3000000000000020", conv2.buyer_id,
                           conv2.buyer_nick, 2, Decimal("129.00"), "CNY", now - 40 * MIN, "亚麻衬衫 米白 L",
                           True))
    d.add_order(3, order(30, 1, "paid", "WAIT_SELLER_SEND_GOODS", "89.00", [("纯棉T恤 XL", 1, "89.00")],
                         created=now - 2 * 86_400_000, paid=now - 2 * 86_400_000))
    d.open_case(30, "refund_only", "颜色不符", []).result()
    d.seat_id = d.home_seat_id = d.wang
    return d


def sign_in_as(desk: FakeDesk, seat_id: int) -> None:
    desk.seat_id = seat_id
    desk.seat_name = desk._seat_display(seat_id)


def view_of(qtbot, desk: FakeDesk) -> HandoverView:  # type: ignore[no-untyped-def]
    bridge = Bridge()
    view = HandoverView(desk, bridge, clock=lambda: NOW)
    bridge.setParent(view)
    qtbot.addWidget(view)
    bridge.notice_arrived.connect(view.apply_notice)
    bridge.listen(desk)
    view.load()
    return view


def kinds(items) -> list[K]:  # type: ignore[no-untyped-def]
    return [K(it.kind) for it in items]


def tree_rows(tree: HandoverItemsTree) -> list[tuple[str, list[str]]]:
    out = []
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        out.append((group.text(0), [group.child(c).text(0) for c in range(group.childCount())]))
    return out


def send(qtbot, view: HandoverView, *, release: bool = False) -> int:  # type: ignore[no-untyped-def]
    view.editor.confirm = lambda _text: True
    with qtbot.waitSignal(view.editor.sent, timeout=2000) as sent:
        assert view.editor.send(release=release) is not None
    return int(sent.args[0])


# -- the draft ----------------------------------------------------------------------------------
def test_the_draft_holds_what_is_open_grouped_with_working_links(qtbot):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    editor = view.editor
    items = editor.tree.items()
    assert kinds(items) == [K.CHAT, K.UNPAID, K.CASE]
    assert [(it.conversation_id, it.order_id, it.case_id) for it in items] == [(1, None, None), (2, 20, None),
                                                                             (3, 30, 1)]
    groups = tree_rows(editor.tree)
    assert [g for g, _ in groups] == ["待回复会话（1）", "未付款订单（未催付）（1）", "售后处理中（1）"]
    assert groups[0][1][0].startswith("tb_小橘子 · 等待 12 分钟")
    assert editor.heading.text() == "我的交接 · 早班 08:30–17:30"
    assert editor.to_shift.currentText() == "下一班次：晚班 17:00–23:00"
    assert editor.to_shift.currentData() == desk.late
    # every item opens what it is about: chat, order, case
    opened = []
    view.conversation_requested.connect(lambda c: opened.append(("chat", c)))
    view.order_requested.connect(lambda o: opened.append(("order", o)))
    view.case_requested.connect(lambda c: opened.append(("case", c)))
    for p in range(3):
        editor.tree.itemActivated.emit(editor.tree.tree_item(p), HandoverItemsTree.TITLE)
    assert opened == [("chat", 1), ("order", 20), ("case", 1)]


def test_the_author_drops_annotates_adds_and_removes_items_and_saves(qtbot):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    editor, tree = view.editor, view.editor.tree
    tree.tree_item(1).setCheckState(HandoverItemsTree.TITLE, Qt.CheckState.Unchecked)  # the unpaid order
    assert tree.topLevelItem(1).text(0) == "未付款订单（未催付）（0/1）"
    tree.tree_item(0).setText(HandoverItemsTree.NOTE, "  答应 18 点前回复 ")
    editor.new_item.setText("快递明早 10 点来取件")
    editor.add_button.click()
    editor.new_item.setText("写错的一项")
    editor.add_button.click()
    assert kinds(tree.items()) == [K.CHAT, K.UNPAID, K.CASE, K.NOTE, K.NOTE]
    tree.tree_item(4).setSelected(True)
    editor.remove_button.click()
    editor.text.setPlainText("今天退款多，注意核对颜色")
    assert editor.dirty and editor.saved_label.text() == "尚未保存"
    future = editor.save()
    assert future is not None
    qtbot.waitUntil(lambda: not editor.dirty and editor.current_row().id > 0, timeout=2000)
    saved = desk.handover(editor.current_row().id)
    assert saved is not None and saved.state == "draft"
    assert [(K(it.kind), ItemState(it.state), it.note) for it in saved.items] == [
        (K.CHAT, ItemState.TODO, "答应 18 点前回复"), (K.UNPAID, ItemState.DROPPED, ""),
        (K.CASE, ItemState.TODO, ""), (K.NOTE, ItemState.TODO, "")]
    assert saved.items[3].title == "快递明早 10 点来取件"
    assert saved.text == "今天退款多，注意核对颜色" and saved.to_shift_id == desk.late
    # the page opens my saved draft again, not a fresh one
    other = view_of(qtbot, desk)
    assert other.editor.current_row().id == saved.id
    assert other.editor.saved_label.text().startswith("草稿已保存")


def test_refresh_keeps_the_authors_work_and_follows_what_is_open(qtbot):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    editor, tree = view.editor, view.editor.tree
    tree.tree_item(0).setText(HandoverItemsTree.NOTE, "答应 18 点前回复")
    editor.new_item.setText("仓库 5 点后不发货")
    editor.add_button.click()
    desk.add_conversation(4, 1, "书虫一枚", "发票抬头可以开公司的吗", NOW - 3 * MIN, waiting_since=NOW - 3 * MIN)
    desk.hold(4, desk.wang)
    desk.pay(20, NOW)  # the unpaid order is paid: it leaves the draft
    editor.rebuild()
    items = tree.items()
    assert [(K(it.kind), it.conversation_id) for it in items] == [
        (K.CHAT, 1), (K.CHAT, 4), (K.CASE, 3), (K.NOTE, None)]
    assert items[0].note == "答应 18 点前回复"


def test_an_unaddressed_handover_is_not_sent(qtbot):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    editor = view.editor
    editor.to_shift.setCurrentIndex(editor.to_shift.findData(-1))  # no shift, no seat
    assert editor.send() is None
    assert editor.error.isVisibleTo(view) and editor.error.text() == "请选择交给谁：下一班次或指定同事"
    assert desk.sent_handover_calls == []


def test_send_and_release_hands_my_chats_to_the_next_shift_with_the_note(qtbot):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    editor = view.editor
    editor.tree.tree_item(0).setText(HandoverItemsTree.NOTE, "买家要改地址，已让他发新地址")
    editor.text.setPlainText("今天退款多\n第二行不进转接备注")
    asked = []
    editor.confirm = lambda text: asked.append(text) or False
    assert editor.send(release=True) is None  # not confirmed: nothing happens
    assert asked and desk.saved_handovers == []
    hid = send(qtbot, view, release=True)
    assert desk.sent_handover_calls == [(hid, True)]
    assert all(desk.convs[c].seat_id == desk.li for c in (1, 2, 3))
    assert desk.convs[1].transfer.reason == "交接：买家要改地址，已让他发新地址"
    assert desk.convs[2].transfer.reason == "交接：今天退款多"
    assert desk.handover(hid).state == "sent"
    assert editor.current_row().id == 0  # a fresh draft: no chat of mine is open any more
    assert kinds(editor.tree.items()) == [K.UNPAID, K.CASE]  # the shop's, not the chats'



# -- the incoming side -------------------------------------------------------------------------------
def test_the_next_seat_acknowledges_ticks_two_and_the_undone_one_carries_on(qtbot, qtmodeltester):
    """The issue's "done means", over the fake: the draft holds exactly the chat, the unpaid
    order and the case; 小李 acknowledges and ticks two; the third is in 小李's next draft."""
    desk = handover_desk()
    view = view_of(qtbot, desk)
    hid = send(qtbot, view)
    sign_in_as(desk, desk.li)
    reader = view_of(qtbot, desk)
    assert reader.modes.tabText(HandoverView.INCOMING) == "交给我的（1）"
    reader.show_incoming()
    assert reader.incoming.list.count() == 1 and reader.incoming.list.item(0).font().bold()
    detail = reader.incoming_detail
    assert detail.row.id == hid and detail.ack_button.isVisibleTo(reader)
    assert detail.title.text() == "小王 · 早班 → 晚班"
    assert detail.acks.text() == "还没有人确认"
    with qtbot.waitSignal(detail.changed, timeout=2000):
        detail.acknowledge()
    assert desk.handover(hid).acknowledged_by(desk.li)
    qtbot.waitUntil(lambda: not detail.ack_button.isVisibleTo(reader), timeout=2000)
    assert detail.acks.text().startswith("已确认：小李")
    # tick the chat and the case done (the checkbox is the reader's "done")
    for p in (0, 2):
        with qtbot.waitSignal(detail.changed, timeout=2000):
            detail.tree.tree_item(p).setCheckState(HandoverItemsTree.TITLE, Qt.CheckState.Checked)
    states = [ItemState(it.state) for it in desk.handover(hid).items]
    assert states == [ItemState.DONE, ItemState.TODO, ItemState.DONE]
    assert desk.handover(hid).items[0].done_by == "小李"
    qtbot.waitUntil(lambda: detail.tree.tree_item(0).checkState(0) == Qt.CheckState.Checked, timeout=2000)
    assert detail.tree.tree_item(0).font(0).strikeOut()
    # 小李's own handover at the end of 晚班: the undone unpaid order, carried on
    reader.show_mode(HandoverView.MINE)
    reader.editor.load()
    carried = reader.editor.tree.items()
    assert kinds(carried) == [K.UNPAID]
    assert carried[0].carried_from == desk.handover(hid).items[1].id and carried[0].order_id == 20
    assert reader.editor.tree.tree_item(0).text(HandoverItemsTree.STATE) == "上次延续"
    qtmodeltester.check(reader.report.model)


def test_a_reader_notes_an_item_or_says_it_needs_nothing(qtbot):
    desk = handover_desk()
    hid = send(qtbot, view_of(qtbot, desk))
    sign_in_as(desk, desk.li)
    reader = view_of(qtbot, desk)
    detail = reader.incoming_detail
    detail.ask_note = lambda title, note: "电话联系过，明天再催"
    with qtbot.waitSignal(detail.changed, timeout=2000):
        detail.annotate(1)
    with qtbot.waitSignal(detail.changed, timeout=2000):
        detail.set_item_state(0, ItemState.DROPPED)
    items = desk.handover(hid).items
    assert items[1].note == "电话联系过，明天再催" and ItemState(items[1].state) is ItemState.TODO
    assert ItemState(items[0].state) is ItemState.DROPPED
    assert desk.item_state_calls[-2:] == [(items[1].id, ItemState.TODO, "电话联系过，明天再催"),
                                          (items[0].id, ItemState.DROPPED, None)]


def test_the_author_reading_their_own_handover_has_no_acknowledge(qtbot):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    hid = send(qtbot, view)
    view.show_mode(HandoverView.HISTORY)
    assert view.history.model.rowCount() == 1
    assert view.history.detail.row.id == hid
    assert not view.history.detail.ack_button.isVisibleTo(view)


# -- history and the lead's view ------------------------------------------------------------------------
def test_history_search_and_filters(qtbot, qtmodeltester):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    view.editor.text.setPlainText("仓库今天盘点，注意核对库存")
    first = send(qtbot, view)
    sign_in_as(desk, desk.li)
    desk.add_conversation(9, 1, "晴天娃娃", "还有优惠吗", NOW - MIN, waiting_since=NOW - MIN)
    desk.hold(9, desk.li)
    li_view = view_of(qtbot, desk)
    li_view.editor.to_shift.setCurrentIndex(li_view.editor.to_shift.findData(desk.early))
    second = send(qtbot, li_view)
    sign_in_as(desk, desk.wang)
    view.show_mode(HandoverView.HISTORY)
    history = view.history
    qtmodeltester.check(history.model)
    ids = lambda: [history.model.row_at(r).id for r in range(history.model.rowCount())]  # noqa: E731
    assert ids() == [second, first]
    row = history.model.row_at(1)
    assert history.model.data(history.model.index(1, HandoversModel.AUTHOR)) == "小王 · 早班"
    assert history.model.data(history.model.index(1, HandoversModel.TO)) == "晚班"
    assert history.model.data(history.model.index(1, HandoversModel.ITEMS)) == f"{row.todo()}/3"
    assert history.model.data(history.model.index(1, HandoversModel.ACKS)) == "未确认"
    history.search.setText("核对")
    history.reload()
    assert ids() == [first]
    history.search.clear()
    history.author.setCurrentIndex(history.author.findData(desk.li))
    assert ids() == [second]
    history.author.setCurrentIndex(0)
    history.since.setDate(QDate(2026, 12, 3))
    assert ids() == []
    history.since.setDate(QDate(2026, 11, 26))
    for item_id in [it.id for it in desk.handover(second).items]:
        desk.set_item_state(item_id, ItemState.DONE).result()
    history.with_todo.setChecked(True)
    assert ids() == [first]


def test_the_team_tab_is_for_leads_who_see_acks_and_overdue_items(qtbot):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    hid = send(qtbot, view)
    assert not view.modes.isTabVisible(HandoverView.TEAM)
    sign_in_as(desk, desk.lead)
    later = NOW + 5 * 3600_000  # sent five hours ago: past the team's four overdue hours
    bridge = Bridge()
    lead = HandoverView(desk, bridge, clock=lambda: later)
    qtbot.addWidget(lead)
    lead.load()
    lead.set_lead(True)
    lead.show_mode(HandoverView.TEAM)
    report = lead.report
    assert report.model.rowCount() == 1 and report.model.row_at(0).id == hid
    assert report.model.data(report.model.index(0, HandoversModel.OVERDUE)) == "3"
    assert report.summary.text() == "1 份交接 · 1 份未确认 · 3 项逾期 · 0 个回访已过期"
    assert not report.detail.ack_button.isVisibleTo(lead)  # not addressed to the lead
    sign_in_as(desk, desk.li)
    desk.acknowledge_handover(hid).result()
    report.reload()
    assert report.model.data(report.model.index(0, HandoversModel.ACKS)).startswith("小李 ")
    assert report.summary.text().startswith("1 份交接 · 0 份未确认")


# -- export ---------------------------------------------------------------------------------------------
def test_export_copies_saves_and_prints_to_pdf(qtbot, tmp_path):
    desk = handover_desk()
    view = view_of(qtbot, desk)
    hid = send(qtbot, view)
    view.show_mode(HandoverView.HISTORY)
    exporter: HandoverExporter = view.history.detail.exporter
    assert exporter.copy(markdown=True)
    text = QGuiApplication.clipboard().text()
    assert text.startswith("## 交接班 · 小王") and "### 待回复会话（1）" in text and "- [ ] tb\\_小橘子" in text
    assert exporter.copy(markdown=False)
    assert QGuiApplication.clipboard().text().startswith("【交接班 · 小王")
    exporter.ask_path = lambda suggested, suffix: str(tmp_path / suggested)
    saved = exporter.save(markdown=True)
    assert saved is not None and saved.endswith(".md") and "交接-小王-" in saved
    assert open(saved, encoding="utf-8").read() == desk.handover_text(hid, markdown=True)
    pdf = tmp_path / "handover.pdf"
    exporter.make_printer = lambda: pdf_printer(pdf)  # never a real print dialog in a test
    assert exporter.print_()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    # the draft being written exports too (id 0: the row itself goes to the core)
    assert view.editor.exporter.text(markdown=False).startswith("【交接班 · 小王")


def test_print_support_is_there_for_the_bundle():
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # noqa: F401

    spec = open("build.spec", encoding="utf-8").read()
    assert '"PySide6.QtPrintSupport"' in spec  # named for PyInstaller, never excluded
    assert "PySide6.QtPrintSupport\", \"PySide6" not in spec.split("excludes = [")[1].split("]")[0]


# -- follow-up promises ------------------------------------------------------------------------------
def follow_up_dialog(qtbot, desk: FakeDesk, cid: int = 1) -> FollowUpDialog:  # type: ignore[no-untyped-def]
    bridge = Bridge()
    dialog = FollowUpDialog(desk, bridge, desk.conversation_rows([cid])[cid], clock=lambda: NOW)
    bridge.setParent(dialog)
    qtbot.addWidget(dialog)
    return dialog


def test_follow_up_quick_times_and_who_is_reminded(qtbot):
    desk = handover_desk()
    dialog = follow_up_dialog(qtbot, desk)
    assert dialog.due_for(dialog.SOON) == NOW + 30 * MIN
    assert dialog.due_for(dialog.BEFORE_END) == NOW + 25 * MIN  # 17:15, before 早班 ends at 17:30
    tomorrow = datetime.fromtimestamp(NOW / 1000) + timedelta(days=1)
    assert dialog.due_for(dialog.TOMORROW) == int(tomorrow.replace(hour=9, minute=0, second=0).timestamp() * 1000)
    assert dialog.before_end.text() == "下班前（早班）"
    assert dialog.next_seat.text() == "下一班次的同事（晚班 17:00–23:00）"
    assert not dialog.existing.isVisibleTo(dialog)
    dialog.before_end.setChecked(True)
    dialog.note.setText("回电确认新地址")
    dialog.next_seat.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    assert desk.follow_up_calls == [(1, NOW + 25 * MIN, "回电确认新地址", None)]
    # it is in my next draft, and the next dialog on this chat lists it with "done"
    assert K.FOLLOW_UP in kinds(desk.draft_handover().items)
    again = follow_up_dialog(qtbot, desk)
    assert again.existing.count() == 1 and again.existing.item(0).text().endswith("回电确认新地址")
    with qtbot.waitSignal(again.status_message, timeout=2000):
        again.complete_selected()
    assert desk.follow_up_rows[1].state == "done" and again.existing.count() == 0


def test_follow_up_custom_time_in_the_past_is_refused_and_no_shift_no_before_end(qtbot):
    desk = handover_desk()
    desk.delete_shift(desk.early).result()
    dialog = follow_up_dialog(qtbot, desk)
    assert not dialog.before_end.isEnabled() and dialog.due_for(dialog.BEFORE_END) is None
    dialog.custom.setChecked(True)
    dialog.custom_time.setDateTime(datetime.fromtimestamp((NOW - 5 * MIN) / 1000))
    assert dialog.save() is None
    assert dialog.error.text() == "这个时间已经过了，请选一个更晚的时间"
    dialog.custom_time.setDateTime(datetime.fromtimestamp((NOW + 90 * MIN) / 1000))
    assert dialog.custom.isChecked()
    dialog.me.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    assert desk.follow_up_calls == [(1, NOW + 90 * MIN, "", desk.wang)]


def test_reminders_ring_once_for_a_due_follow_up_and_before_the_shift_ends(qtbot):
    desk = handover_desk()
    clock = [NOW]
    reminders = HandoverReminders(desk, clock=lambda: clock[0])
    due, ending = [], []
    reminders.follow_up_due.connect(due.append)
    reminders.shift_ending.connect(lambda shift, end: ending.append((shift.name, end)))
    desk.add_follow_up(1, NOW + 10 * MIN, "回电确认新地址", desk.wang).result()
    desk.add_follow_up(2, NOW + 5 * MIN, "我答应下一班跟进", None).result()  # mine, for the next shift
    reminders.check()
    assert due == [] and ending == []  # 早班 ends in 40 minutes; the team reminds 15 before
    clock[0] = desk.handover_clock_ms = NOW + 26 * MIN
    reminders.check()
    reminders.check()
    assert [r.note for r in due] == ["回电确认新地址"]
    end = int(datetime(2026, 12, 2, 17, 30, tzinfo=TZ).timestamp() * 1000)
    assert ending == [("早班", end)]
    title, body = reminders.reminder_text(due[0], clock[0])
    assert title == "回访提醒：tb_小橘子 · 棉麻生活馆" and body.endswith("：回电确认新地址")


# -- shifts --------------------------------------------------------------------------------------------
def test_shifts_dialog_creates_edits_and_deletes_shifts(qtbot):
    desk = handover_desk()
    bridge = Bridge()
    dialog = ShiftsDialog(desk, bridge)
    bridge.setParent(dialog)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    assert dialog.list.item(0).text() == "早班  08:30–17:30 · 每天\n小王"
    dialog.new_button.click()
    dialog.name.setText("夜班")
    dialog.start.setTime(dialog.start.time().fromString("22:00", "HH:mm"))
    dialog.end.setTime(dialog.end.time().fromString("06:00", "HH:mm"))
    assert dialog.overnight.text() == "次日下班"
    for d in (5, 6):
        dialog.days[d].setChecked(False)
    for i in range(dialog.seats.count()):
        if dialog.seats.item(i).text() == "小李":
            dialog.seats.item(i).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.status_message, timeout=2000):
        dialog.save()
    night = next(s for s in desk.shifts() if s.name == "夜班")
    assert (night.start, night.end, night.weekdays, night.seat_ids) == ("22:00", "06:00", frozenset(range(5)),
                                                                        frozenset({desk.li}))
    assert dialog.current_id() == night.id
    assert dialog.list.currentItem().text() == "夜班  22:00–次日 06:00 · 一–五\n小李"
    # a name taken is refused with the core's reason
    dialog.name.setText("早班")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=2000)
    assert "早班" in dialog.error.text()
    dialog.confirm = lambda _text: True
    dialog.delete_current()
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=2000)
    assert [s.name for s in desk.shifts()] == ["早班", "晚班"]


# -- in the window ---------------------------------------------------------------------------------------
def hhmm(dt: datetime) -> str:
    return dt.strftime("%H:%M")


def live_desk() -> FakeDesk:
    """handover_desk on the wall clock: 小王's shift started an hour ago, 小李's starts later."""
    now = datetime.now(TZ)
    desk = handover_desk(int(now.timestamp() * 1000))
    for attr in ("handover_clock_ms", "seat_clock_ms", "clock_ms", "dunning_clock_ms", "remark_clock_ms"):
        setattr(desk, attr, None)
    desk.save_shift("早班", hhmm(now - timedelta(hours=1)), hhmm(now + timedelta(hours=3)), range(7),
                    [desk.wang], desk.early).result()
    desk.save_shift("晚班", hhmm(now + timedelta(hours=2)), hhmm(now + timedelta(hours=8)), range(7),
                    [desk.li], desk.late).result()
    return desk


def window(qtbot, desk: FakeDesk) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(desk, muted=True)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    return w


def test_the_banner_at_sign_in_stays_until_acknowledged(qtbot):
    desk = live_desk()
    wang_view = view_of(qtbot, desk)
    hid = send(qtbot, wang_view)
    sign_in_as(desk, desk.li)
    desk.home_seat_id = desk.li
    w = window(qtbot, desk)
    banner: HandoverBanner = w.handover_banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=2000)
    assert banner.title.text() == "有 1 份交接等你确认"
    assert banner.detail.text().startswith("小王 ") and banner.detail.text().endswith("：3 项待办")
    banner.read_button.click()
    assert w.pages.currentIndex() == HANDOVER_PAGE
    assert w.handover_view.modes.currentIndex() == HandoverView.INCOMING
    assert w.handover_view.incoming_detail.row.id == hid
    w.handover_view.incoming_detail.acknowledge()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: w.handover_view.modes.tabText(HandoverView.INCOMING) == "交给我的", timeout=3000)


def test_alt6_the_page_and_links_open_the_chat_the_order_and_the_case(qtbot):
    desk = live_desk()
    w = window(qtbot, desk)
    assert not w.handover_banner.isVisible()
    qtbot.keyClick(w, Qt.Key.Key_6, Qt.KeyboardModifier.AltModifier)
    assert w.pages.currentIndex() == HANDOVER_PAGE and w.acts.show_handover.isChecked()
    assert w.pages.tabText(HANDOVER_PAGE) == "交接"
    tree = w.handover_view.editor.tree
    qtbot.waitUntil(lambda: len(tree.items()) == 3, timeout=2000)
    tree.itemActivated.emit(tree.tree_item(0), 0)
    assert w.pages.currentIndex() == 0 and w.chat.conversation_id == 1
    w.pages.setCurrentIndex(HANDOVER_PAGE)
    desk.add_order(2, order(20, 1, "unpaid", "WAIT_BUYER_PAY", "129.00", [("亚麻衬衫", 1, "129.00")],
                            created=desk.unpaid[20].created_at))
    tree.itemActivated.emit(tree.tree_item(1), 0)
    assert w.pages.currentIndex() == 1 and w.orders_view.current_order().id == 20
    w.pages.setCurrentIndex(HANDOVER_PAGE)
    from desktop.ui.case_dialog import CaseDialog

    tree.itemActivated.emit(tree.tree_item(2), 0)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(CaseDialog)), timeout=2000)


def test_ctrl_l_on_a_chat_opens_the_follow_up_dialog(qtbot):
    desk = live_desk()
    w = window(qtbot, desk)
    w.open_conversation(1)
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(FollowUpDialog)), timeout=2000)
    dialog = next(d for d in w.findChildren(FollowUpDialog) if d.isVisible())
    assert dialog.before_end.isEnabled()
    dialog.note.setText("回电")
    dialog.save()
    qtbot.waitUntil(lambda: len(desk.follow_up_rows) == 1, timeout=2000)
    assert w.chat.follow_up_button.text() == "回访…"


def test_reminders_reach_the_tray_status_bar_and_the_shift_end_bar(qtbot):
    desk = live_desk()
    w = window(qtbot, desk)
    desk.add_follow_up(1, int(datetime.now(TZ).timestamp() * 1000) - MIN, "回电确认新地址", desk.wang).result()
    w.notifier._sound_muted = w.notifier._tray_muted = False
    w.notifier.sound.play = lambda tone=None: True  # no real chime in a test
    w.reminders.check()
    assert w.notifier.popups[-1][0] == 1 and w.notifier.popups[-1][1] == "回访提醒：tb_小橘子 · 棉麻生活馆"
    assert w.statusBar().currentMessage().startswith("回访提醒：tb_小橘子")
    shift = desk.current_shift()
    end = desk.shift_window(shift.id)[1]
    w.reminders.shift_ending.emit(shift, end)
    assert w.shift_end_bar.isVisible() and w.shift_end_bar.title.text().startswith("早班 ")
    w.shift_end_bar.write_button.click()
    assert w.pages.currentIndex() == HANDOVER_PAGE and not w.shift_end_bar.isVisible()


def test_hand_over_and_release_from_the_seat_menu(qtbot):
    desk = live_desk()
    w = window(qtbot, desk)
    w.handover_view.load()
    w.handover_view.editor.confirm = lambda _text: True
    w.acts.hand_over_release.trigger()
    qtbot.waitUntil(lambda: desk.sent_handover_calls != [], timeout=2000)
    assert desk.sent_handover_calls[0][1] is True
    qtbot.waitUntil(lambda: all(desk.convs[c].seat_id == desk.li for c in (1, 2, 3)), timeout=2000)


@pytest.mark.parametrize("name", ["show_handover", "follow_up"])
def test_new_shortcuts_clash_with_nothing(qtbot, name):
    desk = handover_desk()
    w = MainWindow(desk, muted=True, autoload=False)
    qtbot.addWidget(w)
    mine = getattr(w.acts, name).shortcuts()[0].toString()
    others = [a for a in w.actions() if a is not getattr(w.acts, name)
              and mine in [k.toString() for k in a.shortcuts()]]
    assert mine in ("Alt+6", "Ctrl+L") and others == []


def test_a_carried_item_whose_thing_is_over_comes_ticked_by_the_system(qtbot):
    desk = handover_desk()
    send(qtbot, view_of(qtbot, desk))
    desk.update_conversation(1, waiting_since=None)  # someone answered tb_小橘子 meanwhile
    sign_in_as(desk, desk.li)
    reader = view_of(qtbot, desk)
    items = reader.editor.tree.items()
    chat = next(it for it in items if it.kind is K.CHAT)
    assert ItemState(chat.state) is ItemState.DONE and chat.done_by == "系统"
    row = reader.editor.tree.tree_item(items.index(chat))
    assert row.text(HandoverItemsTree.STATE).startswith("系统 ")


def test_a_lead_sets_the_team_handover_settings_in_the_shifts_dialog(qtbot):
    desk = handover_desk()
    bridge = Bridge()
    dialog = ShiftsDialog(desk, bridge)
    bridge.setParent(dialog)
    qtbot.addWidget(dialog)
    assert (dialog.remind_minutes.value(), dialog.overdue_hours.value(), dialog.follow_up_tag.text(),
            dialog.timezone.currentText()) == (15, 4, "待跟进", "Asia/Shanghai")
    dialog.timezone.setCurrentText("Mars/Olympus")
    dialog.save_rules()
    qtbot.waitUntil(lambda: dialog.rules_message.isVisibleTo(dialog), timeout=2000)
    assert dialog.rules_message.text().startswith("无法保存设置") and "Mars/Olympus" in dialog.rules_message.text()
    dialog.timezone.setCurrentText("Asia/Shanghai")
    dialog.remind_minutes.setValue(30)
    dialog.follow_up_tag.setText(" 回访 ")
    dialog.save_rules()
    qtbot.waitUntil(lambda: desk.handover_settings().remind_minutes == 30, timeout=2000)
    assert desk.handover_settings().follow_up_tag == "回访"
    assert HandoverReminders(desk).remind_minutes == 30


def test_in_team_mode_only_a_lead_edits_shifts(qtbot, monkeypatch):
    desk = handover_desk()
    monkeypatch.setattr(desk, "team_mode", True)
    dialog = ShiftsDialog(desk, Bridge())
    qtbot.addWidget(dialog)
    assert dialog.lead_only.isVisibleTo(dialog) and not dialog.save_button.isEnabled()
    assert not dialog.rules.isEnabled() and dialog.list.count() == 2  # reading is fine
    sign_in_as(desk, desk.lead)
    lead = ShiftsDialog(desk, Bridge())
    qtbot.addWidget(lead)
    assert not lead.lead_only.isVisibleTo(lead) and lead.save_button.isEnabled() and lead.rules.isEnabled()
