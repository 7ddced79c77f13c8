"""Drafting a shift handover on a big store (issue 6).

A 20,000-conversation store over 50 shops (tests/benchmarks/_data.py) plus: 20,000
orders (2,000 unpaid, half of those dunned), 1,000 after-sale cases (300 open),
50,000 remarks (30 by the seat this shift), 2,000 buyers with the follow-up tag, 200
follow-up promises and a year of history — 1,000 sent handovers of 10 items each,
addressed to the seat's shift, 8 ticked and 2 handed on. The seat holds 20 chats, 12 of
them waiting, and serves every shop (the widest draft).

- `draft_ms`: Desk.draft_handover (the whole read), and `queries`: the statements it runs;
- baseline `mine_ms`: the inbox's "mine" read in the same run (conversation_ids with
  seat_id + conversation_rows of those ids), the read an agent does all day;
- `backlog`: the worst case, 1,000 more handovers whose undone items nobody ever
  ticked or handed on (2,000 open chains, carried into this draft).

Medians of repeated runs. Prints one JSON object; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import READS_ONLY, build_inbox_db  # noqa: E402

SEAT = "小王"


def add_handover_data(path: Path, conversations: int, shops: int = 50) -> int:
    """→ the seat's id."""
    rng = random.Random(11)
    now = int(time.time() * 1000)
    shift_start = now - 4 * 3_600_000
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    seat = con.execute("INSERT INTO seats(name, display_name, role, groups_json, max_chats,"
                       " accounts_json, enabled, status, status_at, last_assigned_at)"
                       " VALUES ('wang', ?, 'agent', '[]', 20, '{}', 1, 'online', 0, 0)",
                       (SEAT,)).lastrowid
    waiting = [r[0] for r in con.execute(
        "SELECT id FROM conversations WHERE waiting_since IS NOT NULL LIMIT 12")]
    quiet = [r[0] for r in con.execute(
        "SELECT id FROM conversations WHERE waiting_since IS NULL LIMIT 8")]
    con.execute(f"UPDATE conversations SET seat_id = ? WHERE id IN ({','.join('?' * 20)})",
                (seat, *waiting, *quiet))
    orders = []
    for n in range(20_000):
        buyer = rng.randrange(1, conversations + 1)
        status = "unpaid" if n < 2000 else rng.choice(["paid", "shipped", "completed"])
        orders.append((buyer % shops + 1, buyer, f"T{n:010d}", status, "99.80",
                       now - rng.randrange(0, 30 * 86_400_000)))
    con.executemany(
        "INSERT INTO orders(shop_id, buyer_id, platform_order_id, status, raw_status, total,"
        " currency, created_at, updated_at, receiver_masked, seller_memo, courier, waybill,"
        " warehouse) VALUES (?, ?, ?, ?, '', ?, 'CNY', ?, 0, '', '', '', '', 'unknown')", orders)
    con.executemany(
        "INSERT INTO dunnings(order_id, shop_id, buyer_id, conversation_id, variant, actor, at)"
        " VALUES (?, 1, 1, 1, 'silent', '小李', ?)", [(o, now) for o in range(1, 1001)])
    con.executemany(
        "INSERT INTO aftersale_cases(order_id, shop_id, buyer_id, kind, reason, return_waybill,"
        " state, note, author, created_at, updated_at) SELECT id, shop_id, buyer_id, 'exchange',"
        " '尺码不合适', '', ?, '', '小李', ?, ? FROM orders WHERE id = ?",
        [("open" if n < 300 else "closed", now, now, 2000 + n) for n in range(1000)])
    con.executemany(
        "INSERT INTO remarks(order_id, author, text, flag, created_at, state, memo, source)"
        " VALUES (?, ?, '改地址', NULL, ?, 'synced', '', 'team')",
        [(rng.randrange(1, 20_001), SEAT if n < 30 else rng.choice(["小李", "小张", SEAT]),
          shift_start + 60_000 * n if n < 30 else now - rng.randrange(5, 90) * 86_400_000)
         for n in range(50_000)])
    label = con.execute("INSERT INTO labels(kind, name, color, created_at)"
                        " VALUES ('tag', '待跟进', '#e53935', ?)", (now,)).lastrowid
    con.executemany("INSERT INTO buyer_labels(buyer_id, label_id, author, created_at)"
                    " VALUES (?, ?, '小李', ?)",
                    [(b, label, now) for b in rng.sample(range(1, conversations + 1), 2000)])
    con.executemany(
        "INSERT INTO follow_ups(conversation_id, due_at, note, for_seat_id, created_by_seat_id,"
        " created_by, created_at, state, done_by) VALUES (?, ?, '回电话', ?, ?, '小李', ?, ?, '')",
        [(rng.randrange(1, conversations + 1), now + n * 60_000, seat if n % 2 else None,
          None if n % 2 else seat, now, "open" if n < 40 else "done") for n in range(200)])
    shift = con.execute("INSERT INTO shifts(name, start_time, end_time, weekdays, updated_by,"
                        " updated_at) VALUES ('早班', '00:00', '23:59', 127, '', 0)").lastrowid
    con.execute("INSERT INTO shift_seats(shift_id, seat_id) VALUES (?, ?)", (shift, seat))
    other = con.execute("INSERT INTO seats(name, display_name, role, groups_json, max_chats,"
                        " accounts_json, enabled, status, status_at, last_assigned_at)"
                        " VALUES ('li', '小李', 'agent', '[]', 20, '{}', 1, 'online', 0, 0)"
                        ).lastrowid
    # a year of handovers to the shift: 8 of 10 items ticked, the 2 undone ones handed on
    # from one handover to the next (so a few dozen chains are open at any time)
    history(con, other, shift, now, 1000, lambda n, p: (1001 + (n * 2 + p) % 40, p >= 2))
    con.execute("COMMIT")
    con.close()
    return int(seat)


