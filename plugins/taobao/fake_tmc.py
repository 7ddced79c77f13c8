"""The fake's TMC message queue for one app key (research/platform-apis.md §2.7).

Messages of every user authorized to the app land in one queue, split into user
groups when the app has any (taobao.tmc.group.add; `add_group` here). Consume hands
out the visible messages of a group, oldest first, and hides them for `visibility_s`;
confirm removes them; one not confirmed in time is handed out again. TOP's own
redelivery delay is not in the spec: the fake's is short so tests can watch it.
"""

from __future__ import annotations

import copy
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .fake_errors import bad_param, int_param, required
from .protocol import (
    TMC_CONFIRM_MAX,
    TMC_DEFAULT_GROUP,
    TMC_QUANTITY_DEFAULT,
    TMC_QUANTITY_MAX,
    TMC_QUANTITY_MIN,
    format_time,
)

TMC_VISIBILITY_S = 5.0
# [UNVERIFIED] the app key TOP's own messages carry as pub_app_key (as recalled).
TAOBAO_PUB_APP_KEY = "12497914"


@dataclass(slots=True)
class _Queued:
    """A message in the queue: the TmcMessage, its group, when it is visible again."""

    message: dict[str, Any]
    group: str
    visible_at: datetime
    deliveries: int = 0


class FakeTmc:
    """The app's TMC queue. Its API methods run under the fake gateway's lock."""

    def __init__(self, rng: random.Random, clock: Callable[[], datetime], lock: threading.RLock, *,
                 visibility_s: float = TMC_VISIBILITY_S) -> None:
        self._rng = rng
        self._clock = clock
        self._lock = lock
        self.visibility_s = visibility_s
        self.rights = True  # False: the app lacks the TMC permission package (code 11)
        self._queue: dict[str, _Queued] = {}
        self._next_id = 5_000_400_000_000_000_000 + rng.randrange(10**12)
        self._permits: dict[str, frozenset[str] | None] = {}  # user id → its topics (None: all)
        self._groups: dict[str, set[str]] = {}  # group → user nicks
        self._confirmed: list[str] = []

    # -- the APIs ------------------------------------------------------------------------------

    def permit(self, user_id: str, params: dict[str, str]) -> dict[str, Any]:
        """taobao.tmc.user.permit: given `topics` overwrite the user's list; none = all the app's."""
        topics = frozenset(t.strip() for t in params.get("topics", "").split(",") if t.strip())
        self._permits[user_id] = topics or None
        return {"is_success": True}

    def consume(self, params: dict[str, str]) -> dict[str, Any]:
        group = self._group(params)
        quantity = int_param(params, "quantity", TMC_QUANTITY_DEFAULT, TMC_QUANTITY_MIN, TMC_QUANTITY_MAX)
        now = self._clock()
        ready = [q for q in self._queue.values() if q.group == group and q.visible_at <= now][:quantity]
        for queued in ready:
            queued.visible_at = now + timedelta(seconds=self.visibility_s)
            queued.deliveries += 1
        if not ready:
            return {}  # TOP leaves an empty array out
        return {"messages": {"tmc_message": [copy.deepcopy(q.message) for q in ready]}}

    def confirm(self, params: dict[str, str]) -> dict[str, Any]:
        group = self._group(params)
        ids = [i.strip() for i in required(params, "s_message_ids").split(",") if i.strip()]
        if len(ids) > TMC_CONFIRM_MAX:
            raise bad_param("s_message_ids", f"最多{TMC_CONFIRM_MAX}个")
        for message_id in ids:
            queued = self._queue.get(message_id)
            if queued is not None and queued.group == group:  # unknown or confirmed ids: no error
                del self._queue[message_id]
                self._confirmed.append(message_id)
        return {"is_success": True}

    def _group(self, params: dict[str, str]) -> str:
        """The default group unless `group_name` is sent; a group name is refused when the
        app has no user groups (consume's doc) or does not have that one."""
        name = params.get("group_name", "")
        if not name:
            return TMC_DEFAULT_GROUP
        if name not in self._groups and not (name == TMC_DEFAULT_GROUP and self._groups):
            raise bad_param("group_name", f"分组{name}不存在")
        return name

    # -- publishing and test helpers -----------------------------------------------------------

    def wants(self, user_id: str, topic: str) -> bool:
        """Does TOP publish `topic` for this user (permitted, topic in its list)?"""
        with self._lock:
            if user_id not in self._permits:
                return False
            topics = self._permits[user_id]
            return topics is None or topic in topics

    def publish(self, topic: str, content: str, user_id: str, user_nick: str) -> str:
        """Put a TmcMessage in the queue (user_id "" leaves the field out). → its id."""
        with self._lock:
            self._next_id += self._rng.randrange(1, 1000)
            message_id = str(self._next_id)
            now = self._clock()
            message: dict[str, Any] = {"id": int(message_id), "topic": topic, "pub_time": format_time(now),
                                       "pub_app_key": TAOBAO_PUB_APP_KEY, "user_nick": user_nick, "content": content}
            if user_id:
                message["user_id"] = int(user_id) if user_id.isdigit() else user_id
            group = next((g for g, nicks in self._groups.items() if user_nick in nicks), TMC_DEFAULT_GROUP)
            self._queue[message_id] = _Queued(message, group, now)
            return message_id

    def add_group(self, name: str, nicks: set[str]) -> None:
        """A user group (taobao.tmc.group.add): these users' messages go to it, not to the default."""
        with self._lock:
            self._groups[name] = set(nicks)

    def permitted(self, user_id: str) -> bool:
        with self._lock:
            return user_id in self._permits

    def confirmed(self) -> list[str]:
        """Ids confirmed so far, in order."""
        with self._lock:
            return list(self._confirmed)

    def pending(self) -> dict[str, int]:
        """Unconfirmed message ids → how often each was handed out."""
        with self._lock:
            return {i: q.deliveries for i, q in self._queue.items()}
