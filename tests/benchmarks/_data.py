"""Synthetic stores for the benchmarks: shops, buyers and conversations at a given size."""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PREVIEWS = ("亲，这款有现货吗？", "什么时候发货呀，急用", "能便宜点吗，老顾客了", "快递到哪了？三天没动",
            "尺码偏大还是偏小？", "收到货有破损，怎么处理", "发票抬头可以开公司的吗", "好的，那我拍了",
            "<b>优惠券</b>怎么用不了？<img src=x>", "包邮吗？偏远地区也包吗")
NICKS = ("小鹿乱撞", "tb_8823", "追风的少年", "山有木兮", "jennyli", "猫猫不吃鱼", "快乐每一天", "书虫一枚")


def build_inbox_db(data_dir: Path, conversations: int, shops: int = 50, seed: int = 5) -> Path:
    """A migrated SeatDesk store holding `conversations` open conversations
    (about a third waiting for a reply) over `shops` shops of two platforms."""
    from desktop.core.db import open_database, sqlite_url

    data_dir.mkdir(parents=True, exist_ok=True)
    open_database(sqlite_url(data_dir)).dispose()
    path = data_dir / "seatdesk.sqlite3"
    rng = random.Random(seed)
    now = int(time.time() * 1000)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO shops(id, platform, platform_shop_id, name, color, enabled, settings_json,"
        " secret_ref, health, health_detail) VALUES (?, ?, ?, ?, ?, 0, '{}', '', 'disabled', '')",
        [(s, "sandbox-tb" if s % 2 else "sandbox-dy", f"s{s}", f"店铺{s:02d}",
          f"#{rng.randrange(0x333333, 0xcccccc):06x}") for s in range(1, shops + 1)])
    con.executemany("INSERT INTO buyers(id, platform, platform_buyer_id, nick) VALUES (?, ?, ?, ?)",
                    [(c, "sandbox-tb" if c % 2 else "sandbox-dy", f"b{c}",
                      f"{rng.choice(NICKS)}{c}") for c in range(1, conversations + 1)])
    rows = []
    for c in range(1, conversations + 1):
        last = now - rng.randrange(0, 86_400_000)
        waiting = last - rng.randrange(0, 600_000) if rng.random() < 0.33 else None
        rows.append((c, (c - 1) % shops + 1, c, f"c{c}", last, rng.choice(PREVIEWS),
                     "in" if waiting else "out", waiting, rng.randrange(0, 4) if waiting else 0))
    con.executemany(
        "INSERT INTO conversations(id, shop_id, buyer_id, platform_conv_id, state, last_message_at,"
        " last_preview, last_direction, last_out_at, waiting_since, unread_count)"
        " VALUES (?, ?, ?, ?, 'open', ?, ?, ?, 0, ?, ?)", rows)
    con.execute("COMMIT")
    con.close()
    return path


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class ReadsOnly:
    """The engine runner of a desk that only reads (the benchmarks time reads)."""

    def add_listener(self, callback: object) -> None:
        pass


READS_ONLY = ReadsOnly()
