"""Plugin registry (broken plugins never fatal) and keyring-only secrets."""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint

import keyring.backends.fail
import pytest
from fakes import FakeAdapter

from desktop.core.registry import Registry
from desktop.core.secrets import MemoryKeyring, NoKeyring, RedactingFilter, SecretStore
from desktop.sdk import PlatformInfo


class OldAdapter(FakeAdapter):
    info = PlatformInfo("old", "旧平台", (0,), frozenset())


def test_bundled_plugins_load_through_entry_points():
    registry = Registry.discover(["sandbox-tb", "sandbox-dy"])
    assert {s.platform_id for s in registry.statuses()} == {"sandbox-tb", "sandbox-dy"}
    assert not registry.problems()
    assert registry.info("sandbox-dy").flags  # the declared palette is there


def test_tests_load_only_the_plugins_they_name():
    assert [s.name for s in Registry.discover(["sandbox-tb"]).statuses()] == ["sandbox-tb"]


def test_a_broken_or_incompatible_plugin_is_reported_not_fatal():
    registry = Registry()
    registry._load(EntryPoint("broken", "no_such_module_xyz:Adapter", "seatdesk.platforms"))
    registry._load(EntryPoint("old", f"{__name__}:OldAdapter", "seatdesk.platforms"))
    registry._load(EntryPoint("fake", "fakes:FakeAdapter", "seatdesk.platforms"))
    problems = {p.name: p.error for p in registry.problems()}
    assert "ModuleNotFoundError" in problems["broken"]
    assert "plugin API [0]" in problems["old"]
    assert registry.adapter("fake") is FakeAdapter


def test_no_usable_keyring_is_a_clear_error_never_plaintext():
    with pytest.raises(NoKeyring, match="never stores shop credentials in plain text"):
        SecretStore(keyring.backends.fail.Keyring())


def test_memory_keyring_is_never_chosen_automatically():
    assert MemoryKeyring.priority < 0  # below keyring's own "fail" backend


def test_secrets_are_scoped_and_redacted_from_logs(caplog):
    store = SecretStore(MemoryKeyring())
    store.put("shop:x:1", {"app_secret": "s3cr3t-value"})
    assert store.scoped("shop:x:1").get("app_secret") == "s3cr3t-value"
    assert store.scoped("shop:x:2").get("app_secret") is None
    log = logging.getLogger("seatdesk.test.redact")
    log.addFilter(RedactingFilter(store))
    with caplog.at_level(logging.INFO, logger="seatdesk.test.redact"):
        log.info("calling with secret %s", "s3cr3t-value")
    assert "s3cr3t-value" not in caplog.text and "***" in caplog.text
