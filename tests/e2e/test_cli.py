"""The command line as a user meets it: engine --demo, stats, plugins, sandbox serve."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx


def seatdesk(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_engine_demo_then_stats(tmp_path):
    data = tmp_path / "demo"
    run = seatdesk("engine", "--demo", "--data-dir", str(data), "--run-for", "6")
    assert run.returncode == 0, run.stderr
    stats = seatdesk("stats", "--data-dir", str(data), "--json")
    assert stats.returncode == 0, stats.stderr
    shops = json.loads(stats.stdout)["shops"]
    assert len(shops) == 4 and len({s["platform"] for s in shops}) == 2
    for shop in shops:
        assert shop["conversations"] > 0 and shop["messages"] > 0 and shop["orders"] > 0
        assert shop["outbox_failed"] == 0
        assert set(shop) == {"id", "name", "platform", "platform_shop_id", "conversations",
                             "messages", "orders", "outbox_pending", "outbox_failed",
                             "last_sync", "health"}


def test_demo_refuses_a_directory_with_real_data(tmp_path):
    (tmp_path / "seatdesk.sqlite3").write_text("not a demo")
    run = seatdesk("engine", "--demo", "--data-dir", str(tmp_path), "--run-for", "1")
    assert run.returncode != 0 and "not a SeatDesk demo" in run.stderr


def test_stats_without_a_store_says_so(tmp_path):
    run = seatdesk("stats", "--data-dir", str(tmp_path))
    assert run.returncode == 1 and "no SeatDesk database" in run.stderr


def test_plugins_lists_both_sandbox_flavours():
    run = seatdesk("plugins", "--json")
    assert run.returncode == 0, run.stderr
    by_id = {p["platform_id"]: p for p in json.loads(run.stdout)}
    for pid in ("sandbox-tb", "sandbox-dy"):
        assert by_id[pid]["error"] is None
        assert 1 in by_id[pid]["api_versions"]
        assert "push" in by_id[pid]["capabilities"]


def test_sandbox_serve_prints_one_json_line_and_serves():
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "sandbox", "serve", "--port", "0", "--shops", "3",
         "--rate", "5", "--seed", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = json.loads(proc.stdout.readline())
        assert len(line["shops"]) == 3
        assert {"platform_shop_id", "credentials"} <= set(line["shops"][0])
        ledger = httpx.get(line["url"] + "/admin/ledger", timeout=10).json()
        assert set(ledger["shops"]) == {s["platform_shop_id"] for s in line["shops"]}
    finally:
        proc.terminate()
        assert proc.wait(20) == 0
