"""Fault switches for /api/*: latency, 5xx, rate limits, drops, malformed bodies, down.

A spec is a comma list, e.g. ``latency=50ms,error5xx=0.1,ratelimit=0.05:2,
drop=0.02,malformed=0.05,down``. Every roll comes from the faults' own seeded
RNG, so turning faults on never changes what the buyer simulator does.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .protocol import MESSAGE_FIELDS, ORDER_FIELDS

KNOWN = ("latency", "error5xx", "ratelimit", "drop", "malformed", "down")


def _probability(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"fault {name!r}: {text!r} is not a probability") from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"fault {name!r}: probability {value:g} is outside 0..1")
    return value


def _latency_ms(text: str) -> float:
    unit = 1.0
    if text.endswith("ms"):
        text = text[:-2]
    elif text.endswith("s"):
        text, unit = text[:-1], 1000.0
    try:
        value = float(text) * unit
    except ValueError:
        raise ValueError(f"fault 'latency': {text!r} is not a duration (e.g. 50ms, 0.2s)") from None
    if value < 0:
        raise ValueError("fault 'latency': duration must not be negative")
    return value


@dataclass(frozen=True, slots=True)
class FaultSpec:
    latency_ms: float = 0.0
    error5xx: float = 0.0
    ratelimit: float = 0.0
    retry_after: float = 1.0
    drop: float = 0.0
    malformed: float = 0.0
    down: bool = False

    @classmethod
    def parse(cls, spec: str) -> FaultSpec:
        """The spec from its text form; ValueError naming the bad part otherwise."""
        result = cls()
        for raw in spec.split(","):
            part = raw.strip()
            if not part:
                continue
            name, _, value = part.partition("=")
            name, value = name.strip(), value.strip()
            if name not in KNOWN:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(KNOWN)}")
            if name == "down":
                if value:
                    raise ValueError("fault 'down' takes no value")
                result = replace(result, down=True)
                continue
            if not value:
                raise ValueError(f"fault {name!r} needs a value, e.g. {name}=0.1")
            if name == "latency":
                result = replace(result, latency_ms=_latency_ms(value))
            elif name == "ratelimit":
                p, _, after = value.partition(":")
                retry = 1.0
                if after:
                    try:
                        retry = float(after)
                    except ValueError:
                        raise ValueError(f"fault 'ratelimit': retry-after {after!r} is not a number") from None
                    if retry < 0:
                        raise ValueError("fault 'ratelimit': retry-after must not be negative")
                result = replace(result, ratelimit=_probability(name, p), retry_after=retry)
            elif name == "error5xx":
                result = replace(result, error5xx=_probability(name, value))
            elif name == "drop":
                result = replace(result, drop=_probability(name, value))
            else:
                result = replace(result, malformed=_probability(name, value))
        return result

    def __str__(self) -> str:
        parts = []
        if self.latency_ms:
            parts.append(f"latency={self.latency_ms:g}ms")
        for name in ("error5xx", "drop", "malformed"):
            if getattr(self, name):
                parts.append(f"{name}={getattr(self, name):g}")
        if self.ratelimit:
            parts.append(f"ratelimit={self.ratelimit:g}:{self.retry_after:g}")
        if self.down:
            parts.append("down")
        return ",".join(parts)


@dataclass(frozen=True, slots=True)
class Plan:
    """What the faults do to one request."""

    latency_s: float = 0.0
    status: int | None = None  # answer with this error instead of handling (503/429)
    drop_before: bool = False  # close the connection before doing anything
    drop_after: bool = False  # do the work, then close without answering (lost reply)
    malformed: bool = False


class Faults:
    """The current spec plus its seeded RNG; safe to share between server threads."""

    def __init__(self, spec: str = "", seed: int = 1) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(f"sandbox-faults:{seed}")
        self._spec = FaultSpec.parse(spec)
        self._forced: list[int] = []  # statuses the next requests answer, in order

    def force(self, status: int, n: int = 1) -> None:
        """The next `n` API requests answer `status` (429 or 503), whatever the spec."""
        if status not in (429, 503):
            raise ValueError("only 429 and 503 can be forced")
        with self._lock:
            self._forced.extend([status] * n)

    @property
    def spec(self) -> FaultSpec:
        return self._spec

    def set(self, spec: str) -> FaultSpec:
        parsed = FaultSpec.parse(spec)  # raises before anything changes
        self._spec = parsed
        return parsed

    def _roll(self, p: float) -> bool:
        return p > 0 and self._rng.random() < p

    def plan(self) -> Plan:
        spec = self._spec
        with self._lock:
            if self._forced:
                return Plan(latency_s=spec.latency_ms / 1000, status=self._forced.pop(0))
        if spec.down:
            return Plan(latency_s=spec.latency_ms / 1000, status=503)
        with self._lock:
            drop = self._roll(spec.drop)
            # Half the drops happen after the work is done: the reply is lost but
            # the effect stays, which is what idempotency keys are for.
            drop_after = drop and self._rng.random() < 0.5
            status = 429 if self._roll(spec.ratelimit) else 503 if self._roll(spec.error5xx) else None
            return Plan(
                latency_s=spec.latency_ms / 1000,
                status=status,
                drop_before=drop and not drop_after,
                drop_after=drop_after,
                malformed=self._roll(spec.malformed),
            )

    def malform(self, payload: Mapping[str, Any], platform: str) -> bytes:
        """`payload` encoded and broken: truncated, or one record missing a field or mistyped."""
        with self._lock:
            rng = self._rng
            mode = rng.choice(("truncate", "missing", "wrongtype"))
            records = _records(payload, platform)
            if mode != "truncate" and records:
                payload = _break_record(payload, records, platform, mode, rng)
            else:
                mode = "truncate"
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
            if mode == "truncate":
                body = body[: rng.randrange(1, len(body))]
            return body


def _records(payload: Mapping[str, Any], platform: str) -> list[tuple[str, int, str]]:
    """(list key, index, record kind) of every record in a feed or push body."""
    found: list[tuple[str, int, str]] = []
    for key, kind in (("messages", "message"), ("orders", "order")):
        found += [(key, i, kind) for i in range(len(payload.get(key) or ()))]
    for i, event in enumerate(payload.get("events") or ()):
        found.append(("events", i, event["kind"]))
    return found


def _wrong(value: object) -> object:
    if isinstance(value, str):
        return 12345
    if isinstance(value, int):
        return "12345x"
    if isinstance(value, list):
        return {"oops": 1}
    if value is None:
        return ["oops"]
    return "oops"


def _break_record(
    payload: Mapping[str, Any], records: list[tuple[str, int, str]], platform: str, mode: str, rng: random.Random
) -> dict[str, Any]:
    key, index, kind = rng.choice(records)
    items = list(payload[key])
    holder = dict(items[index])  # never mutate the stored records
    if key == "events":
        record = holder[kind] = dict(holder[kind])
    else:
        record = holder
    fields = MESSAGE_FIELDS if kind == "message" else ORDER_FIELDS[platform]
    name = rng.choice(sorted(fields))
    if mode == "missing":
        record.pop(name, None)
    else:
        record[name] = _wrong(record.get(name))
    items[index] = holder
    broken = dict(payload)
    broken[key] = items
    return broken
