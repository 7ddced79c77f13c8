"""Composition root: settings → database → registry → secrets → engine → window."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("seatdesk.app")

DEMO_MARKER = ".seatdesk-demo"
DEMO_SHOPS = 4


@dataclass
class Core:
    """Everything below the UI, built once per run and passed down."""

    data_dir: Path
    db_url: str
    db: Any
    registry: Any
    secrets: Any
    runner: Any
    desk: Any
    settings: Any
    secrets_problem: str = ""
    sandbox: Any = None
    closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        self.runner.stop()
        for close in reversed(self.closers):
            close()
        self.db.dispose()


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("SeatDesk", appauthor=False))


def prepare_data_dir(data_dir: Path | None, *, demo: bool) -> Path:
    """The demo keeps its own store, rebuilt at each start (its sandbox starts
    fresh too); it never touches a directory that holds real data."""
    if data_dir is None:
        data_dir = default_data_dir() / "demo" if demo else default_data_dir()
    data_dir = data_dir.expanduser().resolve()
    if demo:
        marker = data_dir / DEMO_MARKER
        if data_dir.exists() and any(data_dir.iterdir()) and not marker.exists():
            raise SystemExit(
                f"--demo will not use {data_dir}: it holds data that is not a SeatDesk demo. "
                "Pick an empty --data-dir."
            )
        if marker.exists():
            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        marker.write_text("This directory holds SeatDesk demo data; --demo rebuilds it.\n")
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir


def configure_logging(data_dir: Path | None, verbose: bool = False) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if data_dir is not None:
        handlers.append(logging.FileHandler(data_dir / "seatdesk.log", encoding="utf-8"))
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers, force=True,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("websockets").setLevel(logging.WARNING)  # handshake lines carry signatures
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def build_core(
    data_dir: Path, db_url: str | None = None, *, plugins: list[str] | None = None,
    memory_secrets: bool = False, start: bool = True,
) -> Core:
    from desktop.core.db import open_database, sqlite_url
    from desktop.core.desk import Desk
    from desktop.core.engine import EngineRunner
    from desktop.core.registry import Registry
    from desktop.core.phrasebook import seed_defaults as seed_default_phrases
    from desktop.core.seats import ensure_local_seat
    from desktop.core.secrets import MemoryKeyring, NoKeyring, RedactingFilter, SecretStore
    from desktop.core.settings import Settings

    settings = Settings(data_dir / "settings.json")
    url = db_url or settings.get("db.url") or sqlite_url(data_dir)
    db = open_database(url)
    registry = discover_plugins(plugins)
    for problem in registry.problems():
        log.warning("plugin %s not loaded: %s", problem.name, problem.error)
    problem = ""
    try:
        secrets = SecretStore(MemoryKeyring() if memory_secrets else None)
    except NoKeyring as exc:
        problem = str(exc)
        log.error("%s", problem)
        secrets = SecretStore(MemoryKeyring())  # empty: every shop shows "needs login"
    redactor = RedactingFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    runner = EngineRunner(
        db, registry, secrets,
        poll_interval=float(settings.get("engine.poll_interval")),
        push_poll_interval=float(settings.get("engine.push_poll_interval")),
        webhooks=webhook_receiver(settings),
    )
    home_seat = ensure_local_seat(db, settings.get("seat.name"), settings.get("seat.display_name"))
    seed_default_phrases(db)  # a new store's team library (once; resources/phrases)
    desk = Desk(db, registry, runner, settings.get("seat.display_name"),
                remark_format=settings.get("remarks.format"),
                remark_time_format=settings.get("remarks.time_format"), settings=settings)
    desk.home_seat_id = home_seat  # the window signs in as it (Desk.sign_in)
    core = Core(data_dir, url, db, registry, secrets, runner, desk, settings, problem)
    if start:
        runner.start()
    return core


def webhook_receiver(settings: Any) -> Any:
    """The webhook receiver when both its settings are filled in, else None."""
    listen, public = settings.get("webhooks.listen"), settings.get("webhooks.public_url")
    if not (listen and public):
        return None
    from desktop.core.webhooks import WebhookReceiver

    return WebhookReceiver(listen, public)


# -- the sandbox ------------------------------------------------------------------------
def sandbox_class() -> Any:
    from importlib.metadata import entry_points

    for ep in entry_points(group="seatdesk.sandbox"):
        return ep.load()
    raise SystemExit("the sandbox plugin is not installed (entry point group seatdesk.sandbox)")


def start_demo_sandbox(shops: int = DEMO_SHOPS, rate: float = 2.0, seed: int = 7,
                       history: int = 400) -> Any:
    """The demo platform, with `history` buyer messages already played so a new
    user sees chats and orders at once, and buyers going on at `rate` per second."""
    server = sandbox_class()(shops=shops, rate=rate, seed=seed)
    # Play the history over the last half hour, so waiting times differ as in a
    # real morning, then hand the platform back its wall clock.
    live_clock = server.store._clock
    start = time.time() - 1800
    step = 1800 / max(history, 1)
    for tick in range(history):
        server.store._clock = lambda t=start + tick * step: t
        server.simulator.run_ticks(1)
    server.store._clock = live_clock
    server.start()
    return server


def sandbox_shops(url: str) -> list[dict[str, Any]]:
    """Shops and credentials of a running sandbox (its loopback admin endpoint)."""
    import httpx

    reply = httpx.get(url.rstrip("/") + "/admin/shops", timeout=10)
    reply.raise_for_status()
    return list(reply.json()["shops"])


def register_sandbox_shops(core: Core, url: str, shops: list[dict[str, Any]]) -> None:
    from desktop.core.shops import save_shop

    for shop in shops:
        save_shop(core.db, core.secrets, platform=shop["platform"],
                  platform_shop_id=shop["platform_shop_id"], name=shop["name"],
                  credentials=shop["credentials"], settings={"base_url": url})


DEMO_COLLEAGUES = (("li", "小李", "售前"), ("zhang", "小张", "售后"))


def add_demo_colleagues(core: Core) -> None:
    """Two colleagues on the demo team, so the console and transfers have someone to
    show: they are not signed in (offline), so routing sends every chat to you; as the
    store's lead you may still hand chats to them."""
    from desktop.core.seats import save_seat
    from desktop.core.views import SeatProfile

    shop_ids = [s.id for s in core.desk.shops()]
    for name, display, group in DEMO_COLLEAGUES:
        accounts = tuple((shop_id, f"demo:{display}") for shop_id in shop_ids)
        save_seat(core.db, SeatProfile(name, display, groups=(group,), max_chats=10,
                                       accounts=accounts))


