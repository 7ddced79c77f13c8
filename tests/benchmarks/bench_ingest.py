"""Ingest throughput: our path against raw sqlite3 executemany, same rows, same schema.

Builds a database holding `--base` messages (default 1,000,000) over 20,000
conversations in 50 shops, copies it, then ingests the same `--new` messages
(default 200,000, random platform ids) twice: once through `Ingestor`
(events in, pages of 1,000, cursor saved, inbox rows kept in step) and once as
raw `sqlite3` `executemany` of the message rows into the same schema (same
unique keys, same FTS5 trigram triggers, and the same upkeep of the 1–2 character
search index that ingest does in its batch: desktop/core/search.py), 1,000 rows
per transaction.
Prints one JSON object; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.core.db import open_database, sqlite_url  # noqa: E402
from desktop.core.ingest import Ingestor  # noqa: E402
from desktop.core.search import grams  # noqa: E402
from desktop.sdk import Direction, MessageEvent, MessageKind  # noqa: E402

WORDS = ("亲", "在吗", "这款", "有货吗", "什么时候发货", "包邮吗", "能便宜点吗", "优惠券", "退款申请",
         "尺码", "偏大", "偏小", "快递", "顺丰", "中通", "已经下单", "麻烦改地址", "收到了", "好评",
         "质量", "颜色", "发票", "赠品", "谢谢", "XL", "2024", "链接", "客服", "退换货", "破损")
SHOPS, CONVERSATIONS, BATCH = 50, 20_000, 1_000
COLUMNS = ("conversation_id", "shop_id", "platform_msg_id", "client_key", "direction", "sender",
           "kind", "text", "sent_at", "state")
INSERT = f"INSERT INTO messages({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def text_of(rng: random.Random) -> str:
    out = "".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))
    if rng.random() < 0.03:
        out += f"订单号{rng.randrange(10**15, 10**16)}"
    return out[:60]


def make_rows(rng: random.Random, n: int, t0: int) -> list[tuple]:  # type: ignore[type-arg]
    rows = []
    for i in range(n):
        conv = rng.randrange(CONVERSATIONS) + 1
        rows.append((conv, (conv - 1) % SHOPS + 1, f"p{conv % 97:02d}-{rng.getrandbits(64):016x}",
                     None, "in" if rng.random() < 0.6 else "out", "x", "text", text_of(rng),
                     t0 + i * 10, "received"))
    return rows


def build_base(path: Path, base: int, rng: random.Random) -> None:
    db = open_database(sqlite_url(path.parent))
    db.dispose()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO shops(id, platform, platform_shop_id, name, color, enabled, settings_json,"
        " secret_ref, health, health_detail) VALUES (?, 'bench', ?, ?, '#000', 1, '{}', '',"
        " 'connected', '')", [(s, f"s{s}", f"店{s}") for s in range(1, SHOPS + 1)])
    con.executemany("INSERT INTO buyers(id, platform, platform_buyer_id, nick) VALUES"
                    " (?, 'bench', ?, ?)", [(c, f"b{c}", f"买家{c}") for c in range(1, CONVERSATIONS + 1)])
    con.executemany(
        "INSERT INTO conversations(id, shop_id, buyer_id, platform_conv_id, state, last_message_at,"
        " last_preview, last_direction, last_out_at, unread_count) VALUES (?, ?, ?, ?, 'open', 0,"
        " '', 'in', 0, 0)", [(c, (c - 1) % SHOPS + 1, c, f"c{c}") for c in range(1, CONVERSATIONS + 1)])
    con.execute("COMMIT")
    # bulk load without the FTS trigger, then rebuild the index once (what a back-fill does)
    con.execute("DROP TRIGGER messages_fts_ai")
    t0 = 1_700_000_000_000
    for start in range(0, base, 100_000):
        rows = make_rows(rng, min(100_000, base - start), t0 + start * 10)
        con.execute("BEGIN")
        con.executemany(INSERT, rows)
        con.execute("COMMIT")
    con.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
    con.execute("CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN "
                "INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text); END")
    con.execute("BEGIN")
    index_grams(con)  # what migration 0004 does for the messages a store already holds
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def index_grams(con: sqlite3.Connection) -> None:
    """desktop.core.search.index_new_messages on a plain sqlite3 connection."""
    upto = con.execute("SELECT upto FROM messages_fts_state").fetchone()[0]
    rows = con.execute("SELECT id, text FROM messages WHERE id > ? ORDER BY id", (upto,)).fetchall()
    if rows:
        con.executemany("INSERT INTO messages_fts_grams(rowid, grams) VALUES (?, ?)",
                        [(id_, grams(text)) for id_, text in rows])
        con.execute("UPDATE messages_fts_state SET upto = ?", (rows[-1][0],))


Pages = list[tuple[int, list[tuple]]]  # type: ignore[type-arg]


def paged(rows: list[tuple]) -> Pages:  # type: ignore[type-arg]
    """Pages as a feed delivers them: one shop's messages, BATCH to a page.
    Both paths get exactly these pages, in this order, one transaction each."""
    by_shop: dict[int, list[tuple]] = {}  # type: ignore[type-arg]
    for row in rows:
        by_shop.setdefault(row[1], []).append(row)
    return [(shop, rs[i:i + BATCH]) for shop, rs in sorted(by_shop.items())
            for i in range(0, len(rs), BATCH)]


def run_raw(path: Path, pages: Pages) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    # the same connection settings as the app's (desktop/core/db.py): only the code path differs
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA cache_size=-65536")
    start = time.perf_counter()
    for _, page in pages:
        con.execute("BEGIN")
        con.executemany(INSERT, page)
        index_grams(con)
        con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return sum(len(p) for _, p in pages) / elapsed


def run_ours(path: Path, pages: Pages) -> float:
    # the adapter's output: sdk events (made before the clock starts, as a feed would)
    event_pages = [(shop, [MessageEvent(
        platform_msg_id=pid, conversation_id=f"c{conv}", buyer_id=f"b{conv}",
        buyer_nick=f"买家{conv}", direction=Direction(direction), sender=sender,
        kind=MessageKind.TEXT, text=text,
        sent_at=datetime.fromtimestamp(ts / 1000, tz=timezone.utc))
        for conv, _, pid, _, direction, sender, _, text, ts, _ in page]) for shop, page in pages]
    db = open_database(sqlite_url(path.parent))
    ingestor = Ingestor(db)
    start = time.perf_counter()
    for n, (shop, events) in enumerate(event_pages):
        ingestor.ingest_messages(shop, "bench", events, f"cursor-{n}")
    elapsed = time.perf_counter() - start
    db.dispose()
    return sum(len(p) for _, p in pages) / elapsed


def run_ours_without_inbox_rows(path: Path, pages: Pages) -> float:
    """Diagnostic: our path minus the upkeep of the denormalised inbox rows
    (conversations), to show how much of the gap to raw that upkeep is."""
    import desktop.core.ingest as ingest

    keep = ingest.touch_conversations
    ingest.touch_conversations = lambda conn, deltas: None
    try:
        return run_ours(path, pages)
    finally:
        ingest.touch_conversations = keep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print only the JSON object")
    ap.add_argument("--base", type=int, default=1_000_000)
    ap.add_argument("--new", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rounds", type=int, default=1,
                    help="interleaved rounds (raw, ours, raw, ours…); the median is reported")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = Path(tmp) / "base"
        base_dir.mkdir()
        built = time.perf_counter()
        build_base(base_dir / "seatdesk.sqlite3", args.base, rng)
        build_s = time.perf_counter() - built
        pages = paged(make_rows(rng, args.new, 1_800_000_000_000))
        runs: dict[str, list[float]] = {"raw": [], "ours": [], "no_inbox": []}
        ratios = []
        # interleaved, each on a fresh copy of the same base: the machine is noisy
        for _ in range(args.rounds):
            for name, run in (("raw", run_raw), ("ours", run_ours),
                              ("no_inbox", run_ours_without_inbox_rows)):
                work = Path(tmp) / name
                shutil.copytree(base_dir, work)
                runs[name].append(run(work / "seatdesk.sqlite3", pages))
                shutil.rmtree(work)
            ratios.append(runs["ours"][-1] / runs["raw"][-1])
    result = {
        "ours_msgs_per_s": round(statistics.median(runs["ours"])),
        "raw_sqlite_msgs_per_s": round(statistics.median(runs["raw"])),
        "ratio": round(statistics.median(ratios), 3),
        "ratios_per_round": [round(r, 3) for r in ratios],
        "ours_without_inbox_rows_msgs_per_s": round(statistics.median(runs["no_inbox"])),
        "base_messages": args.base,
        "new_messages": args.new,
        "build_base_s": round(build_s, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
