"""Renders the main window over demo data to a PNG: `python tests/ui/shot.py out.png [en]`.

Not a test: a way to look at the UI (1280×800, offscreen, zh_CN unless `en`).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1])
    lang = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    QStandardPaths.setTestModeEnabled(True)  # do not touch the user's settings
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)

    from demo_desk import demo_desk

    from desktop.ui.application import create_application
    from desktop.ui.mainwindow import MainWindow

    app = create_application(sys.argv[:1], lang)
    desk = demo_desk(int(time.time() * 1000))
    window = MainWindow(desk, muted=True)
    window.resize(1280, 800)
    window.show()
    window.open_conversation(1)
    for _ in range(3):  # let delayed layouts and the scroll-to-end settle
        app.processEvents()
        time.sleep(0.05)
    window.grab().save(str(out))
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
