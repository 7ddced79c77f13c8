"""A scaffolded plugin passes its own tests, installs into the user plugins folder
(`pip install --target`, as the packaged app needs), stays off until enabled, is
then listed by `seatdesk plugins`, and its shop syncs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import wait_until

from desktop.core.views import OrderFilter


def seatdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def installed(tmp_path, monkeypatch):
    from desktop.scaffold import scaffold

    root = scaffold("acme_shop", tmp_path)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stdout + done.stderr  # its own tests pass out of the box
    folder = tmp_path / "plugins"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                          "--no-build-isolation", "--target", str(folder), str(root)],
                         capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr
    monkeypatch.setenv("SEATDESK_PLUGINS_DIR", str(folder))
    return folder


def test_a_scaffolded_plugin_is_listed_enabled_and_syncs(installed, tmp_path):
    env = {**os.environ, "SEATDESK_PLUGINS_DIR": str(installed)}
    listed = {s["name"]: s for s in json.loads(seatdesk("plugins", "--json", env=env).stdout)}
    assert listed["acme_shop"]["source"] == "user" and not listed["acme_shop"]["enabled"]
    assert seatdesk("plugins", "enable", "acme_shop", env=env).returncode == 0
    listed = {s["name"]: s for s in json.loads(seatdesk("plugins", "--json", env=env).stdout)}
    assert listed["acme_shop"]["enabled"] and listed["acme_shop"]["error"] is None
    assert listed["acme_shop"]["platform_id"] == "acme_shop"
    assert "sandbox-tb" in listed  # the app's own plugins are still there

    from desktop.app import build_core

    (tmp_path / "data").mkdir()
    core = build_core(tmp_path / "data", memory_secrets=True)
    try:
        from seatdesk_acme_shop.fake import AcmeShopAdapterFake

        with AcmeShopAdapterFake() as fake:
            fake.add_orders(12)
            core.desk.add_shop("acme_shop", fake.platform_shop_id, "Acme 店", fake.secrets(),
                               fake.settings()).result(30)
            wait_until(lambda: core.desk.count_orders(OrderFilter()) == 12, 30)
    finally:
        core.close()
