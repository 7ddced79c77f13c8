"""Search over 1,000,000 messages: our indexes against a plain LIKE scan, per query kind.

Builds a store of `--messages` (default 1,000,000) Chinese chat messages over 50
shops and 100,000 buyers — the sandbox simulator's phrase banks, agents'
answers, addresses, order and waybill numbers, the odd tricky text —, 150,000
orders with platform-shaped numbers and 30,000 remarks. Then, per query kind
(1 Chinese character, 2, 4, Latin/number, an 8-digit order-number fragment, a
buyer nick), each query with common, rare and absent words, it times
`desktop.core.search.search` (every group, the first 50 hits each) and the same
search with every index swapped for a plain `LIKE '%q%'` scan, newest first —
measured in the same run, on the same store. `--pg URL` does it all again on
PostgreSQL (team mode), in a database it creates and drops. The worst query of a kind
is that kind's figure; the target is ≤ 50 ms for every kind.

Prints one JSON object (`--json`: nothing else); never passes or fails.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.core import search  # noqa: E402
from desktop.core.db import open_database, sqlite_url  # noqa: E402
from plugins.sandbox import catalog  # noqa: E402

TARGET_MS = 50.0
SHOPS, BUYERS, ORDERS, REMARKS = 50, 100_000, 150_000, 30_000
T0 = 1_760_000_000_000  # ms; one message every 3 s from here on
AGENT_LINES = (
    "亲，在的，请问有什么可以帮您？", "您好，有现货的，今天下单48小时内发货", "亲，您的退款申请已经收到，我们会尽快处理",
    "已经帮您备注了，仓库会按备注发货", "亲，快递单号是{waybill}，请注意查收", "不好意思让您久等了",
    "好的亲，已经给您改好地址了", "亲，这款是纯棉的，不起球", "退货地址发您了，寄回后填一下单号哦",
    "亲，退款申请已同意，原路退回，1-3个工作日到账", "优惠券在店铺首页领取，满199减20",
)
BUYER_LINES = (
    *catalog.GREETINGS, *catalog.GENERIC_QUESTIONS, *(q for qs in catalog.THEME_QUESTIONS.values() for q in qs),
    *catalog.HAGGLES, *catalog.ORDER_LINES, *catalog.UNPAID_LINES, *catalog.PAY_LINES, *catalog.CHANGE_LINES,
    *catalog.PRE_SHIP_LINES, *catalog.POST_SHIP_LINES, *catalog.COMPLAINT_LINES, *catalog.REFUND_LINES,
    *catalog.BYE_SALE, *catalog.BYE_NO_SALE, "退款申请提交了，麻烦看一下", "有XL码吗？", "支持65W快充吗",
)
PRODUCTS = [title for _, _, items in catalog.SHOP_THEMES for title, _ in items]
ROADS = [f"{w}{s}" for w in ("文三", "延安", "人民", "解放", "中山", "建设", "和平", "长江", "黄河", "友谊",
                             "学院", "滨江", "新华", "胜利", "光明", "振兴")
         for s in ("路", "街", "大道")]
REMARK_LINES = ("改发顺丰，运费已补", "要开发票，抬头是公司", "赠品已加", "客户要求周末送达", "老顾客，优先发货",
                "地址已改为{city}", "少发一件，已补发", "退货已收到，待退款", "加急", "换成黑色的")

# kind → queries: a common word, a rare one, one that matches nothing (the LIKE worst case)
KINDS: dict[str, list[str]] = {
    "cjk_1": ["退", "鼓", "鑫"],
    "cjk_2": ["退款", "鼓楼", "鑫源"],
    "cjk_4": ["退款申请", "鼓楼区友", "鑫源茶行"],
    "latin_number": ["xl", "65w", "iphone"],
    "order_fragment_8": [],  # filled from the store: an order number's middle, a waybill's, none
    "buyer_nick": ["小鹿", "甜甜汽水", "不存在的昵称"],
}


def order_number(shop: int, n: int) -> str:
    """The sandbox flavours' shapes (plugins/sandbox/flavours.py)."""
    return f"{3_900_000 + shop:07d}{n:011d}" if shop % 2 else f"69{shop:04d}{n:013d}"