def enable_demo_auto_replies(core: Core) -> None:
    """The demo shops answer new buyers with a welcome line, a busy line when no seat can
    take them, and an away line outside 08:00–23:00 (core/autoreply.py)."""
    from desktop.core import autoreply
    from desktop.core.views import AutoReplySettings

    for shop in core.desk.shops():
        autoreply.save(core.db, shop.id, AutoReplySettings(welcome=True, busy=True, away=True))


def core_with_sandbox(data_dir: Path, db_url: str | None, *, demo: bool,
                      connect: str | None) -> Core:
    """Build core; with --demo or --connect-sandbox, register the sandbox's shops first
    (their credentials in an explicitly chosen in-memory keyring)."""
    sandboxed = demo or bool(connect)
    core = build_core(data_dir, db_url, memory_secrets=sandboxed, start=False)
    if demo:
        core.sandbox = start_demo_sandbox()
        core.closers.append(core.sandbox.stop)
        register_sandbox_shops(core, core.sandbox.url, core.sandbox.shops)
        add_demo_colleagues(core)
        enable_demo_auto_replies(core)
    elif connect:
        register_sandbox_shops(core, connect, sandbox_shops(connect))
    core.runner.start()
    return core


# -- commands --------------------------------------------------------------------------
def run_engine(data_dir: Path | None, db_url: str | None, *, demo: bool, connect: str | None,
               run_for: float | None, verbose: bool = False, print_notices: bool = False) -> int:
    data_dir = prepare_data_dir(data_dir, demo=demo)
    configure_logging(data_dir, verbose)
    core = core_with_sandbox(data_dir, db_url, demo=demo, connect=connect)
    if print_notices:
        printer = NoticePrinter(core.runner)
        core.runner.add_watcher(printer.on_notice)
        printer.check_synced()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    log.info("engine running on %s (%d shops)", core.db_url, len(core.desk.shops()))
    stop.wait(run_for)
    core.close()
    return 0


