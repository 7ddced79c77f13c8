"""Start-up: process start → our main window shown, over a 20,000-conversation store.

Against a bare QMainWindow started the same way (a fresh Python process that
shows it and stamps the time), interleaved, warm (one unmeasured run of each
first). Also the time until the inbox holds rows, and our peak RSS.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import build_inbox_db  # noqa: E402

BASELINE = """
import json, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTreeView
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QTreeView()); w.resize(1280, 800); w.show()
QTimer.singleShot(0, lambda: (print(json.dumps({"stage": "shown", "t": time.time()}), flush=True),
                              app.quit()))
app.exec()
"""


def run(cmd: list[str], env: dict[str, str]) -> dict[str, dict[str, float]]:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    stages = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            stages[record["stage"]] = {"ms": (record["t"] - start) * 1000,
                                       "rss_mb": record.get("rss_mb", 0.0)}
    if "shown" not in stages:
        raise RuntimeError(f"no start-up stamp from {cmd}: {out.stderr[-2000:]}")
    return stages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--conversations", type=int, default=20_000)
    args = ap.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               SEATDESK_STARTUP_PROBE="1")
    env.setdefault("PYTHON_KEYRING_BACKEND", "desktop.core.secrets.MemoryKeyring")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "store"
        build_inbox_db(data, args.conversations)
        ours_cmd = [sys.executable, "-m", "desktop", "--data-dir", str(data), "--mute"]
        base_cmd = [sys.executable, "-c", BASELINE]
        run(ours_cmd, env), run(base_cmd, env)  # warm the page cache
        ours, base = [], []
        for _ in range(args.runs):
            ours.append(run(ours_cmd, env))
            base.append(run(base_cmd, env))
    print(json.dumps({
        "first_window_ms": round(statistics.median(r["shown"]["ms"] for r in ours)),
        "baseline_window_ms": round(statistics.median(r["shown"]["ms"] for r in base)),
        "inbox_rows_ms": round(statistics.median(r["loaded"]["ms"] for r in ours if "loaded" in r)),
        "rss_mb_20k": round(max(r["loaded"]["rss_mb"] for r in ours if "loaded" in r), 1),
        "conversations": args.conversations,
    }))


if __name__ == "__main__":
    main()
