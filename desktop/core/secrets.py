"""Shop credentials in the OS keyring (never the database, settings or logs)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from importlib.metadata import entry_points

import keyring
import keyring.backend
import keyring.errors

SERVICE = "SeatDesk"

NO_KEYRING_HELP = (
    "No usable system keyring was found, and SeatDesk never stores shop credentials "
    "in plain text. Options: (1) on Linux, run a Secret Service provider (GNOME Keyring "
    "or KWallet) in your desktop session; (2) install another keyring backend and select "
    "it with the PYTHON_KEYRING_BACKEND environment variable (see the `keyring` docs); "
    "(3) for the demo only, run `seatdesk --demo`, whose sandbox credentials live in memory."
)


class NoKeyring(RuntimeError):
    """The keyring has no usable backend."""


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything at exit. Only for tests and the demo,
    and only when chosen explicitly (PYTHON_KEYRING_BACKEND or in code)."""

    # Below keyring's own "fail" backend (0): auto-selection never lands here,
    # so there is no silent fallback to memory.
    priority = -1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's own is untyped
        self._data: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._data.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError(username)


def backend_usable(backend: keyring.backend.KeyringBackend) -> bool:
    from keyring.backends import fail

    if isinstance(backend, fail.Keyring):
        return False
    chained = getattr(backend, "backends", None)
    return bool(chained) if chained is not None else True


def describe_backend(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def installed_backend_names() -> list[str]:
    """Backends declared through keyring's entry points (a frozen app loses
    them unless the bundle keeps keyring's metadata)."""
    return sorted(ep.name for ep in entry_points(group="keyring.backends"))


class SecretStore:
    """Credentials of each shop under one reference, `shop:<platform>:<id>`."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()
        if not backend_usable(self._backend):
            raise NoKeyring(NO_KEYRING_HELP)
        self._known: set[str] = set()
        self._known_lock = threading.Lock()

    @property
    def backend_name(self) -> str:
        return describe_backend(self._backend)

    def put(self, ref: str, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self._backend.set_password(SERVICE, f"{ref}/{name}", value)
            self._remember(value)

    def get(self, ref: str, name: str) -> str | None:
        value = self._backend.get_password(SERVICE, f"{ref}/{name}")
        if value:
            self._remember(value)
        return value

    def scoped(self, ref: str) -> ScopedSecrets:
        return ScopedSecrets(self, ref)

    def _remember(self, value: str) -> None:
        if len(value) >= 4:
            with self._known_lock:
                self._known.add(value)

    def redact(self, text: str) -> str:
        with self._known_lock:
            known = sorted(self._known, key=len, reverse=True)
        for value in known:
            text = text.replace(value, "***")
        return text


class ScopedSecrets:
    """What an adapter sees: its own shop's secrets, by field name."""

    def __init__(self, store: SecretStore, ref: str) -> None:
        self._store = store
        self._ref = ref

    def get(self, name: str) -> str | None:
        return self._store.get(self._ref, name)

    def set(self, name: str, value: str) -> None:
        """A refreshed token: kept in the keyring, and redacted from logs from now on."""
        self._store.put(self._ref, {name: value})


class RedactingFilter(logging.Filter):
    """Masks every secret the store has handed out, wherever it shows up in a log."""

    def __init__(self, store: SecretStore) -> None:
        super().__init__()
        self._store = store

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._store.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
