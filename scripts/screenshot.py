"""Take the README screenshot: the real app on `--demo`, a chat open, saved as PNG.

Usage: python scripts/screenshot.py OUT.png [zh_CN|en]
       [chats|orders|cases|team|transfer|keys|alerts|search|unpaid|autoreply|report|deadline|
        handover|handover-in|followup|shifts]
(QT_QPA_PLATFORM=offscreen or xvfb-run). The open buyer gets two tags and a group,
as an agent would give them. For `team` (the lead's console) a few colleagues' seats
are added, as a lead would set them up; `transfer` hands the open chat to 小李 with a
reason and shows the transfer dialog over the next one; `keys` shows the shortcut
remapping page (a clash named), `alerts` the notification settings with a lunch break.
`handover` is my handover draft near the end of 早班 (shifts set up as a lead would, around
now), `handover-in` a colleague's handover waiting for my acknowledgement, `followup` the
follow-up dialog on the open chat, `shifts` the shifts and roster dialog.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from desktop import app as seatdesk
from desktop.ui.mainwindow import MainWindow


COLLEAGUES = (  # display name, sign-in name, groups, cap, status
    ("小李", "li", ("售前",), 8, "online"),
    ("小张", "zhang", ("售后",), 3, "busy"),
    ("阿May", "may", ("售前", "售后"), 10, "away"),
    ("老周", "zhou", ("售后",), 6, "online"),  # its app is not running: shows as disconnected
)


def add_colleagues(window: MainWindow) -> None:
    from desktop.core.routing import SeatStatus
    from desktop.core.views import SeatProfile

    desk = window.desk
    known = {row.profile.name: row.id for row in desk.seats()}  # the demo's own colleagues
    for display, name, groups, cap, status in COLLEAGUES:
        def then(future: object, status: str = status) -> None:
            desk.set_seat_status(future.result(), SeatStatus(status))  # type: ignore[attr-defined]
        profile = SeatProfile(name, display, groups=groups, max_chats=cap)
        window.bridge.when_done(desk.save_seat(profile, known.get(name)), then)


def beat_for_colleagues(window: MainWindow) -> None:
    """No colleague's app runs in the demo: beat for all but the last, so routing and the
    board see them connected (and one seat whose app has quit); then move a few queued
    chats to them, as a lead would."""
    from desktop.core import seats
    from desktop.core.clock import now_ms
    from desktop.core.views import InboxFilter

    desk = window.desk
    ids = {row.profile.name: row.id for row in desk.seats()}
    with desk._db.begin() as conn:  # the demo's own store: no Desk call beats for another seat
        for _display, name, *_rest in COLLEAGUES[:-1]:
            if name in ids:
                seats.heartbeat(conn, ids[name], now_ms())
    queued = list(desk.conversation_rows(desk.conversation_ids(InboxFilter(queue=True), limit=9)).values())
    for (_display, name, *_rest), chats in zip(COLLEAGUES, (queued[0:3], queued[3:5], queued[5:6], queued[6:8])):
        if name in ids and chats:
            desk.transfer({c.id: c.assign_version for c in chats}, to_seat_id=ids[name])


def hand_over(window: MainWindow) -> None:
    """转接 the open chat to 小李 with a reason (its banner then says so), and open the
    transfer dialog for the chat below it, a seat picked by typing and a reason chosen."""
    desk = window.desk
    cid = window.chat.conversation_id
    li = next((row.id for row in desk.seats() if row.profile.name == "li"), None)
    if cid is None or li is None:
        return
    row = desk.conversation_rows([cid])[cid]
    done = desk.transfer({cid: row.assign_version}, to_seat_id=li, reason="售后问题转售后", return_minutes=10)
    window.bridge.when_done(done, lambda _f: window.chat.refresh_holder())
    window.inbox.set_scope("all")
    below = window.inbox.model.id_at((window.inbox.model.row_of(cid) or 0) + 1)
    if below is not None:
        window.transfer_conversations(list(desk.conversation_rows([below]).values()))
        dialog = window.transfer_dialog
        if dialog is not None:
            dialog.choose_seat(li)
            dialog.preset_buttons[2].click()


def open_settings(window: MainWindow, mode: str) -> None:
    """The shortcut page with a clash named, or the alert settings with a lunch break."""
    from desktop.ui.alert_rules import QUIET, MuteRange, Schedule
    from desktop.ui.alerts_dialog import AlertsDialog
    from desktop.ui.shortcuts_dialog import KeymapDialog

    if mode == "keys":
        window.customize_keys()
        dialog = window.findChild(KeymapDialog)
        if dialog is not None:
            dialog.select("next_waiting")
            dialog.try_key("next_waiting", "Ctrl+E")
    else:
        window.notifier.set_schedule(Schedule((MuteRange(QUIET, 12 * 60, 13 * 60),)))
        window.show_alert_settings()
        alerts = window.findChild(AlertsDialog)
        if alerts is not None:
            alerts.range_list.setCurrentRow(0)


def quick_reply(window: MainWindow, mode: str) -> None:
    """`picker`: "/yj" typed in the reply box (the bargaining phrase on top); `redline`: a
    reply with a WeChat id stopped on Enter; `library`: the quick-reply library."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    chat = window.chat
    chat.focus_composer()
    if mode == "library":
        window.show_phrases()
        dialog = window.phrases_dialog
        if dialog is not None:
            dialog.filter.setText("yj")
            group = dialog.tree.topLevelItem(0)
            if group is not None and group.childCount():
                dialog.tree.setCurrentItem(group.child(0))
        return
    if mode == "picker":
        chat.composer.insertPlainText("好的 /yj")
        return
    chat.composer.insertPlainText("亲，图片不清楚的话加我微信 shop_8888，发您实拍视频")
    enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(chat.composer, enter)