def message_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.42:
        text = rng.choice(AGENT_LINES)
    elif roll < 0.995:
        text = rng.choice(BUYER_LINES)
    else:
        text = rng.choice(catalog.TRICKY_TEXTS)[:200]
    text = text.format(product=rng.choice(PRODUCTS), cheaper=rng.randrange(20, 300), city=rng.choice(ROADS),
                       courier=rng.choice(catalog.COURIERS)[0],
                       waybill=f"{rng.choice(catalog.COURIERS)[1]}{rng.randrange(10**11, 10**12)}")
    if rng.random() < 0.01:  # an address, pasted
        province, city, district = rng.choice(catalog.REGIONS)
        text += f" 地址：{province}{city}{district}{rng.choice(ROADS)}{rng.randrange(1, 999)}号"
    if rng.random() < 0.02:
        text += f" 订单号{order_number(rng.randrange(1, SHOPS + 1), rng.randrange(1, 10**6))}"
    return text


Rows = dict[str, list[tuple]]  # type: ignore[type-arg]


def generate(messages: int, seed: int) -> Rows:
    """Every table's rows, in insertion order (ids ascending)."""
    rng = random.Random(seed)
    rows: Rows = {}
    rows["shops"] = [(s, "sandbox-tb" if s % 2 else "sandbox-dy", f"s{s}", f"{catalog.SHOP_THEMES[s % 12][0]}{s}")
                     for s in range(1, SHOPS + 1)]
    rows["buyers"] = [(b, "sandbox-tb" if b % 2 else "sandbox-dy", f"b{b}",
                       f"{rng.choice(catalog.NICK_HEADS)}{rng.choice(catalog.NICK_TAILS)}{b % 10_000}")
                      for b in range(1, BUYERS + 1)]
    # one chat per buyer, in a shop of the buyer's platform
    rows["conversations"] = [(b, 2 * rng.randrange(SHOPS // 2) + (1 if b % 2 else 2), b, f"c{b}",
                              T0 + rng.randrange(messages) * 3000) for b in range(1, BUYERS + 1)]
    shop_of = {c[0]: c[1] for c in rows["conversations"]}
    rows["messages"] = []
    for i in range(messages):
        conv = rng.randrange(1, BUYERS + 1)
        out = rng.random() < 0.42
        rows["messages"].append((i + 1, conv, shop_of[conv], f"m{i}", "out" if out else "in",
                                 "客服" if out else "买家", message_text(rng), T0 + i * 3000,
                                 "sent" if out else "received"))
    rows["orders"] = [(o, shop, rng.randrange(1, BUYERS + 1), order_number(shop, o), T0 + o * 20_000,
                       courier, f"{prefix}{rng.randrange(10**11, 10**12)}")
                      for o in range(1, ORDERS + 1)
                      for shop in [rng.randrange(1, SHOPS + 1)]
                      for courier, prefix in [rng.choice(catalog.COURIERS)]]
    rows["remarks"] = [(k + 1, o, rng.choice(REMARK_LINES).format(city=rng.choice(ROADS)), T0 + o * 20_000 + 60_000)
                       for k, o in enumerate(sorted(rng.sample(range(1, ORDERS + 1), REMARKS)))]
    return rows


INSERTS = {
    "shops": "INSERT INTO shops(id, platform, platform_shop_id, name, color, enabled, settings_json, secret_ref,"
             " health, health_detail) VALUES (?, ?, ?, ?, '#2e86de', true, '{}', '', 'connected', '')",
    "buyers": "INSERT INTO buyers(id, platform, platform_buyer_id, nick) VALUES (?, ?, ?, ?)",
    "conversations": "INSERT INTO conversations(id, shop_id, buyer_id, platform_conv_id, state, last_message_at,"
                     " last_preview, last_direction, last_out_at, unread_count)"
                     " VALUES (?, ?, ?, ?, 'open', ?, '', 'in', 0, 0)",
    "messages": "INSERT INTO messages(id, conversation_id, shop_id, platform_msg_id, direction, sender, kind, text,"
                " sent_at, state) VALUES (?, ?, ?, ?, ?, ?, 'text', ?, ?, ?)",
    "orders": "INSERT INTO orders(id, shop_id, buyer_id, platform_order_id, status, raw_status, total, currency,"
              " created_at, updated_at, receiver_masked, seller_memo, courier, waybill)"
              " VALUES (?, ?, ?, ?, 'paid', 'PAID', 99, 'CNY', ?, 0, '', '', ?, ?)",
    "remarks": "INSERT INTO remarks(id, order_id, author, text, created_at, state, memo, source)"
               " VALUES (?, ?, '小王', ?, ?, 'synced', '', 'team')",
}


def build(path: Path, rows: Rows) -> dict[str, float]:
    """The SQLite store, bulk-loaded like a back-fill: rows first, then the message indexes once."""
    open_database(sqlite_url(path.parent)).dispose()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA cache_size=-262144")
    started = time.perf_counter()
    con.execute("DROP TRIGGER messages_fts_ai")
    for table, sql in INSERTS.items():  # buyers and orders: their FTS triggers stay on
        con.execute("BEGIN")
        con.executemany(sql, rows[table])
        con.execute("COMMIT")
    loaded = time.perf_counter()
    con.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
    con.execute("CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN "
                "INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text); END")
    trigram = time.perf_counter()
    con.execute("BEGIN")
    con.executemany("INSERT INTO messages_fts_grams(rowid, grams) VALUES (?, ?)",
                    ((r[0], search.grams(r[6])) for r in rows["messages"]))
    con.execute("UPDATE messages_fts_state SET upto = (SELECT max(id) FROM messages)")
    con.execute("COMMIT")
    con.execute("INSERT INTO messages_fts_grams(messages_fts_grams) VALUES ('optimize')")
    grams = time.perf_counter()
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    sizes = {name: con.execute(f"SELECT coalesce(sum(length(block)), 0) FROM {name}_data").fetchone()[0]
             for name in ("messages_fts", "messages_fts_grams")}
    con.close()
    return {"load_s": round(loaded - started, 1), "trigram_index_s": round(trigram - loaded, 1),
            "gram_index_s": round(grams - trigram, 1),
            "trigram_index_mb": round(sizes["messages_fts"] / 2**20, 1),
            "gram_index_mb": round(sizes["messages_fts_grams"] / 2**20, 1),
            "store_mb": round(path.stat().st_size / 2**20, 1)}


def build_pg(url: str, rows: Rows) -> dict[str, float]:
    """The same store on PostgreSQL: COPY, then migration 0004's search indexes built once."""
    import importlib.util

    import psycopg
    from sqlalchemy.engine import make_url

    open_database(url).dispose()
    spec = importlib.util.spec_from_file_location(
        "m0004", ROOT / "desktop/core/migrations/versions/0004_search_index.py")
    assert spec is not None and spec.loader is not None
    m0004 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m0004)
    names = [*m0004.TRGM_INDEXES, "ix_search_messages_grams", "ix_search_buyers_grams"]
    ddl = [*m0004.POSTGRESQL_GRAMS[1:], *m0004.POSTGRESQL_TRGM]
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP INDEX {name}")
        for table, sql in INSERTS.items():
            with conn.cursor() as cur, conn.transaction():
                cur.executemany(sql.replace("?", "%s"), rows[table])
        loaded = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for statement in ddl:
            conn.execute(statement)
        conn.execute("VACUUM ANALYZE")
    return {"load_s": round(loaded - started, 1), "indexes_s": round(time.perf_counter() - loaded, 1)}


