"""Live latency: the sandbox emits a buyer message in an existing conversation →
that conversation's row is updated in the inbox model.

The sandbox runs as its own process (`seatdesk sandbox serve`, 20 shops,
200 buyer messages per second in all); this process runs what the app runs:
the engine thread (push long-polls, ingest), the bridge and the inbox model on
the Qt thread. Latency = the moment the model emits dataChanged for the row
minus the message's creation time in the sandbox (both wall clock, one machine).
Only conversations the model had already shown count ("existing").
Prints one JSON object; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "desktop.core.secrets.MemoryKeyring")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--shops", type=int, default=20)
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--warmup", type=float, default=5)
    args = ap.parse_args()

    sandbox = subprocess.Popen(
        [sys.executable, "-m", "desktop", "sandbox", "serve", "--shops", str(args.shops),
         "--rate", str(args.rate), "--seed", "21"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        hello = json.loads(sandbox.stdout.readline())  # type: ignore[union-attr]
        app = QApplication.instance() or QApplication([])
        from desktop.app import build_core, register_sandbox_shops
        from desktop.core.views import InboxFilter, InboxState
        from desktop.ui.bridge import Bridge
        from desktop.ui.inbox_model import InboxModel

        with tempfile.TemporaryDirectory() as tmp:
            core = build_core(Path(tmp), plugins=["sandbox-tb", "sandbox-dy"],
                              memory_secrets=True, start=False)
            register_sandbox_shops(core, hello["url"], hello["shops"])
            model = InboxModel(core.desk)
            model.WINDOW = 1_000_000  # every conversation in the model, as on a tall screen
            bridge = Bridge()
            bridge.notice_arrived.connect(model.apply_notice)
            bridge.listen(core.desk)
            model.set_filter(InboxFilter(InboxState.ALL))
            core.runner.start()

            seen: dict[int, int] = {}  # conversation → last_message_at the model showed
            latencies: list[float] = []
            measuring = {"on": False}

            def on_data_changed(top, bottom, _roles=()):  # type: ignore[no-untyped-def]
                now = time.time() * 1000
                for r in range(top.row(), bottom.row() + 1):
                    cid = model.id_at(r)
                    row = model.cached_row(cid) if cid is not None else None
                    if row is None:
                        continue
                    before = seen.get(cid)
                    if before is not None and row.last_message_at > before and measuring["on"]:
                        latencies.append(now - row.last_message_at)
                    seen[cid] = max(before or 0, row.last_message_at)

            def cache_all() -> None:  # what a view showing every row would do
                for r in range(model.rowCount()):
                    cid = model.id_at(r)
                    if cid is not None and cid not in seen:
                        row = model.data(model.index(r), InboxModel.RowRole)
                        if row is not None:
                            seen[cid] = row.last_message_at

            model.dataChanged.connect(on_data_changed)
            sweeper = QTimer()
            sweeper.timeout.connect(cache_all)
            sweeper.start(200)
            QTimer.singleShot(int(args.warmup * 1000), lambda: measuring.update(on=True))
            QTimer.singleShot(int((args.warmup + args.seconds) * 1000), app.quit)
            app.exec()
            measuring["on"] = False
            bridge.close()
            core.close()
    finally:
        sandbox.terminate()
        sandbox.wait(20)
    print(json.dumps({
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "msgs_per_s": round(len(latencies) / args.seconds, 1),
        "shops": args.shops,
        "samples": len(latencies),
        "sandbox_rate": args.rate,
    }))


if __name__ == "__main__":
    main()