def open_search(window: MainWindow) -> None:
    """Ctrl+K with 退款 typed: the messages of every shop, buyers, orders, remarks."""
    window.show_search()
    dialog = window.search_dialog
    if dialog is not None:
        dialog.box.setText("退款")
        dialog.search_now()


def clocks_and_dunning(window: MainWindow, mode: str) -> None:
    """`unpaid`: the dunning page, one buyer dunned and dunned again (refused, with the
    reason); `autoreply`: the auto-reply settings of the open chat's shop; `report`: a few
    waiting buyers answered, then the response-time report; `deadline`: the inbox sorted
    by reply deadline."""
    from desktop.core.views import InboxFilter

    if mode == "unpaid":
        view = window.dunning_view
        view.unpaid_table.selectRow(0)
        view.dun_selected()
        QTimer.singleShot(600, lambda: (view.unpaid_table.selectRow(0), view.dun_selected()))
    elif mode == "autoreply":
        window.show_auto_replies()
    elif mode == "report":
        desk = window.desk
        for cid in desk.conversation_ids(InboxFilter(queue=False), limit=4):
            if desk.conversation_rows([cid])[cid].waiting_since is not None:
                desk.send_message(cid, "在的亲，马上为您查询～")
        QTimer.singleShot(700, window.show_response_times)
    elif mode == "deadline":
        window.inbox.set_sort("deadline")


