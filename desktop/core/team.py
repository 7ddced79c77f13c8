"""Team mode on PostgreSQL: which app syncs which shop (advisory locks) and change notices
shared between the seats' apps (LISTEN/NOTIFY). On SQLite every shop is this app's."""

from __future__ import annotations

import json
import logging
import os
import queue
import socket
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from .views import ChangeNotice

if TYPE_CHECKING:  # psycopg is imported in team mode only: solo needs no PostgreSQL driver
    import psycopg

log = logging.getLogger("seatdesk.team")

# The two-int advisory lock (LOCK_CLASS, shop id) is the lease on a shop; the class keeps
# SeatDesk's locks apart from any other application's on the same database.
LOCK_CLASS = 0x5EA7D35C
LEASE_RETRY_S = 2.0  # how often free shops are tried for: the takeover time after a crash
CHANNEL = "seatdesk"
PAYLOAD_LIMIT = 7999  # bytes; PostgreSQL refuses a NOTIFY payload of 8000 or more
WIRE_TEXT_CHARS = 200  # texts in notices are previews (the tray shows 80 characters)
LISTEN_POLL_S = 0.2  # how soon the listener thread sees that it should stop
RECONNECT_CAP_S = 10.0
# Each ChangeNotice field is rebuilt from the wire as the type of its default.
_KINDS: dict[str, type[Any]] = {f.name: type(f.default) for f in fields(ChangeNotice)}


def conninfo(db: Engine) -> str | None:
    """The libpq connection string of a PostgreSQL store; None for SQLite (solo mode)."""
    if db.url.get_backend_name() != "postgresql":
        return None
    return db.url.set(drivername="postgresql").render_as_string(hide_password=False)


def holder_name(origin: str) -> str:
    """How this app shows in pg_stat_activity (and so in `lease_holders`)."""
    return f"seatdesk {socket.gethostname()} {os.getpid()} {origin}"[:63]


def connect(conninfo: str, name: str) -> psycopg.Connection[Any]:
    """A dedicated autocommit session. A dead peer must not hold leases for long:
    libpq gives up on a silent server, and the server on a silent client (its
    defaults wait two hours), after some 15 s."""
    import psycopg

    return psycopg.connect(
        conninfo, autocommit=True, application_name=name, connect_timeout=5, keepalives=1,
        keepalives_idle=5, keepalives_interval=2, keepalives_count=3, tcp_user_timeout=15000,
        options="-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3")


# -- leases ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LeaseChange:
    gained: frozenset[int] = frozenset()
    lost: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.gained or self.lost)


