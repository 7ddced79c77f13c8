"""Routing decisions with 200 seats and 5,000 open chats waiting.

`decide_ms`: one decision (affinity check, group filter, least-loaded pick) over 200
seats, median of 5,000; `drain_ms`: assigning a queue of 5,000 chats in order.
`store_pass_ms`: the engine's whole routing pass (one slice of ≤100 assignments) on a SQLite store holding those
seats and 5,000 waiting chats (snapshot, queue window, stages, compare-and-set
updates, audit log), first when seats are free, then when every seat is full.
Baseline, same run: a bare `min()` over the 200 seats by load, and a plain
`SELECT count(*)` of the waiting chats. Prints one JSON object; never passes or fails.
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
    store = store_pass(rng)
    print(json.dumps({
        **store,
        "bench": "routing", "seats": len(seats), "open_chats": len(chats),
        "decide_ms_p50": round(statistics.median(times), 4),
        "decide_ms_p99": round(sorted(times)[int(len(times) * 0.99)], 4),
        "drain_5000_ms": round(drain, 1),
        "assigned": sum(d.seat_id is not None for d in decisions),
        "baseline_min_over_seats_ms_p50": round(statistics.median(base), 4),
    }))


def store_pass(rng: random.Random) -> dict[str, float]:
    import tempfile

    from sqlalchemy import text

    from desktop.core import assign
    from desktop.core.db import open_database, sqlite_url
    from desktop.core.models import buyers_table, conversations_table, seats_table, shops_table

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(sqlite_url(Path(tmp)))
        now = int(time.time() * 1000)
        with db.begin() as conn:
            conn.execute(shops_table.insert(), [
                {"id": i, "platform": "sandbox", "platform_shop_id": f"s{i}", "name": f"店{i}",
                 "settings_json": "{}", "secret_ref": "", "health": "connected", "health_detail": ""}
                for i in range(1, 51)])
            conn.execute(buyers_table.insert(), [
                {"id": i, "platform": "sandbox", "platform_buyer_id": f"b{i}", "nick": f"买家{i}"}
                for i in range(1, 5001)])
            conn.execute(seats_table.insert(), [
                {"name": f"seat{i}", "display_name": f"客服{i}", "role": "agent",
                 "groups_json": json.dumps([rng.choice(["售前", "售后"])], ensure_ascii=False),
                 "shop_ids_json": json.dumps(rng.sample(range(1, 51), 10)), "max_chats": 10,
                 "status": "online", "status_at": now, "heartbeat_at": now}
                for i in range(200)])
            conn.execute(conversations_table.insert(), [
                {"shop_id": rng.randint(1, 50), "buyer_id": i, "platform_conv_id": f"c{i}",
                 "state": "open", "last_message_at": now - i, "waiting_since": now - i * 1000}
                for i in range(1, 5001)])
        start = time.perf_counter()
        assign.routing_pass(db, now)
        first = (time.perf_counter() - start) * 1000
        with db.begin() as conn:  # everyone full: the pass must not read the queue
            conn.execute(text("UPDATE seats SET max_chats = 0"))
        start = time.perf_counter()
        assign.routing_pass(db, now)
        full = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        with db.connect() as conn:
            conn.execute(text("SELECT count(*) FROM conversations WHERE seat_id IS NULL "
                              "AND waiting_since IS NOT NULL")).scalar()
        base = (time.perf_counter() - start) * 1000
        held = db.connect().execute(text(
            "SELECT count(*) FROM conversations WHERE seat_id IS NOT NULL")).scalar()
        db.dispose()
    return {"store_pass_ms_seats_free": round(first, 1), "store_pass_assigned": held,
            "store_pass_ms_all_full": round(full, 2), "baseline_count_queue_ms": round(base, 2)}


if __name__ == "__main__":
    main()
