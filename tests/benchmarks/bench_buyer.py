"""Opening a buyer, and filtering the inbox by tag, over a 20,000-conversation store.

1. A buyer with 200 past conversations (over the platform's shops), 100 orders
   (two items each, a remark each), 5 tags, 2 groups and 3 after-sale cases:
   - `profile_ms`: Desk.buyer_profile (every read the panel needs);
   - `panel_ms`: BuyerPanel.show_conversation, offscreen — the read plus filling
     chips, note and history lists (target ≤ 50 ms);
   - baseline `raw_ms`: the same buyer's conversations and orders through plain
     sqlite3, no joins for names, no Python objects: the floor for these reads.
2. Tag and group filters over 20,000 conversations, 2,000 of whose buyers carry
   the tag: the inbox's window of ids (500) and its count, next to the same
   query without the filter, measured in the same run.

Medians of repeated runs. Prints one JSON object; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import READS_ONLY, build_inbox_db  # noqa: E402

BUYER = 1  # conversation 1's buyer, on sandbox-tb (odd ids are sandbox-tb in _data)
TARGET_MS = 50.0


def add_rich_buyer(path: Path, shops: int = 50) -> int:
    """Give buyer 1 a long history; tag 2,000 buyers. → the conversation to open."""
    rng = random.Random(7)
    now = int(time.time() * 1000)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    tb_shops = [s for s in range(1, shops + 1) if s % 2]
    first = con.execute("SELECT max(id) FROM conversations").fetchone()[0] + 1
    con.executemany(
        "INSERT INTO conversations(id, shop_id, buyer_id, platform_conv_id, state, last_message_at,"
        " last_preview, last_direction, last_out_at, waiting_since, unread_count)"
        " VALUES (?, ?, ?, ?, 'closed', ?, ?, 'out', 0, NULL, 0)",
        [(first + i, tb_shops[i % len(tb_shops)], BUYER, f"hist{i}", now - i * 3_600_000,
          f"第 {i} 次咨询：尺码和发货时间") for i in range(199)])
    con.executemany(
        "INSERT INTO messages(conversation_id, shop_id, platform_msg_id, direction, sender, kind,"
        " text, sent_at, state) VALUES (?, ?, ?, 'in', 'b', 'text', '在吗', ?, 'received')",
        [(first + i, tb_shops[i % len(tb_shops)], f"hm{i}-{k}", now - i * 3_600_000 + k)
         for i in range(199) for k in range(3)])
    for o in range(100):
        shop = tb_shops[o % len(tb_shops)]
        cur = con.execute(
            "INSERT INTO orders(shop_id, buyer_id, platform_order_id, status, raw_status, total,"
            " currency, created_at, updated_at, receiver_masked, seller_memo, seller_flag, courier,"
            " waybill, warehouse) VALUES (?, ?, ?, ?, ?, ?, 'CNY', ?, ?, '浙江省杭州市****', ?, 1,"
            " '顺丰', ?, 'waiting')",
            (shop, BUYER, f"T{o:08d}", rng.choice(["paid", "shipped", "completed"]), "WAIT",
             "99.80", now - o * 86_400_000, now - o * 86_400_000, "改地址 —— 小王",
             f"SF{o:010d}"))
        order_id = cur.lastrowid
        con.executemany("INSERT INTO order_items(order_id, sku_id, title, quantity, unit_price)"
                        " VALUES (?, ?, ?, 1, '49.90')",
                        [(order_id, f"sku{k}", f"纯棉T恤 {k}") for k in range(2)])
        con.execute("INSERT INTO remarks(order_id, author, text, memo, flag, created_at, state,"
                    " source) VALUES (?, '小王', '改地址', '改地址 —— 小王', 1, ?, 'synced', 'team')",
                    (order_id, now))
        if o < 3:
            con.execute("INSERT INTO aftersale_cases(order_id, shop_id, buyer_id, kind, reason,"
                        " return_waybill, state, note, author, created_at, updated_at)"
                        " VALUES (?, ?, ?, 'exchange', '尺码不合适', '', 'open', '', '小王', ?, ?)",
                        (order_id, shop, BUYER, now, now))
    labels = [("tag", f"标签{i}") for i in range(5)] + [("group", f"分组{i}") for i in range(2)]
    con.executemany("INSERT INTO labels(kind, name, color, created_at) VALUES (?, ?, '#1e88e5', ?)",
                    [(k, n, now) for k, n in labels])
    ids = [r[0] for r in con.execute("SELECT id FROM labels ORDER BY id")]
    con.executemany("INSERT INTO buyer_labels(buyer_id, label_id, author, created_at)"
                    " VALUES (?, ?, '小王', ?)", [(BUYER, i, now) for i in ids])
    buyers = [r[0] for r in con.execute("SELECT id FROM buyers")]
    tagged = rng.sample(buyers, 2000)
    con.executemany("INSERT OR IGNORE INTO buyer_labels(buyer_id, label_id, author, created_at)"
                    " VALUES (?, ?, '导入', ?)", [(b, ids[0], now) for b in tagged])
    con.executemany("INSERT OR IGNORE INTO buyer_labels(buyer_id, label_id, author, created_at)"
                    " VALUES (?, ?, '导入', ?)", [(b, ids[5], now) for b in tagged[:500]])
    con.execute("COMMIT")
    con.close()
    return 1


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm caches, as an agent's second look would
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def raw_reads(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("SELECT id, shop_id, last_message_at, last_preview FROM conversations"
                " WHERE buyer_id = ? ORDER BY last_message_at DESC LIMIT 200", (BUYER,)).fetchall()
    con.execute("SELECT * FROM orders WHERE buyer_id = ? ORDER BY created_at DESC LIMIT 100",
                (BUYER,)).fetchall()
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from desktop.core.db import make_engine, sqlite_url
    from desktop.core.desk import Desk
    from desktop.core.registry import Registry
    from desktop.core.views import InboxFilter
    from desktop.ui.application import create_application
    from desktop.ui.bridge import Bridge
    from desktop.ui.buyer_panel import BuyerPanel

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        path = build_inbox_db(data, 20_000)
        conv = add_rich_buyer(path)
        db = make_engine(sqlite_url(data))
        desk = Desk(db, Registry.discover(["sandbox-tb", "sandbox-dy"]), READS_ONLY, "小王")  # type: ignore[arg-type]
        app = QApplication.instance() or create_application([], "zh_CN")
        panel = BuyerPanel(desk, Bridge())
        panel.resize(360, 420)
        panel.show()
        app.processEvents()
        profile = desk.buyer_profile(conv)
        assert profile is not None

        def open_in_panel() -> None:
            panel.show_conversation(None)
            panel.show_conversation(conv)
            app.processEvents()

        tag, group = (next(r.id for r in desk.labels(k) if r.buyers > 400) for k in ("tag", "group"))
        plain, tagged = InboxFilter(), InboxFilter(tag_id=tag)
        both = InboxFilter(tag_id=tag, group_id=group)
        result = {
            "bench": "buyer",
            "conversations": 20_000 + 199,
            "buyer": {"history": len(profile.history), "orders": len(profile.orders),
                      "cases": len(profile.cases), "tags": len(profile.tags)},
            "profile_ms": median_ms(lambda: desk.buyer_profile(conv), args.runs),
            "panel_ms": median_ms(open_in_panel, args.runs),
            "baseline_raw_ms": median_ms(lambda: raw_reads(path), args.runs),
            "target_panel_ms": TARGET_MS,
            "inbox_window_ms": {
                "no_filter": median_ms(lambda: desk.conversation_ids(plain, 500), args.runs),
                "tag": median_ms(lambda: desk.conversation_ids(tagged, 500), args.runs),
                "tag_and_group": median_ms(lambda: desk.conversation_ids(both, 500), args.runs),
            },
            "inbox_count_ms": {
                "no_filter": median_ms(lambda: desk.count_conversations(plain), args.runs),
                "tag": median_ms(lambda: desk.count_conversations(tagged), args.runs),
            },
            "tagged_conversations": desk.count_conversations(tagged),
        }
        panel.close()
        db.dispose()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
