"""Team mode: how fast a change notice fans out from one seat's app to the others.

Three headless engines (`seatdesk engine --db … --print-notices`) share one PostgreSQL
and sync a sandbox (`seatdesk sandbox serve`, 4 shops, 40 buyer messages per second).
Each new buyer message is printed as a local notice by the engine syncing its shop and
as a remote one by the other two; latency = remote print time minus local print time
(wall clock, one machine), over every (message, other engine) pair. `missed` counts
pairs never seen remotely. Baseline, same run and server: a bare psycopg NOTIFY →
LISTEN round trip between two connections of one process. PostgreSQL comes from
SEATDESK_TEST_PG_URL or scripts/test-postgres.sh, as for the tests.
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
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "desktop.core.secrets.MemoryKeyring")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "team"))

from teamkit import EngineProcess, Sandbox, fresh_database, wait_until  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def pg_server_url() -> str:
    url = os.environ.get("SEATDESK_TEST_PG_URL")
    if url:
        return url
    done = subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres.sh")],
                          capture_output=True, text=True, timeout=180, check=True)
    return done.stdout.strip().splitlines()[-1]


def bare_round_trips(url: str, samples: int) -> list[float]:
    """NOTIFY on one connection → the LISTENing other receives it; ms each, one at a time."""
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    received = threading.Event()
    times: list[float] = []
    with psycopg.connect(conninfo, autocommit=True) as listener, \
            psycopg.connect(conninfo, autocommit=True) as sender:
        listener.execute("LISTEN bench")
        stop = threading.Event()

        def listen() -> None:
            while not stop.is_set():
                for _ in listener.notifies(timeout=0.1):
                    times.append(time.perf_counter())
                    received.set()

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        out = []
        for n in range(samples):
            received.clear()
            sent = time.perf_counter()
            sender.execute("SELECT pg_notify('bench', %s)", (str(n),))
            received.wait(5)
            out.append((times[-1] - sent) * 1000)
        stop.set()
        thread.join()
    return out


def fanout(engines: list[EngineProcess], since: float, until: float) -> tuple[list[float], int]:
    """Latencies (ms) of buyer messages first printed locally in [since, until), and how
    many (message, other engine) pairs never printed them."""
    local: dict[tuple[Any, ...], tuple[str, float]] = {}
    ambiguous: set[tuple[Any, ...]] = set()
    remote: dict[str, dict[tuple[Any, ...], float]] = {e.name: {} for e in engines}
    for engine in engines:
        for line in engine.lines("notice"):
            for entry in line["notice"].get("buyer_messages", ()):
                key = tuple(entry)
                if not line["remote"]:
                    if key in local:
                        ambiguous.add(key)  # the same words again in that chat: cannot pair
                    local[key] = (engine.name, line["t"])
                else:
                    remote[engine.name].setdefault(key, line["t"])
    latencies, missed = [], 0
    for key, (owner, at) in local.items():
        if key in ambiguous or not since <= at < until:
            continue
        for engine in engines:
            if engine.name == owner:
                continue
            seen = remote[engine.name].get(key)
            if seen is None:
                missed += 1
            else:
                latencies.append((seen - at) * 1000)
    return latencies, missed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    ap.add_argument("--shops", type=int, default=4)
    ap.add_argument("--rate", type=float, default=40)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--baseline-samples", type=int, default=500)
    args = ap.parse_args()

    from desktop.core.db import open_database

    with fresh_database(pg_server_url()) as url, tempfile.TemporaryDirectory() as tmp:
        open_database(url).dispose()  # migrate once; the engines then start together
        baseline = bare_round_trips(url, args.baseline_samples)
        sandbox = Sandbox(shops=args.shops, rate=args.rate, seed=51)
        engines = [EngineProcess(f"engine{i}", url, sandbox.url, Path(tmp) / f"engine{i}")
                   for i in range(3)]
        try:
            wait_until(lambda: all(e.synced is not None for e in engines)
                       and len(frozenset().union(*(e.synced or () for e in engines))) == args.shops,
                       60)
            time.sleep(2)  # warm-up: first pulls and their backlog
            since = time.time()
            time.sleep(args.seconds)
            until = time.time()
            time.sleep(2)  # late arrivals still count
            latencies, missed = fanout(engines, since, until)
        finally:
            for engine in engines:
                engine.stop()
            sandbox.stop()
    print(json.dumps({
        "bench": "fanout", "engines": len(engines), "shops": args.shops,
        "sandbox_rate": args.rate, "samples": len(latencies), "missed": missed,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 2) if latencies else None,
        "baseline_notify_listen_ms_p50": round(statistics.median(baseline), 3),
        "baseline_notify_listen_ms_p99": round(percentile(baseline, 99), 3),
    }))


if __name__ == "__main__":
    main()
