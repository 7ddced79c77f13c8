"""Take the README screenshot: the real app on `--demo`, a chat open, saved as PNG.

Usage: python scripts/screenshot.py OUT.png [zh_CN|en] [chats|orders|cases]
(QT_QPA_PLATFORM=offscreen or xvfb-run). The open buyer gets two tags and a group,
as an agent would give them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop import app as seatdesk
from desktop.ui.mainwindow import MainWindow


def main() -> int:
    out = Path(sys.argv[1])
    lang = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    page = ("chats", "orders", "cases").index(sys.argv[3] if len(sys.argv) > 3 else "chats")
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
            window.grab().save(str(out))
            QApplication.quit()

        QTimer.singleShot(5000, open_first)
        QTimer.singleShot(7000, snap)

    MainWindow.show = show_then_snap  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        return seatdesk.run_gui(Path(tmp) / "demo", None, demo=True, lang=lang, muted=True)


if __name__ == "__main__":
    sys.exit(main())