class NoticePrinter:
    """`seatdesk engine --print-notices`: a JSON line on stdout for each change notice
    (and whether another seat's app sent it) and whenever the shops this engine syncs
    change, each stamped with the wall clock: what the team tests and bench_fanout read."""

    def __init__(self, runner: Any) -> None:
        self._runner = runner
        self._lock = threading.Lock()
        self._synced: frozenset[int] | None = None

    def on_notice(self, notice: Any, remote: bool) -> None:
        from desktop.core.team import as_wire

        self._print({"event": "notice", "remote": remote, "notice": as_wire(notice)})
        if notice.shops:  # the engine announces the shops it won or lost
            self.check_synced()

    def check_synced(self) -> None:
        shops = self._runner.synced_shops()
        with self._lock:
            if shops == self._synced:
                return
            self._synced = shops
        self._print({"event": "synced", "holder": self._runner.leases.holder,
                     "shops": sorted(shops)})

    def _print(self, fields: dict[str, Any]) -> None:
        line = json.dumps({"t": time.time(), "pid": os.getpid(), **fields})
        with self._lock:
            print(line, flush=True)


class DeferredDesk:
    """Stands in for the desk while the store opens, so the window shows first:
    SQLAlchemy, httpx and the migrations load after the first frame (start-up
    target ≤ 500 ms, research/performance-limits.md §5). Listeners registered
    early are handed on when the real desk is attached."""

    def __init__(self) -> None:
        self._desk: Any = None
        self._listeners: list[Any] = []

    @property
    def seat_name(self) -> str:
        """The signed-in seat's display name (it changes when the seat does)."""
        return "" if self._desk is None else str(self._desk.seat_name)

    def attach(self, desk: Any) -> None:
        self._desk = desk
        for callback in self._listeners:
            desk.add_listener(callback)

    def add_listener(self, callback: Any) -> None:
        if self._desk is None:
            self._listeners.append(callback)
        else:
            self._desk.add_listener(callback)

    def __getattr__(self, name: str) -> Any:
        if self._desk is None:
            raise RuntimeError(f"the store is still opening ({name})")
        return getattr(self._desk, name)


def run_gui(data_dir: Path | None, db_url: str | None, *, demo: bool, lang: str | None,
            muted: bool, verbose: bool = False) -> int:
    from PySide6.QtCore import QTimer

    from desktop.ui.application import create_application
    from desktop.ui.mainwindow import MainWindow

    data_dir = prepare_data_dir(data_dir, demo=demo)
    configure_logging(data_dir, verbose)
    app = create_application(sys.argv, lang)
    desk = DeferredDesk()
    window = MainWindow(desk, muted=muted, autoload=False)
    window.show()
    # The store opens on a worker thread (imports, migrations, the demo sandbox):
    # the window stays live meanwhile; the bridge hands the result back.
    opening = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seatdesk-boot")
    future = opening.submit(core_with_sandbox, data_dir, db_url, demo=demo, connect=None)
    probe = bool(os.environ.get("SEATDESK_STARTUP_PROBE"))

    def ready(done: Future[Core]) -> None:
        try:
            core = done.result()
        except BaseException as exc:  # noqa: BLE001 - shown, not swallowed: the app cannot work
            log.error("start-up failed", exc_info=exc)
            window.show_store_problem(str(exc))
            return
        desk.attach(core.desk)
        if core.secrets_problem:
            window.show_keyring_problem()
        problems = core.registry.problems()
        if problems:
            window.show_plugin_problems([(p.name, p.error or "") for p in problems])
        window.load()
        if probe:
            _probe("loaded", app.quit)

    if probe:  # bench_startup: a stamp as soon as the first frame is up
        QTimer.singleShot(0, lambda: _probe("shown"))
    window.bridge.when_done(future, ready)
    try:
        return app.exec()
    finally:
        opening.shutdown(wait=True)
        if future.exception() is None:
            future.result().close()


