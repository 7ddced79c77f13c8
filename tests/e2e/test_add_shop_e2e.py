"""Adding a shop while the app runs: a live connection test first, then it syncs."""

from __future__ import annotations

import pytest
from conftest import wait_until

from desktop.core.views import InboxFilter
from desktop.sdk import AdapterError


def test_a_shop_added_at_run_time_is_tested_then_synced(sandbox, tmp_path):
    from desktop.app import build_core

    server = sandbox(shops=2, rate=40, seed=31)
    core = build_core(tmp_path, plugins=["sandbox-tb", "sandbox-dy"], memory_secrets=True)
    try:
        desk = core.desk
        shop = server.shops[0]
        settings = {"base_url": server.url}
        wrong = dict(shop["credentials"], app_secret="not-the-secret")
        with pytest.raises(AdapterError):
            desk.test_connection(shop["platform"], shop["platform_shop_id"], wrong, settings).result(10)
        desk.test_connection(shop["platform"], shop["platform_shop_id"], shop["credentials"],
                             settings).result(10)
        assert desk.shops() == []
        shop_id = desk.add_shop(shop["platform"], shop["platform_shop_id"], "新开的店",
                                shop["credentials"], settings).result(10)
        [row] = desk.shops()
        assert (row.id, row.name) == (shop_id, "新开的店")
        wait_until(lambda: desk.conversation_ids(InboxFilter(shop_ids=frozenset({shop_id}))), 30)
        wait_until(lambda: desk.shops()[0].health == "connected", 30)
        # credentials went to the keyring, not the database
        assert core.secrets.get(row_ref(core, shop_id), "app_secret") == shop["credentials"]["app_secret"]
    finally:
        core.close()


def row_ref(core, shop_id: int) -> str:
    from desktop.core.shops import load_shops

    return next(s.secret_ref for s in load_shops(core.db) if s.id == shop_id)
