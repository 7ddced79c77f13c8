"""The one door from the engine thread into Qt: change notices and finished futures.

Every engine callback (a `ChangeNotice`, a command's `Future` completing) arrives on
the engine thread. The bridge is a QObject living on the GUI thread; its private
signals are emitted from the engine thread and delivered *queued*, so slots that
touch models and widgets always run on the GUI thread. No other UI module may
call Qt from a foreign thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from desktop.core.views import ChangeNotice

from .deskapi import DeskLike

log = logging.getLogger("seatdesk.ui")
T = TypeVar("T")


def assert_gui_thread() -> None:
    """Model mutations call this: a model touched from the engine thread corrupts views."""
    if not QThread.isMainThread():
        raise AssertionError(f"must run on the GUI thread, not {threading.current_thread().name}")


def merge_notices(notices: Iterable[ChangeNotice]) -> ChangeNotice:
    """Union of several notices, so a burst costs the UI one refresh, not one per notice."""
    return ChangeNotice.merge(notices)


class Bridge(QObject):
    """Create it on the GUI thread; `listen(desk)` registers it as the desk's listener."""

    notice_arrived = Signal(object)  # a merged ChangeNotice, emitted on the GUI thread

    # Emitted from foreign threads; connected queued to slots of this GUI-thread object.
    _notices_pending = Signal()
    _future_finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: list[ChangeNotice] = []
        self._closed = False
        queued = Qt.ConnectionType.QueuedConnection
        self._notices_pending.connect(self._on_bridge_notices_pending, queued)
        self._future_finished.connect(self._on_bridge_future_finished, queued)

    def listen(self, desk: DeskLike) -> None:
        desk.add_listener(self.post_notice)

    def close(self) -> None:
        """Stop forwarding: the engine may outlive the window by a few callbacks."""
        self._closed = True

    # -- any thread --------------------------------------------------------------
    def post_notice(self, notice: ChangeNotice) -> None:
        """The desk listener. Queues the notice; one queued wake-up per burst."""
        if self._closed or not notice:
            return
        with self._lock:
            wake = not self._pending
            self._pending.append(notice)
        if wake:
            self._emit_safely(self._notices_pending)

    def when_done(self, future: Future[T], callback: Callable[[Future[T]], Any]) -> None:
        """Run `callback(future)` on the GUI thread once `future` is done — never blocks.

        Even an already finished future is delivered through the event loop, so
        callers see one ordering whatever the engine's speed.
        """

        def done(f: Future[T]) -> None:
            if not self._closed:
                self._emit_safely(self._future_finished, callback, f)

        future.add_done_callback(done)

    def _emit_safely(self, signal: Any, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the QObject is gone: the window closed before the engine
            log.debug("bridge closed; dropped a callback")

    # -- GUI thread ----------------------------------------------------------------
    @Slot()
    def _on_bridge_notices_pending(self) -> None:
        assert_gui_thread()
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            self.notice_arrived.emit(batch[0] if len(batch) == 1 else merge_notices(batch))

    @Slot(object, object)
    def _on_bridge_future_finished(self, callback: Callable[[Future[Any]], Any], future: Future[Any]) -> None:
        assert_gui_thread()
        try:
            callback(future)
        except Exception:  # a slot must not take the event loop down
            log.exception("UI callback for a finished command failed")