def history(con: sqlite3.Connection, author: int, shift: int, now: int, count: int,
            order_of) -> None:  # type: ignore[no-untyped-def]
    """`count` sent handovers, one per 8 h back from now; order_of(n, p) → (order id,
    ticked) of item p of handover n."""
    for n in range(count):
        sent = now - (count - n) * 8 * 3_600_000
        hid = con.execute("INSERT INTO handovers(author_seat_id, author, shift_id, to_shift_id,"
                          " text, state, created_at, updated_at, sent_at) VALUES (?, '小李', NULL,"
                          " ?, '交接', 'sent', ?, ?, ?)", (author, shift, sent, sent, sent)).lastrowid
        rows = []
        for p in range(10):
            order, ticked = order_of(n, p) if p < 2 else (order_of(n, p)[0] + 5000 + p, True)
            rows.append((hid, p, f"unpaid:{order}", "done" if ticked else "todo", order,
                         sent + 60_000 if ticked else None))
        con.executemany(
            "INSERT INTO handover_items(handover_id, position, kind, key, title, ref, note, state,"
            " order_id, shop_name, done_by, done_at)"
            " VALUES (?, ?, 'unpaid', ?, '订单', '', '', ?, ?, '店', '', ?)", rows)
    # what sending did: an item is taken on by the next handover about the same thing
    con.execute("UPDATE handover_items SET carried_to = (SELECT min(i2.handover_id)"
                " FROM handover_items i2 WHERE i2.key = handover_items.key"
                " AND i2.handover_id > handover_items.handover_id) WHERE carried_to IS NULL")


def add_backlog(path: Path, seat: int) -> None:
    """The worst case: 1,000 more handovers whose 2 undone items are each about a
    different order and never ticked nor handed on — 2,000 open chains."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    author = con.execute("SELECT id FROM seats WHERE name = 'li'").fetchone()[0]
    shift = con.execute("SELECT shift_id FROM shift_seats WHERE seat_id = ?", (seat,)).fetchone()[0]
    history(con, author, shift, int(time.time() * 1000) - 3_600_000, 1000,
            lambda n, p: (1 + (n * 2 + p) % 4000, False))
    con.execute("COMMIT")
    con.close()


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()

    from sqlalchemy import event

    from desktop.core.db import make_engine, sqlite_url
    from desktop.core.desk import Desk
    from desktop.core.registry import Registry
    from desktop.core.views import InboxFilter

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        path = build_inbox_db(data, 20_000)
        seat = add_handover_data(path, 20_000)
        db = make_engine(sqlite_url(data))
        desk = Desk(db, Registry.discover(["sandbox-tb", "sandbox-dy"]), READS_ONLY, SEAT)  # type: ignore[arg-type]
        desk.seat_id = seat
        statements: list[str] = []

        def count(conn, cursor, sql, *rest) -> None:  # type: ignore[no-untyped-def]
            statements.append(sql)

        event.listen(db, "before_cursor_execute", count)
        row = desk.draft_handover()
        event.remove(db, "before_cursor_execute", count)
        queries = len(statements)

        def mine() -> None:
            desk.conversation_rows(desk.conversation_ids(InboxFilter(seat_id=seat)))

        counts: dict[str, int] = {}
        for item in row.items:
            counts[item.kind.value] = counts.get(item.kind.value, 0) + 1
        result = {
            "bench": "handover",
            "conversations": 20_000, "orders": 20_000, "sent_handovers": 1000,
            "draft_items": counts,
            "carried": sum(1 for x in row.items if x.carried_from is not None),
            "queries": queries,
            "draft_ms": median_ms(desk.draft_handover, args.runs),
            "baseline_mine_ms": median_ms(mine, args.runs),
            "unread_ms": median_ms(lambda: desk.unread_handovers(seat), args.runs),
        }
        add_backlog(path, seat)
        backlog = desk.draft_handover()
        result["backlog"] = {
            "carried": sum(1 for x in backlog.items if x.carried_from is not None),
            "of_which_settled": sum(1 for x in backlog.items
                                    if x.carried_from is not None and x.state.value == "done"),
            "draft_ms": median_ms(desk.draft_handover, args.runs),
        }
        db.dispose()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
