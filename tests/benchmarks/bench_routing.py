"""Routing decisions with 200 seats and 5,000 open chats waiting.

`decide_ms`: one decision (affinity check, group filter, least-loaded pick) over 200
seats, median of 5,000; `drain_ms`: assigning a queue of 5,000 chats in order.
Baseline, same run: a bare `min()` over the 200 seats by load. Prints one JSON
object; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.core.routing import (  # noqa: E402
    ChatToRoute,
    RoutingRules,
    SeatSnapshot,
    SeatStatus,
    Stage,
    decide,
    drain_queue,
)

NOW = 1_800_000_000_000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    ap.parse_args()
    rng = random.Random(3)
    statuses = [SeatStatus.ONLINE] * 6 + [SeatStatus.BUSY, SeatStatus.AWAY, SeatStatus.SUSPENDED,
                                          SeatStatus.OFFLINE]
    seats = [SeatSnapshot(i, rng.choice(statuses), frozenset([rng.choice(["售前", "售后"])]),
                          frozenset(rng.sample(range(1, 51), 10)), rng.randint(5, 40),
                          rng.randint(0, 5), NOW - rng.randint(0, 10**6)) for i in range(200)]
    chats = [ChatToRoute(i, rng.randint(1, 50), rng.choice(list(Stage)),
                         rng.choice([None, rng.randrange(200)]), NOW - rng.randint(0, 10 * 86_400_000))
             for i in range(5000)]
    rules = RoutingRules()
    times = []
    for chat in chats:
        start = time.perf_counter()
        decide(chat, seats, rules, NOW)
        times.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    decisions = drain_queue(chats, seats, rules, NOW)
    drain = (time.perf_counter() - start) * 1000
    base = []
    for _ in range(5000):
        start = time.perf_counter()
        min(seats, key=lambda s: s.chats / s.max_chats)
        base.append((time.perf_counter() - start) * 1000)
    print(json.dumps({
        "bench": "routing", "seats": len(seats), "open_chats": len(chats),
        "decide_ms_p50": round(statistics.median(times), 4),
        "decide_ms_p99": round(sorted(times)[int(len(times) * 0.99)], 4),
        "drain_5000_ms": round(drain, 1),
        "assigned": sum(d.seat_id is not None for d in decisions),
        "baseline_min_over_seats_ms_p50": round(statistics.median(base), 4),
    }))


if __name__ == "__main__":
    main()