def fill_order_queries(rows: Rows) -> None:
    number, waybill = rows["orders"][77_776][3], rows["orders"][123_455][6]
    KINDS["order_fragment_8"] = [number[5:13], waybill[-10:-2], "98765432"]


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """(first run ms, median ms of the runs after it, the last result)."""
    times, result = [], None
    for _ in range(runs + 1):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(times[0], 2), round(statistics.median(times[1:]), 2), result


def plain_like(conn, query: str, limit: int) -> list[int]:  # type: ignore[no-untyped-def]
    """The baseline: the newest messages containing `query` by a scan, no index."""
    if conn.dialect.name == "postgresql":  # the whole baseline search, not only messages
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
    return search._like_ids(conn, query, limit)  # noqa: SLF001 (the SQL search falls back to)


def measure(db, runs: int, say: Callable[..., None]) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    """Per kind: each query's full search (every group) with our indexes and with plain
    LIKE scans instead, and the message group alone both ways."""
    indexed_ids, indexed_small = search.message_ids, search.newest_ids

    def like_small(conn, table, columns, query, limit, fts=None):  # type: ignore[no-untyped-def]
        return indexed_small(conn, table, columns, query, limit)  # no FTS table: LIKE

    kinds: dict[str, dict[str, object]] = {}
    for kind, queries in KINDS.items():
        rows = []
        for query in queries:
            cold, ours, result = timed(lambda q=query: search.search(db, q), runs)
            with db.connect() as conn:
                _, ours_messages, ids = timed(lambda q=query: indexed_ids(conn, q, 51), runs)
            with db.connect() as conn:
                _, like_messages, like_ids = timed(lambda q=query: plain_like(conn, q, 51), runs)
            search.message_ids, search.newest_ids = plain_like, like_small
            try:
                _, like, _ = timed(lambda q=query: search.search(db, q), runs)
            finally:
                search.message_ids, search.newest_ids = indexed_ids, indexed_small
            rows.append({
                "query": query, "hits": {g: len(h) for g, h in result.groups},  # type: ignore[attr-defined]
                "ms": ours, "cold_ms": cold, "like_ms": like,
                "messages_ms": ours_messages, "messages_like_ms": like_messages,
                "same_messages_as_like": ids == like_ids,
            })
            say(f"{kind:18} {query!r:14} ours {ours:7.2f} ms   like {like:8.2f} ms   {rows[-1]['hits']}")
        worst = max(rows, key=lambda r: float(r["ms"]))  # type: ignore[arg-type]
        kinds[kind] = {"worst_ms": worst["ms"], "worst_like_ms": max(float(r["like_ms"]) for r in rows),  # type: ignore[arg-type]
                       "target_met": float(worst["ms"]) <= TARGET_MS, "queries": rows}  # type: ignore[arg-type]
    return kinds


