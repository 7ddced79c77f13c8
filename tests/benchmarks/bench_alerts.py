"""What alerts and Ctrl+J cost on the GUI thread, at 20,000 and 100,000 conversations.

Per size, the median ms of: the badge recount (buyers waiting for this seat:
its own + the queue, two counts), Ctrl+J's pick of the longest-waiting buyer,
and the notifier's relevance read for a burst of 20 buyer messages (one
conversation_rows call). The baseline, measured in the same run, is the count
the inbox itself runs after every structure change (all open conversations).
Prints one JSON list (`--json` accepted for symmetry); never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _data import build_inbox_db  # noqa: E402


class SignedIn:
    """The desk's reads (desktop/core/desk.py hands them to core.queries) as seat 1
    sees them: a third of the chats are its own."""

    def __init__(self, db: Any, registry: Any) -> None:
        from desktop.core import queries

        self._q, self._db, self._registry = queries, db, registry
        self.seat_id = 1

    def count_conversations(self, flt: Any) -> int:
        return int(self._q.count_conversations(self._db, flt))

    def conversation_ids(self, flt: Any, limit: int | None = None, offset: int = 0) -> list[int]:
        return list(self._q.conversation_ids(self._db, flt, limit, offset))

    def conversation_rows(self, ids: Any) -> dict[int, Any]:
        return dict(self._q.conversation_rows(self._db, self._registry, ids))


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="20000,100000")
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("--json", action="store_true", help="(the output is always JSON)")
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 - the notifier is a QObject
    from desktop.core.db import open_database, sqlite_url
    from desktop.core.registry import Registry
    from desktop.core.views import InboxFilter
    from desktop.ui.notifier import Notifier, next_waiting, waiting_for_me

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            data_dir = Path(tmp) / str(n)
            path = build_inbox_db(data_dir, n)
            import sqlite3

            con = sqlite3.connect(path, isolation_level=None)
            con.execute("INSERT INTO seats(id, name, display_name, role) VALUES (1, 'bench', '坐席', 'agent')")
            con.execute("UPDATE conversations SET seat_id = 1 WHERE id % 3 = 0")
            con.close()
            db = open_database(sqlite_url(data_dir))
            desk = SignedIn(db, Registry.discover(["sandbox-tb", "sandbox-dy"]))
            notifier = Notifier(muted=True)
            notifier.attach(desk)
            burst = [(cid, "买家", "在吗") for cid in range(1, n, max(1, n // 20))][:20]
            results.append({
                "rows": n,
                "badge_recount_ms": median_ms(lambda: waiting_for_me(desk), args.rounds),
                "next_waiting_ms": median_ms(lambda: next_waiting(desk), args.rounds),
                "relevance_20_messages_ms": median_ms(lambda: notifier.relevant(burst), args.rounds),
                "baseline_inbox_count_ms": median_ms(
                    lambda: desk.count_conversations(InboxFilter()), args.rounds),
            })
            db.dispose()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