def set_up_shifts(window: MainWindow) -> None:
    """早班 from 7 h ago to 25 min from now with this seat on it, 晚班 from 35 min ago with
    小李 and 小张, in the team's zone, as a lead would set them (the demo has none)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    desk = window.desk
    now = datetime.now(ZoneInfo(desk.handover_settings().timezone))
    ids = {row.profile.name: row.id for row in desk.seats()}
    me = desk.seat_id
    late = [ids[n] for n in ("li", "zhang") if n in ids]
    hhmm = lambda dt: dt.strftime("%H:%M")  # noqa: E731
    desk.save_shift("早班", hhmm(now - timedelta(hours=7)), hhmm(now + timedelta(minutes=25)), range(7),
                    [me] if me is not None else [])
    desk.save_shift("晚班", hhmm(now - timedelta(minutes=35)), hhmm(now + timedelta(hours=6)), range(7), late)


def handover(window: MainWindow, mode: str) -> None:
    """`handover`: my draft, annotated, a free item added, the free text written;
    `handover-in`: 小李's handover to me, the banner over the page; `followup`: the dialog
    on the open chat; `shifts`: the shifts and roster dialog."""
    from dataclasses import replace

    from desktop.ui.handover_view import HandoverView
    from desktop.ui.mainwindow import HANDOVER_PAGE

    desk = window.desk
    if mode == "followup":
        if window.chat.conversation_id is not None:
            window.follow_up(window.chat.conversation_id)
        return
    if mode == "shifts":
        window.handover_view.show_shifts()
        return
    if mode == "handover-in":
        li = next((row.id for row in desk.seats() if row.profile.name == "li"), None)
        if li is None or desk.seat_id is None:
            return
        draft = desk.draft_handover(li)
        draft = replace(draft, to_seat_ids=frozenset({desk.seat_id}),
                        text="今天退款多，注意核对颜色和尺码\n仓库 17:00 后不再发货，加急单先备注", items=draft.items[:6])
        done = desk.save_handover(draft)
        window.bridge.when_done(done, lambda f: desk.send_handover(f.result()))
        QTimer.singleShot(800, lambda: window.show_handover())
        return
    window.pages.setCurrentIndex(HANDOVER_PAGE)
    view = window.handover_view
    view.show_mode(HandoverView.MINE)
    editor = view.editor
    editor.load()
    if editor.tree.items():
        first = editor.tree.tree_item(0)
        if first is not None:
            first.setText(1, "买家要改地址，已让他发新地址")
    editor.new_item.setText("快递明早 10 点来取件，加急单已备注")
    editor.add_note_item()
    editor.text.setPlainText("今天退款多，注意核对颜色\n仓库 17:00 后不再发货")


def with_dialog(window: MainWindow, shot: QPixmap) -> QPixmap:
    """The window's grab with the open transfer dialog painted where it sits."""
    from PySide6.QtWidgets import QDialog

    dialog = window.transfer_dialog or next(
        (d for d in window.findChildren(QDialog) if d.isVisible()), None)
    if dialog is not None and dialog.isVisible():
        painter = QPainter(shot)
        pos = window.mapFromGlobal(dialog.frameGeometry().topLeft())
        if not window.rect().contains(pos):  # offscreen: no window manager placed it
            pos = QPoint((window.width() - dialog.width()) // 2, (window.height() - dialog.height()) // 2)
        painter.drawPixmap(pos, dialog.grab())
        painter.setPen(QColor("#9aa1ab"))  # the frame a window manager would draw
        painter.drawRect(QRect(pos, dialog.size()).adjusted(-1, -1, 0, 0))
        painter.end()
    return shot


def main() -> int:
    out = Path(sys.argv[1])
    lang = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    mode = sys.argv[3] if len(sys.argv) > 3 else "chats"
    transfer = mode == "transfer"  # the chats page, with seats, a hand-over and the dialog
    settings = mode in ("keys", "alerts")  # the chats page under a settings dialog
    phrases = mode in ("picker", "redline", "library")  # quick replies and red lines (issue 5)
    searching = mode == "search"  # Ctrl+K over the chats page, "退款" typed (issue 5)
    clocks = mode in ("unpaid", "autoreply", "report", "deadline")  # issue 5
    handing = mode in ("handover", "handover-in", "followup", "shifts")  # issue 6
    page = ("chats", "orders", "cases", "team", "unpaid").index(
        "chats" if transfer or settings or phrases or searching or handing
        or mode in ("autoreply", "deadline") else "team" if mode == "report" else mode)
    show = MainWindow.show

    def show_then_snap(window: MainWindow) -> None:
        show(window)

        def open_first() -> None:
            window.inbox.focus_list()
            window.inbox.step(+1)
            profile = window.buyer.profile
            if profile is not None:
                window.desk.add_labels([profile.buyer_id], "tag", ["老客", "42码"])
                window.desk.add_labels([profile.buyer_id], "group", ["护肤线"])
            window.pages.setCurrentIndex(page)

        def snap() -> None:
            with_dialog(window, window.grab()).save(str(out))
            QApplication.quit()

        if page == 3 or transfer or handing:
            QTimer.singleShot(4000, lambda: add_colleagues(window))
            QTimer.singleShot(5500, lambda: beat_for_colleagues(window))
        if transfer:
            QTimer.singleShot(6500, lambda: hand_over(window))
        if settings:
            QTimer.singleShot(6500, lambda: open_settings(window, mode))
        if phrases:
            QTimer.singleShot(6500, lambda: quick_reply(window, mode))
        if searching:
            QTimer.singleShot(6000, lambda: open_search(window))
        if clocks:
            QTimer.singleShot(6000, lambda: clocks_and_dunning(window, mode))
        if handing:
            QTimer.singleShot(5800, lambda: set_up_shifts(window))
            QTimer.singleShot(6500, lambda: handover(window, mode))
        QTimer.singleShot(5000, open_first)
        QTimer.singleShot(8000 if page == 3 or transfer or handing else 7000, snap)

    MainWindow.show = show_then_snap  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        return seatdesk.run_gui(Path(tmp) / "demo", None, demo=True, lang=lang, muted=True)


if __name__ == "__main__":
    sys.exit(main())
