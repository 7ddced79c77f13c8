"""Team mode with real processes: a sandbox and three headless engines on one PostgreSQL.

Each shop is synced by exactly one engine; kill -9 hands its shops to another within
seconds, losing and doubling nothing; a change seen by one engine reaches the others'
notices within a second. The tests share one team and run in file order (the last kills).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError
from teamkit import EngineProcess, Sandbox, fresh_database, store_vs_ledger, wait_until

from desktop.core.team import LOCK_CLASS, lease_holders

SHOPS = 4


@dataclass
class Team:
    db: Engine
    sandbox: Sandbox
    engines: list[EngineProcess]
    shop_ids: frozenset[int]

    def alive(self) -> list[EngineProcess]:
        return [e for e in self.engines if e.proc.poll() is None]

    def logs(self) -> str:
        return "\n".join(f"--- {e.name}\n{e.log_tail()}" for e in self.engines)

    def split(self) -> dict[int, EngineProcess] | None:
        """Shop → the live engine that says it syncs it, if the live engines' reports
        cover every shop exactly once; else None."""
        owner: dict[int, EngineProcess] = {}
        for engine in self.alive():
            for shop in engine.synced or ():
                if shop in owner:
                    return None
                owner[shop] = engine
        return owner if set(owner) == self.shop_ids else None


@pytest.fixture(scope="module")
def team(pg_server_url, tmp_path_factory):
    from desktop.core.db import make_engine

    tmp = tmp_path_factory.mktemp("team")
    with fresh_database(pg_server_url) as url:
        db = make_engine(url)  # an empty database: the three engines all migrate it at once
        sandbox = Sandbox(shops=SHOPS, rate=20, seed=41)
        engines = [EngineProcess(f"engine{i}", url, sandbox.url, tmp / f"engine{i}")
                   for i in range(3)]
        try:
            def registered() -> frozenset[int] | None:
                try:
                    with db.connect() as conn:
                        ids = frozenset(conn.execute(text("SELECT id FROM shops")).scalars())
                except ProgrammingError:  # not migrated yet
                    return None
                return ids if len(ids) == SHOPS else None

            shop_ids = wait_until(registered, 60)
            group = Team(db, sandbox, engines, shop_ids)
            wait_until(lambda: all(e.synced is not None for e in engines) and group.split(), 60)
            yield group
        finally:
            for engine in engines:
                engine.stop()
            sandbox.stop()
            db.dispose()


def test_each_shop_is_synced_by_exactly_one_engine(team):
    owner = team.split()
    assert owner is not None, team.logs()
    # PostgreSQL agrees with what the engines print: one lease per shop, held by that engine
    assert lease_holders(team.db) == {shop: e.holder for shop, e in owner.items()}
    with team.db.connect() as conn:
        holders = conn.execute(text(
            "SELECT objid, count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = CAST(:cls AS oid) AND database ="
            " (SELECT oid FROM pg_database WHERE datname = current_database())"
            " GROUP BY objid"), {"cls": LOCK_CLASS}).all()
    assert sorted(holders) == [(shop, 1) for shop in sorted(team.shop_ids)]
    # and so does the platform: never more than one push long-poll waiting per shop
    seen: dict[str, int] = {}
    for _ in range(15):
        for psid, stats in team.sandbox.admin("stats")["shops"].items():
            assert stats["push_waiters"] <= 1, (psid, stats)
            seen[psid] = max(seen.get(psid, 0), stats["push_waiters"])
        time.sleep(0.05)
    assert set(seen.values()) == {1}, seen


def test_a_change_reaches_the_other_engines_within_a_second(team):
    latencies = []
    for shop in team.sandbox.shops:
        probe = f"probe {uuid.uuid4().hex}"
        team.sandbox.admin("buyer-says", {"shop_id": shop["platform_shop_id"], "text": probe})

        def sightings(probe: str = probe) -> list[tuple[EngineProcess, dict[str, Any]]] | None:
            found = []
            for engine in team.engines:
                lines = [line for line in engine.lines("notice")
                         if any(m[2] == probe for m in line["notice"].get("buyer_messages", ()))]
                if not lines:
                    return None
                found.append((engine, lines[0]))
            return found

        found = wait_until(sightings, 10)
        local = [line for _, line in found if not line["remote"]]
        assert len(local) == 1, found  # ingested by the one engine syncing the shop
        latencies += [line["t"] - local[0]["t"] for _, line in found if line["remote"]]
    assert len(latencies) == 2 * SHOPS
    assert max(latencies) < 1.0, latencies


def test_kill_9_hands_the_shops_over_and_nothing_is_lost_or_doubled(team):
    victim = max(team.alive(), key=lambda e: len(e.synced or ()))
    shops, holder = victim.synced, victim.holder
    assert shops
    killed = time.monotonic()
    victim.kill9()

    def taken_over() -> bool:
        holders = lease_holders(team.db)
        return all(shop in holders and holders[shop] != holder for shop in shops)

    wait_until(taken_over, 10)
    takeover = time.monotonic() - killed
    assert takeover < 10, team.logs()
    wait_until(team.split, 10)  # the survivors say so too, between them every shop once
    time.sleep(1.5)  # more traffic, now synced by the survivors
    team.sandbox.admin("pause", {})
    ledger = team.sandbox.admin("ledger")["shops"]
    assert sum(len(s["message_ids"]) for s in ledger.values()) > 50
    try:
        wait_until(lambda: not store_vs_ledger(team.db, ledger), 30, interval=0.25)
    except AssertionError:
        pytest.fail(f"{store_vs_ledger(team.db, ledger)}\n{team.logs()}")
    # a clean quit lets go of the leases at once
    for engine in team.alive():
        assert engine.stop() == 0, team.logs()
    assert lease_holders(team.db) == {}
    print(f"takeover after kill -9: {takeover:.2f} s")
