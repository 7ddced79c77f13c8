"""Take the README screenshot: the real app on `--demo`, a chat open, saved as PNG.

Usage: python scripts/screenshot.py OUT.png [zh_CN|en]   (QT_QPA_PLATFORM=offscreen or xvfb-run)
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
    show = MainWindow.show

    def show_then_snap(window: MainWindow) -> None:
        show(window)

        def open_first() -> None:
            window.inbox.focus_list()
            window.inbox.step(+1)

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
