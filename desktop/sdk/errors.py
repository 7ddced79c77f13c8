"""Typed errors an adapter raises; the engine decides what each one means."""

from __future__ import annotations


class AdapterError(Exception):
    """Base of every error an adapter may raise."""


class AuthExpired(AdapterError):
    """Credentials are wrong or the token expired: the shop needs a new login."""


class RateLimited(AdapterError):
    """The platform asked us to slow down; retry no sooner than `retry_after` seconds."""

    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or f"rate limited, retry after {retry_after:g} s")
        self.retry_after = float(retry_after)


class Rejected(AdapterError):
    """The platform refused the request for good (retrying will not help)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Temporary(AdapterError):
    """A passing failure: network, 5xx, malformed payload. Retry with backoff."""


class PushUnavailable(AdapterError):
    """Push cannot run for this shop (no public webhook URL is set up, the platform has not
    enabled its message service for this seller, ...). The engine stops asking for push and
    polls at the normal pace; `reason` is shown on the shop's card."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
