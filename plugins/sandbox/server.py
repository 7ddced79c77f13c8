"""The sandbox platform process: HTTP server + simulator thread, and `seatdesk sandbox serve`."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import socket
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any

from .faults import Faults
from .handler import SandboxHandler
from .simulator import Simulator
from .store import Store

log = logging.getLogger("seatdesk.plugin.sandbox")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many shops open connections at once; the default 5 stalls them

    def __init__(self, address: tuple[str, int], app: SandboxServer) -> None:
        self.app = app
        self._conns: set[socket.socket] = set()
        self._busy: set[socket.socket] = set()  # connections in the middle of a request
        # ThreadingMixIn does not track daemon threads, so stop() could not join them.
        self._handler_threads: set[threading.Thread] = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, SandboxHandler)

    def mark_busy(self, conn: socket.socket, busy: bool) -> None:
        with self._conns_lock:
            (self._busy.add if busy else self._busy.discard)(conn)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), name="sandbox-conn", daemon=True
        )
        with self._conns_lock:
            self._conns.add(request)
            self._handler_threads.add(thread)
        thread.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conns_lock:
                self._handler_threads.discard(threading.current_thread())

    def join_handlers(self, timeout: float = 2.0) -> None:
        deadline = time.monotonic() + timeout
        with self._conns_lock:
            threads = list(self._handler_threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_connections(self, grace: float = 2.0) -> None:
        """Unblock every handler thread: idle keep-alive connections at once, busy
        ones once their reply is out (or after `grace` seconds), so no reply is cut."""
        deadline = time.monotonic() + grace
        done: set[socket.socket] = set()
        while True:
            with self._conns_lock:
                idle = self._conns - self._busy - done
                busy = bool(self._busy - done) and time.monotonic() < deadline
                if not busy:
                    idle = self._conns - done
            for conn in idle:
                with contextlib.suppress(OSError):  # already closed by its handler
                    conn.shutdown(socket.SHUT_RDWR)
            done |= idle
            if not busy:
                return
            time.sleep(0.005)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients vanish mid-reply all the time (drop faults, shutdown); not worth a traceback.
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


class SimulatorThread(threading.Thread):
    """Runs simulator ticks at `rate` per second of wall time, batching when behind."""

    MAX_BATCH = 200  # ticks per lock hold, so HTTP threads are never starved for long
    MAX_BACKLOG_S = 1.0  # further behind than this (a stalled machine), skip instead of bursting

    def __init__(self, simulator: Simulator, rate: float) -> None:
        super().__init__(name="sandbox-simulator", daemon=True)
        self.simulator = simulator
        self.rate = rate
        self.paused = False
        self._stopping = threading.Event()
        self._wake = threading.Event()

    def run(self) -> None:
        base: float | None = None
        done = 0
        paced_at = self.rate
        while not self._stopping.is_set():
            rate = self.rate
            if self.paused or rate <= 0:
                base = None
                self._wake.wait(0.25)
                self._wake.clear()
                continue
            now = time.monotonic()
            if base is None or rate != paced_at:  # (re)start the schedule: no burst after a pause or a new rate
                base, done, paced_at = now, 0, rate
            due = int((now - base) * rate) - done
            if due > rate * self.MAX_BACKLOG_S + self.MAX_BATCH:
                done += due - self.MAX_BATCH
                due = self.MAX_BATCH
            if due <= 0:
                next_at = base + (done + 1) / rate
                self._wake.wait(min(max(next_at - now, 0.0005), 0.25))
                self._wake.clear()
                continue
            n = min(due, self.MAX_BATCH)
            self.simulator.run_ticks(n)
            done += n

    def poke(self) -> None:
        """Re-read rate/paused now rather than at the next wake-up."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()