def summary(kinds: dict[str, dict[str, object]]) -> dict[str, object]:
    return {"all_kinds_within_target": all(k["target_met"] for k in kinds.values()),
            "per_kind_ms": {k: v["worst_ms"] for k, v in kinds.items()},
            "per_kind_like_ms": {k: v["worst_like_ms"] for k, v in kinds.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print only the JSON object")
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query, after one cold run")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pg", metavar="URL", help="also on this PostgreSQL server (a database is"
                    " created and dropped), e.g. the one scripts/test-postgres.sh starts")
    args = ap.parse_args()
    say = (lambda *_: None) if args.json else (lambda *a: print(*a, file=sys.stderr))
    say(f"generating {args.messages:,} messages…")
    rows = generate(args.messages, args.seed)
    fill_order_queries(rows)
    out: dict[str, object] = {"messages": args.messages, "buyers": BUYERS, "orders": ORDERS,
                              "remarks": REMARKS, "target_ms": TARGET_MS}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seatdesk.sqlite3"
        say("SQLite…")
        built = build(path, rows)
        db = open_database(sqlite_url(Path(tmp)))
        kinds = measure(db, args.runs, say)
        db.dispose()
    out.update(summary(kinds))
    out["build"], out["kinds"] = built, kinds
    if args.pg:
        out["postgresql"] = run_pg(args.pg, rows, args.runs, say)
    print(json.dumps(out, ensure_ascii=False))


def run_pg(server_url: str, rows: Rows, runs: int, say: Callable[..., None]) -> dict[str, object]:
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    name = f"seatdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        say("PostgreSQL…")
        built = build_pg(url, rows)
        db = open_database(url)
        kinds = measure(db, runs, say)
        db.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {**summary(kinds), "build": built, "kinds": kinds}


if __name__ == "__main__":
    main()
