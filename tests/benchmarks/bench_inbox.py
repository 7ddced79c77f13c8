"""The merged inbox at 20,000 and 100,000 conversations, offscreen, against a bare baseline.

For each size: first paint (model over the store + the app's QTreeView and
delegate, shown and painted), a page scroll (scroll one page, repaint), and
1,000 change notices posted from another thread through the bridge, as the
engine does, until applied and repainted. The baseline is a bare QTreeView
over a plain in-memory list model of the same rows' text, measured in the
same run. The id query of the inbox's window (500 ids) is timed in the default
order (longest wait first) and sorted by the platforms' reply deadlines (half the
shops count 08:00–23:00 only), side by side. Prints one JSON list; never passes
or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import READS_ONLY, build_inbox_db  # noqa: E402
from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTreeView  # noqa: E402


class PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def until_painted(app: QApplication, widget, show) -> float:  # type: ignore[no-untyped-def]
    """ms from `show()` being called (after the model is built) to the first paint."""
    watch = PaintWatch()
    widget.viewport().installEventFilter(watch) if hasattr(widget, "viewport") else None
    start = time.perf_counter()
    show()
    while not watch.painted:
        app.processEvents()
    return (time.perf_counter() - start) * 1000


class PlainModel(QAbstractListModel):
    def __init__(self, rows: list[str]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()]
        return None


def scroll_page_ms(view: QTreeView, pages: int = 20) -> float:
    bar = view.verticalScrollBar()
    times = []
    for _ in range(pages):
        start = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_baseline(app: QApplication, texts: list[str]) -> float:
    start = time.perf_counter()
    view = QTreeView()
    view.setUniformRowHeights(True)
    view.setRootIsDecorated(False)
    view.setHeaderHidden(True)
    view.setModel(PlainModel(texts))
    view.resize(340, 900)
    built = (time.perf_counter() - start) * 1000
    shown = until_painted(app, view, view.show)
    view.close()
    return built + shown


def measure_ours(app: QApplication, desk, n: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from desktop.core.views import ChangeNotice
    from desktop.ui.bridge import Bridge
    from desktop.ui.inbox_panel import InboxPanel

    start = time.perf_counter()
    panel = InboxPanel(desk, autoload=False)
    panel.resize(340, 900)
    panel.load()  # the id query and the first page of rows
    built = (time.perf_counter() - start) * 1000
    first_paint = built + until_painted(app, panel.view, panel.show)
    scroll = scroll_page_ms(panel.view)

    # 1,000 notices from the engine thread: rows whose content changed (unread, preview)
    bridge = Bridge()
    bridge.notice_arrived.connect(panel.apply_notice)
    rng = random.Random(3)
    rows = panel.model.rowCount()
    for r in range(rows):  # the loaded window is cached, as after a scroll through it
        panel.model.data(panel.model.index(r), panel.model.RowRole)
    ids = [panel.model.id_at(r) for r in range(rows)]
    targets = [rng.choice(ids) for _ in range(1000)]
    start = time.perf_counter()
    sender = threading.Thread(target=lambda: [bridge.post_notice(
        ChangeNotice(conversations=frozenset({cid}))) for cid in targets])
    sender.start()
    sender.join()
    app.processEvents()
    panel.view.viewport().repaint()
    notices = (time.perf_counter() - start) * 1000
    panel.close()
    return {"first_paint_ms": first_paint, "scroll_page_ms": scroll, "notices_1000_ms": notices}


def ids_ms(desk, sort: str, runs: int = 15) -> float:  # type: ignore[no-untyped-def]
    """Median ms of the inbox's first id window (what the model asks on every re-placement)."""
    from desktop.core.views import InboxFilter

    flt = InboxFilter(sort=sort)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        desk.conversation_ids(flt, 500)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sizes", default="20000,100000")
    ap.add_argument("--rounds", type=int, default=3, help="median of this many runs per figure")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    from desktop.core.db import open_database, sqlite_url
    from desktop.core.desk import Desk
    from desktop.core.registry import Registry

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            data_dir = Path(tmp) / str(n)
            build_inbox_db(data_dir, n)
            db = open_database(sqlite_url(data_dir))
            desk = Desk(db, Registry.discover(["sandbox-tb", "sandbox-dy"]), READS_ONLY, "bench")  # type: ignore[arg-type]
            texts = [r.buyer_nick + " " + r.preview for r in
                     desk.conversation_rows(desk.conversation_ids(__import__(
                         "desktop.core.views", fromlist=["InboxFilter"]).InboxFilter())).values()]
            ours, base = [], []
            for _ in range(args.rounds):  # interleaved: the machine is noisy
                base.append(measure_baseline(app, texts))
                ours.append(measure_ours(app, desk, n))
            wait_ids, deadline_ids = ids_ms(desk, "wait"), ids_ms(desk, "deadline")
            db.dispose()
            results.append({
                "rows": n,
                "first_paint_ms": round(statistics.median(o["first_paint_ms"] for o in ours), 1),
                "baseline_first_paint_ms": round(statistics.median(base), 1),
                "scroll_page_ms": round(statistics.median(o["scroll_page_ms"] for o in ours), 2),
                "notices_1000_ms": round(statistics.median(o["notices_1000_ms"] for o in ours), 1),
                "ids_window_ms": round(wait_ids, 2),
                "ids_window_by_deadline_ms": round(deadline_ids, 2),
            })
    print(json.dumps(results))


if __name__ == "__main__":
    main()