def _probe(stage: str, then: Any = None) -> None:
    """One JSON line for tests/benchmarks/bench_startup.py: wall time and peak RSS."""
    from PySide6.QtCore import QTimer

    rss = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            rss = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    print(json.dumps({"stage": stage, "t": time.time(), "rss_mb": rss}), flush=True)
    if then is not None:
        QTimer.singleShot(500, then)  # let the inbox paint, then quit


def stats(data_dir: Path | None, db_url: str | None, as_json: bool) -> int:
    from desktop.core.db import open_database, sqlite_url
    from desktop.core.queries import shop_stats

    data_dir = (data_dir or default_data_dir()).expanduser().resolve()
    if db_url is None and not (data_dir / "seatdesk.sqlite3").exists():
        print(f"no SeatDesk database in {data_dir}", file=sys.stderr)
        return 1
    db = open_database(db_url or sqlite_url(data_dir))
    rows = shop_stats(db)
    db.dispose()
    if as_json:
        print(json.dumps({"shops": rows}, ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['id']:>3} {r['name']} [{r['platform']}] {r['health']}: "
                  f"{r['conversations']} conversations, {r['messages']} messages, "
                  f"{r['orders']} orders, outbox {r['outbox_pending']} pending / "
                  f"{r['outbox_failed']} failed")
    return 0


def user_plugins_dir() -> Path:
    """Where third-party plugins are installed with `pip install --target` (the frozen
    app cannot pip-install into itself): SEATDESK_PLUGINS_DIR, else `plugins/` in the
    user's SeatDesk data folder (not the --data-dir: one set of plugins per user)."""
    override = os.environ.get("SEATDESK_PLUGINS_DIR")
    return Path(override).expanduser() if override else default_data_dir() / "plugins"


def discover_plugins(only: list[str] | None = None) -> Any:
    from desktop.core.registry import Registry, enabled_user_plugins

    folder = user_plugins_dir()
    return Registry.discover(only, user_dir=folder, enabled=enabled_user_plugins(folder))


def plugins_enable(name: str, enabled: bool) -> int:
    from desktop.core.registry import set_user_plugin_enabled

    folder = user_plugins_dir()
    known = {s.name for s in discover_plugins().statuses() if s.source == "user"}
    if enabled and name not in known:
        print(f"no plugin {name!r} in {folder}", file=sys.stderr)
        return 1
    set_user_plugin_enabled(folder, name, enabled)
    print(f"{name} {'enabled' if enabled else 'disabled'}")
    return 0


def plugins_new(name: str, target: Path | None) -> int:
    from desktop.scaffold import scaffold

    try:
        root = scaffold(name, target or Path.cwd())
    except (ValueError, FileExistsError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"created {root}")
    return 0


def plugins_report(as_json: bool = False) -> int:
    statuses = discover_plugins().statuses()
    if as_json:
        print(json.dumps([asdict(s) for s in statuses], ensure_ascii=False))
        return 0 if statuses else 1
    for s in statuses:
        if s.error:
            print(f"{s.name}\tFAILED\t{s.value}\t{s.error}")
        elif not s.enabled:
            print(f"{s.name}\tDISABLED\t{s.distribution} {s.version}\t"
                  f"user plugin: seatdesk plugins enable {s.name}")
        else:
            print(f"{s.platform_id}\t{s.display_name}\t{s.distribution} {s.version}\t"
                  f"API {','.join(map(str, s.api_versions))}\t{','.join(s.capabilities)}\tok")
    return 0 if statuses else 1


def sandbox_serve(argv: list[str]) -> int:
    module = sys.modules.get(sandbox_class().__module__)
    return int(module.serve_main(argv))  # type: ignore[union-attr]


def self_test() -> int:
    from desktop.selftest import run

    return run()