class SandboxServer:
    """A complete simulated open platform on loopback. Use as a context manager."""

    def __init__(
        self,
        shops: int = 4,
        rate: float = 2.0,
        seed: int = 1,
        faults: str = "",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if shops < 1:
            raise ValueError(f"shops must be at least 1, got {shops}")
        if rate < 0:
            raise ValueError(f"rate must not be negative, got {rate:g}")
        self.faults: Faults = Faults(faults, seed)  # a bad spec fails here, before anything binds
        self.store: Store = Store(shops, seed)
        self.simulator: Simulator = Simulator(self.store, seed)
        self.stopping: threading.Event = threading.Event()
        self._address = (host, port)
        self._sim_thread = SimulatorThread(self.simulator, rate)
        self._httpd: _HTTPServer | None = None
        self._http_thread: threading.Thread | None = None

    # -- life cycle --

    def start(self) -> None:
        """Bind, listen, start serving and simulating; returns once connections are accepted."""
        if self._httpd is not None:
            raise RuntimeError("sandbox server already started")
        self._httpd = _HTTPServer(self._address, self)  # binds and listens
        # A short poll interval keeps stop() quick; serve_forever only checks it between selects.
        self._http_thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="sandbox-http", daemon=True
        )
        self._http_thread.start()
        self._sim_thread.start()

    def stop(self) -> None:
        """Stop simulating and serving; wake long-polls, close connections, join threads."""
        httpd = self._httpd
        if httpd is None or self.stopping.is_set():
            return
        self.stopping.set()
        self._sim_thread.stop()
        self.store.close()
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        httpd.join_handlers()
        if self._http_thread is not None:
            self._http_thread.join()
        self._sim_thread.join()

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what clients need --

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("sandbox server not started")
        return f"http://{self._address[0]}:{self._httpd.server_port}"

    @property
    def shops(self) -> list[dict[str, Any]]:
        return [shop.public() for shop in self.store.shops]

    # -- simulator control (also reachable through /admin) --

    @property
    def rate(self) -> float:
        return self._sim_thread.rate

    def set_rate(self, rate: float) -> None:
        self._sim_thread.rate = rate
        self._sim_thread.poke()

    @property
    def paused(self) -> bool:
        return self._sim_thread.paused

    def pause(self) -> None:
        self._sim_thread.paused = True
        self._sim_thread.poke()

    def resume(self) -> None:
        self._sim_thread.paused = False
        self._sim_thread.poke()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seatdesk sandbox serve",
        description="Run the simulated open platform on loopback. Prints one JSON line "
        "(url + shops with credentials), then serves until SIGINT/SIGTERM.",
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one (default)")
    parser.add_argument("--shops", type=int, default=4, help="number of shops, alternating flavours (default 4)")
    parser.add_argument("--rate", type=float, default=2.0, help="buyer messages per second over all shops")
    parser.add_argument("--seed", type=int, default=1, help="seed for shops, credentials and buyers")
    parser.add_argument("--faults", default="", help="e.g. latency=50ms,error5xx=0.1,ratelimit=0.05:2,drop=0.02")
    return parser


def _print_line(line: str) -> None:
    # UTF-8 bytes whatever the console code page, so parents can always json.loads it.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(line.encode("utf-8") + b"\n")
        buffer.flush()
    else:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def serve_main(argv: list[str] | None = None) -> int:
    """`seatdesk sandbox serve [--port 0] [--shops N] [--rate R] [--seed N] [--faults SPEC]`.

    `argv` is what follows `serve` (a leading "serve" is accepted too).
    Returns the exit code: 0 after SIGINT/SIGTERM, 2 for bad arguments.
    """
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["serve"]:
        args_in = args_in[1:]
    try:
        args = _parser().parse_args(args_in)
    except SystemExit as exc:  # argparse already printed the usage/error
        return exc.code if isinstance(exc.code, int) else 2
    try:
        server = SandboxServer(shops=args.shops, rate=args.rate, seed=args.seed, faults=args.faults, port=args.port)
    except ValueError as exc:
        print(f"seatdesk sandbox serve: error: {exc}", file=sys.stderr)
        return 2
    try:
        server.start()
    except OSError as exc:
        print(f"seatdesk sandbox serve: cannot listen on port {args.port}: {exc}", file=sys.stderr)
        return 1

    done = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    try:
        _print_line(json.dumps({"url": server.url, "shops": server.shops}, ensure_ascii=False))
        # Wake periodically: on Windows a signal handler only runs between bytecodes.
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
