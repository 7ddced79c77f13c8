"""Reply clocks in the UI: "breaches in N s" / "overdue N s" / "due 08:03", the escalating
highlight, the deadline sort (button, Ctrl+Shift+D, remembered), automatic messages
marked in the chat, and the lead's response-time report."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta, timezone

from fake_desk import FakeDesk
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.core.views import ClockState, InboxFilter, InboxState, ResponseStatRow
from desktop.sdk import ReplyDeadline
from desktop.ui.bridge import Bridge
from desktop.ui.chat_panel import ChatPanel
from desktop.ui.inbox_delegate import ROW_HEIGHT, InboxDelegate
from desktop.ui.inbox_model import InboxModel
from desktop.ui.inbox_panel import InboxPanel
from desktop.ui.response_report import ResponseReportDialog, report_lines
from desktop.ui.team_console import TeamConsole
from desktop.ui.theme import Colors

BJ = timezone(timedelta(hours=8))
TB = ReplyDeadline(180, time(8, 0), time(23, 0))
SEC = 1000


def bj(day: int, hour: int, minute: int = 0, second: int = 0) -> int:
    return int(datetime(2026, 12, day, hour, minute, second, tzinfo=BJ).timestamp() * 1000)


def clock_desk() -> FakeDesk:
    """Shop 1 (sandbox-tb) counts 08:00–23:00 Beijing time, shop 2 has no rule."""
    desk = FakeDesk()
    desk.add_shop(1, "淘系店", "sandbox-tb", "沙箱·淘系", "#e4572e")
    desk.add_shop(2, "独立站", "shopify", "Shopify", "#2e86de")
    desk.deadline_rules = {1: TB}
    return desk


def row(desk: FakeDesk, cid: int):
    return desk.conversation_rows([cid])[cid]


def test_the_row_counts_down_to_the_platforms_deadline():
    desk = clock_desk()
    now = bj(7, 10, 2, 0)
    desk.add_conversation(1, 1, "买家甲", "在吗", bj(7, 10, 0), waiting_since=bj(7, 10, 0, 30))
    desk.add_conversation(2, 1, "买家乙", "有货吗", bj(7, 10, 0), waiting_since=bj(7, 9, 58, 18))
    desk.add_conversation(3, 1, "买家丙", "还在吗", bj(7, 10, 0), waiting_since=bj(7, 9, 59, 10))
    desk.add_conversation(4, 2, "buyer", "hi", bj(7, 10, 0), waiting_since=bj(7, 10, 0))
    delegate = InboxDelegate(clock=lambda: now)
    calm = delegate.row_texts(row(desk, 1))
    assert (calm.time, calm.clock) == ("90 秒后超时", ClockState.SOON)  # half the time gone
    late = delegate.row_texts(row(desk, 2))
    assert (late.time, late.clock) == ("已超时 42 秒", ClockState.OVERDUE)
    urgent = delegate.row_texts(row(desk, 3))
    assert (urgent.time, urgent.clock) == ("10 秒后超时", ClockState.URGENT)
    # a shop whose platform sets no deadline keeps the plain waiting time
    plain = delegate.row_texts(row(desk, 4))
    assert (plain.time, plain.clock) == ("等待 2分0秒", ClockState.NONE)
    assert delegate._tint(row(desk, 3)) == Colors.ROW_URGENT
    assert delegate._tint(row(desk, 2)) == Colors.ROW_OVERDUE
    assert delegate._tint(row(desk, 1)) is None


def test_overnight_the_row_says_when_the_clock_will_run_out():
    desk = clock_desk()
    desk.add_conversation(1, 1, "夜猫子", "在吗", bj(7, 23, 30), waiting_since=bj(7, 23, 30))
    texts = InboxDelegate(clock=lambda: bj(8, 1, 0)).row_texts(row(desk, 1))
    due = datetime.fromtimestamp(bj(8, 8, 3) / 1000).strftime("%H:%M")  # in the machine's zone
    assert (texts.time, texts.clock) == (f"{due} 前回复", ClockState.PENDING)
    # answered chats show no clock
    desk.update_conversation(1, waiting_since=None)
    assert InboxDelegate(clock=lambda: bj(8, 1, 0)).row_texts(row(desk, 1)).clock is ClockState.NONE


def test_escalated_rows_paint_their_tint(qtbot):
    desk = clock_desk()
    now = bj(7, 10, 5)
    desk.add_conversation(1, 1, "买家甲", "在吗", bj(7, 10, 0), waiting_since=bj(7, 10, 0))
    model = InboxModel(desk)
    model.set_filter(InboxFilter(InboxState.ALL))
    delegate = InboxDelegate(clock=lambda: now)
    image = QImage(340, ROW_HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 340, ROW_HEIGHT)
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0))
    painter.end()
    assert image.pixelColor(100, 2) == Colors.ROW_OVERDUE
    assert image.pixelColor(338, ROW_HEIGHT // 2) == Colors.WAIT_LATE  # the edge mark


def test_sorting_by_deadline_from_the_button_and_remembered(qtbot):
    desk = clock_desk()
    # shop 2 (no rule) waited longest; in shop 1 an overnight buyer came before a morning one
    desk.add_conversation(1, 2, "buyer", "hi", bj(8, 7, 0), waiting_since=bj(7, 20, 0))
    desk.add_conversation(2, 1, "夜猫子", "在吗", bj(7, 23, 30), waiting_since=bj(7, 23, 30))
    desk.add_conversation(3, 1, "早起", "有货吗", bj(8, 8, 1), waiting_since=bj(8, 8, 1))
    desk.add_conversation(4, 1, "已回复", "好的", bj(8, 8, 2))
    panel = InboxPanel(desk)
    qtbot.addWidget(panel)
    assert [panel.model.id_at(r) for r in range(4)] == [1, 2, 3, 4]  # longest wait first
    panel.sort_button.click()
    assert desk.id_calls[-1].sort == "deadline"
    # 08:01 is due 08:04; 23:30 is due 08:03; shop 2 has no deadline
    assert [panel.model.id_at(r) for r in range(4)] == [2, 3, 1, 4]
    assert QSettings().value("inbox/sort") == "deadline"
    again = InboxPanel(desk)
    qtbot.addWidget(again)
    assert again.sort == "deadline" and again.sort_button.isChecked()
    again.toggle_sort()
    assert again.model.filter.sort == "wait"


def test_ctrl_shift_d_toggles_the_deadline_sort_in_the_window(qtbot):
    from test_mainwindow import window

    desk = clock_desk()
    desk.add_conversation(1, 1, "买家甲", "在吗", bj(7, 10, 0), waiting_since=bj(7, 10, 0))
    w = window(qtbot, desk)
    assert w.inbox.sort == "wait"
    w.inbox.view.setFocus()
    qtbot.keyClick(w.inbox.view, Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.inbox.sort == "deadline" and w.inbox.sort_button.isChecked()
    assert w.acts.deadline_sort.isChecked()
    w.inbox.sort_button.click()
    assert not w.acts.deadline_sort.isChecked()
    keys = [k.toString() for k in w.acts.deadline_sort.shortcuts()]
    assert keys == ["Ctrl+Shift+D"]


def test_automatic_messages_are_marked_in_the_chat(qtbot):
    desk = clock_desk()
    desk.add_conversation(1, 1, "买家甲", "在吗", bj(7, 10, 0), waiting_since=bj(7, 10, 0))
    desk.add_message(1, "in", "在吗", bj(7, 10, 0))
    welcome = desk.add_message(1, "out", "您好，欢迎光临淘系店～", bj(7, 10, 0, 1), sender="")
    dunned = desk.add_message(1, "out", "亲，订单还没有付款哦", bj(7, 10, 1), sender="小王")
    desk.msgs[1][1] = replace(welcome, origin="welcome")
    desk.msgs[1][2] = replace(dunned, origin="dunning")
    panel = ChatPanel(desk, Bridge())
    qtbot.addWidget(panel)
    panel.open_conversation(1)
    metas = [panel.delegate.meta_text(panel.model.row_at(i)) for i in range(3)]
    assert metas[1].startswith("自动回复 · 欢迎语 · ✓ 已发送 · ")  # no sender for a robot
    assert metas[2].startswith("催付 · ✓ 已发送 · 小王")
    assert "自动" not in metas[0]


def stats() -> list[ResponseStatRow]:
    return [
        ResponseStatRow(7, "小王", 1, "淘系店", 2, 60_000, 3, 150_000, 3, 2),
        ResponseStatRow(7, "小王", 2, "独立站", 1, 20_000, 1, 20_000, 0, 0),
        ResponseStatRow(8, "小李", 1, "淘系店", 1, 200_000, 1, 200_000, 1, 0),
    ]


def test_report_lines_total_the_team_and_each_seat():
    lines = report_lines(stats(), "全团队", "（无坐席）")
    assert [(l.level, l.row.seat_name, l.row.shop_name) for l in lines] == [
        (0, "全团队", ""), (1, "小王", ""), (2, "小王", "淘系店"), (2, "小王", "独立站"),
        (1, "小李", ""), (2, "小李", "淘系店")]
    wang = lines[1].row
    assert (wang.first_replies, wang.first_avg_s, wang.replies, wang.in_time_rate) == \
        (3, 80 / 3, 4, 2 / 3)
    assert len({l.id for l in lines}) == len(lines)


def test_the_response_report_reads_the_chosen_period(qtbot, qtmodeltester):
    desk = clock_desk()
    desk.response_rows = stats()
    now = bj(8, 15, 0)
    dialog = ResponseReportDialog(desk, clock=lambda: now)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    today = int(datetime.fromtimestamp(now / 1000).replace(hour=0, minute=0, second=0,
                                                          microsecond=0).timestamp() * 1000)
    assert desk.stats_calls[-1] == (today, None)
    texts = [[dialog.model.data(dialog.model.index(r, c)) for c in range(7)]
             for r in range(dialog.model.rowCount())]
    assert texts[0][:2] == ["全团队", "全部店铺"]
    assert texts[2] == ["", "淘系店", "2", "30秒", "3", "50秒", "67% (2/3)"]
    assert texts[3][6] == "—"  # no deadline in that shop
    dialog.period.setCurrentIndex(1)  # yesterday
    assert desk.stats_calls[-1] == (today - 86_400_000, today)
    desk.response_rows = []
    dialog.period.setCurrentIndex(2)
    assert desk.stats_calls[-1][0] == today - 6 * 86_400_000
    assert dialog.empty.isVisibleTo(dialog) and "没有回复过" in dialog.empty.text()


def test_the_team_console_opens_the_report(qtbot):
    desk = clock_desk()
    console = TeamConsole(desk, Bridge())
    qtbot.addWidget(console)
    with qtbot.waitSignal(console.response_times_requested):
        console.report_button.click()
    assert console.report_button.text() == "响应时长…"
