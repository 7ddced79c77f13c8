"""Take the README screenshot: the real app on `--demo`, a chat open, saved as PNG.

Usage: python scripts/screenshot.py OUT.png [zh_CN|en] [chats|orders|cases|team|transfer]
(QT_QPA_PLATFORM=offscreen or xvfb-run). The open buyer gets two tags and a group,
as an agent would give them. For `team` (the lead's console) a few colleagues' seats
are added, as a lead would set them up; `transfer` hands the open chat to 小李 with a
reason and shows the transfer dialog over the next one.
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


def with_dialog(window: MainWindow, shot: QPixmap) -> QPixmap:
    """The window's grab with the open transfer dialog painted where it sits."""
    dialog = window.transfer_dialog
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
    page = ("chats", "orders", "cases", "team").index("chats" if transfer else mode)
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

        if page == 3 or transfer:
            QTimer.singleShot(4000, lambda: add_colleagues(window))
            QTimer.singleShot(5500, lambda: beat_for_colleagues(window))
        if transfer:
            QTimer.singleShot(6500, lambda: hand_over(window))
        QTimer.singleShot(5000, open_first)
        QTimer.singleShot(8000 if page == 3 or transfer else 7000, snap)

    MainWindow.show = show_then_snap  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        return seatdesk.run_gui(Path(tmp) / "demo", None, demo=True, lang=lang, muted=True)


if __name__ == "__main__":
    sys.exit(main())