class ShopLeases:
    """The shops this app syncs. In team mode one session-level advisory lock per shop,
    all on one dedicated connection: PostgreSQL drops them with the session when the
    app quits, dies or loses the server, and another app's next `claim` wins them.
    Not thread-safe: one thread claims (the engine's team thread)."""

    def __init__(self, conninfo: str | None, holder: str) -> None:
        self._conninfo = conninfo
        self.holder = holder
        self._conn: psycopg.Connection[Any] | None = None
        self._owned: frozenset[int] = frozenset()

    @property
    def team(self) -> bool:
        return self._conninfo is not None

    @property
    def owned(self) -> frozenset[int]:
        return self._owned

    def claim(self, wanted: Collection[int]) -> LeaseChange:
        """Try for every wanted shop not held yet, let go of held ones no longer wanted.
        A broken connection loses every lease (the next claim reconnects)."""
        want = frozenset(wanted)
        before = self._owned
        if self._conninfo is None:
            self._owned = want
            return LeaseChange(want - before, before - want)
        import psycopg

        try:
            self._owned = self._lock(want)
        except psycopg.Error as exc:
            if before:
                log.warning("lease connection lost (%s): no longer syncing shops %s",
                            exc, sorted(before))
            self._disconnect()
            self._owned = frozenset()
        change = LeaseChange(self._owned - before, before - self._owned)
        if change:
            log.info("%s syncs shops %s (won %s, lost %s)", self.holder, sorted(self._owned),
                     sorted(change.gained), sorted(change.lost))
        return change

    def _lock(self, want: frozenset[int]) -> frozenset[int]:
        conn = self._connection()
        release = sorted(self._owned - want)
        if release:
            conn.execute("SELECT pg_advisory_unlock(%s, s) FROM unnest(%s::int[]) AS s",
                         (LOCK_CLASS, release))
        missing = sorted(want - self._owned)
        # With nothing to try for, the round trip still proves the session (and its locks) alive.
        won = conn.execute("SELECT s FROM unnest(%s::int[]) AS s WHERE pg_try_advisory_lock(%s, s)",
                           (missing, LOCK_CLASS)).fetchall()
        return (self._owned & want) | frozenset(int(row[0]) for row in won)

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = connect(self._conninfo or "", self.holder)
        return self._conn

    def _disconnect(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - it is broken already
                log.debug("closing the lease connection", exc_info=True)
            self._conn = None

    def close(self) -> None:
        """Let go of every shop at once: closing the session drops its locks."""
        self._disconnect()
        self._owned = frozenset()


def lease_holders(db: Engine) -> dict[int, str]:
    """Who syncs what, for the whole team: shop id → the holder name of the app
    (`holder_name`) whose session holds its lease."""
    with db.connect() as conn:
        rows = conn.execute(text(
            "SELECT l.objid::bigint AS shop_id, a.application_name FROM pg_locks l"
            " JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
            " AND l.classid = CAST(:cls AS oid)"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            {"cls": LOCK_CLASS}).all()
    return {int(r.shop_id): str(r.application_name) for r in rows}


# -- change notices on the wire ------------------------------------------------------------
def as_wire(notice: ChangeNotice) -> dict[str, Any]:
    """The notice as JSON-ready values: every non-empty field, whatever fields
    ChangeNotice has (sets as lists, texts cut to previews)."""
    out: dict[str, Any] = {}
    for f in fields(ChangeNotice):
        value = getattr(notice, f.name)
        if value:
            out[f.name] = value if isinstance(value, bool) else [_cut(v) for v in value]
    return out


def _cut(value: Any) -> Any:
    if isinstance(value, str):
        return value[:WIRE_TEXT_CHARS]
    if isinstance(value, tuple):
        return [_cut(v) for v in value]
    return value


def _tupled(value: Any) -> Any:
    return tuple(_tupled(v) for v in value) if isinstance(value, list) else value


def from_wire(data: dict[str, Any]) -> ChangeNotice:
    """Back from `as_wire`, each field rebuilt as the type of its default (frozenset,
    tuple, bool); fields this version does not know are ignored."""
    values: dict[str, Any] = {}
    for f in fields(ChangeNotice):
        if f.name in data:
            kind, raw = _KINDS[f.name], data[f.name]
            values[f.name] = bool(raw) if kind is bool else kind(_tupled(v) for v in raw)
    return ChangeNotice(**values)


def encode(notice: ChangeNotice, origin: str) -> list[str]:
    """NOTIFY payloads for a notice, each under PAYLOAD_LIMIT: a big notice is cut
    into several smaller ones (split by entries, halving), so no id is dropped."""
    payload = json.dumps({"o": origin, "n": as_wire(notice)}, ensure_ascii=False,
                         separators=(",", ":"))
    if len(payload.encode("utf-8")) <= PAYLOAD_LIMIT:
        return [payload]
    entries = _entries(notice)
    if len(entries) < 2:  # one entry cannot be cut: pg_notify refuses it, and that is logged
        return [payload]
    half = len(entries) // 2
    return encode(_notice_of(entries[:half]), origin) + encode(_notice_of(entries[half:]), origin)


def _entries(notice: ChangeNotice) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for f in fields(ChangeNotice):
        value = getattr(notice, f.name)
        if isinstance(value, bool):
            if value:
                out.append((f.name, value))
        else:
            out.extend((f.name, item) for item in value)
    return out


def _notice_of(entries: list[tuple[str, Any]]) -> ChangeNotice:
    grouped: dict[str, list[Any]] = {}
    for name, item in entries:
        grouped.setdefault(name, []).append(item)
    values: dict[str, Any] = {}
    for f in fields(ChangeNotice):
        if f.name in grouped:
            kind = _KINDS[f.name]
            values[f.name] = True if kind is bool else kind(grouped[f.name])
    return ChangeNotice(**values)


def decode(payload: str) -> tuple[str, ChangeNotice]:
    """→ (origin, notice); raises ValueError (or KeyError/TypeError) on a foreign payload."""
    data = json.loads(payload)
    return str(data["o"]), from_wire(data["n"])


# -- publishing and listening ----------------------------------------------------------------
class NoticePublisher:
    """Sends this app's change notices to the other seats with pg_notify, on its own
    thread: `publish` never waits. A burst is merged into one notice and sent in one
    transaction. A notice that cannot be sent (no server) is logged and dropped: the
    other seats reconnect, and catch up, when the server is back."""

    def __init__(self, db: Engine, origin: str) -> None:
        self._db = db
        self._origin = origin
        self._queue: queue.SimpleQueue[ChangeNotice | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="seatdesk-notify", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def publish(self, notice: ChangeNotice) -> None:
        self._queue.put(notice)

    def close(self, timeout: float = 5.0) -> None:
        """Send what is queued, then stop."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            notices = [n for n in batch if n is not None]
            if notices:
                payloads = encode(ChangeNotice.merge(notices), self._origin)
                try:
                    self._send(payloads)
                except Exception:  # noqa: BLE001 - publishing must outlive a lost server
                    log.exception("publishing %d change notices failed", len(notices))
            if None in batch:
                return

    def _send(self, payloads: list[str]) -> None:
        with self._db.begin() as conn:  # delivered together, at commit
            conn.execute(text("SELECT pg_notify(:channel, p) FROM unnest(CAST(:ps AS text[])) AS p"),
                         {"channel": CHANNEL, "ps": payloads})


class NoticeListener:
    """Hears the other seats' change notices: LISTEN on its own connection and thread.
    `heard(notice)` gets each remote notice (never this app's own, by origin) and
    `connected()` each (re)connection, after which missed notices cannot be told apart:
    the engine then looks again at what a notice would have woken."""

    def __init__(self, conninfo: str, origin: str, heard: Callable[[ChangeNotice], None],
                 connected: Callable[[], None]) -> None:
        self._conninfo = conninfo
        self._origin = origin
        self._heard = heard
        self._on_connect = connected
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="seatdesk-listen", daemon=True)

    def start(self, wait: float = 5.0) -> None:
        """Start, and give the first LISTEN up to `wait` seconds to be in place."""
        self._thread.start()
        self.listening.wait(wait)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(LISTEN_POLL_S * 5)

    def _run(self) -> None:
        import psycopg

        delay = 0.5
        while not self._stop.is_set():
            try:
                with connect(self._conninfo, f"seatdesk listen {self._origin}") as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._on_connect()
                    delay = 0.5
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=LISTEN_POLL_S):
                            self._hear(note.payload)
            except psycopg.Error as exc:
                self.listening.clear()
                if self._stop.is_set():
                    return
                log.warning("change notice listener disconnected (%s); again in %.1f s", exc, delay)
            self._stop.wait(delay)
            delay = min(delay * 2, RECONNECT_CAP_S)

    def _hear(self, payload: str) -> None:
        try:
            origin, notice = decode(payload)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring a change notice that is not SeatDesk's: %s", exc)
            return
        if origin != self._origin and notice:
            try:
                self._heard(notice)
            except Exception:  # noqa: BLE001 - the listener must keep listening
                log.exception("handling a remote change notice failed")
