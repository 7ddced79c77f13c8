"""Plugin registry: platform adapters found through the `seatdesk.platforms` entry points."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from desktop.sdk import API_VERSION, PlatformAdapter, PlatformInfo

log = logging.getLogger("seatdesk.plugins")

GROUP = "seatdesk.platforms"


@dataclass(frozen=True, slots=True)
class PluginStatus:
    """One entry point and how loading it went; `error` is None when it loaded."""

    name: str  # the entry-point name
    value: str  # module:attribute
    distribution: str
    version: str
    platform_id: str
    display_name: str
    api_versions: tuple[int, ...]
    capabilities: tuple[str, ...]
    error: str | None = None


class Registry:
    """The adapters this run may use. A plugin that fails to import, declares no
    supported API version or raises is recorded with its error and skipped:
    SeatDesk still starts."""

    def __init__(self) -> None:
        self._adapters: dict[str, type[PlatformAdapter]] = {}
        self._statuses: list[PluginStatus] = []

    @classmethod
    def discover(cls, only: Iterable[str] | None = None) -> Registry:
        """Load the entry points of GROUP, or only those named in `only`."""
        wanted = set(only) if only is not None else None
        registry = cls()
        for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
            if wanted is not None and ep.name not in wanted:
                continue
            registry._load(ep)
        return registry

    @classmethod
    def of(cls, *adapters: type[PlatformAdapter]) -> Registry:
        """A registry over classes already imported (tests, embedding)."""
        registry = cls()
        for adapter in adapters:
            registry._accept(adapter, name=adapter.info.platform_id, value=repr(adapter),
                             dist="", version="")
        return registry

    def _load(self, ep: EntryPoint) -> None:
        dist = ep.dist.name if ep.dist else ""
        version = ep.dist.version if ep.dist else ""
        try:
            adapter = ep.load()
            self._accept(adapter, name=ep.name, value=ep.value, dist=dist, version=version)
        except Exception as exc:  # a broken plugin must never stop the app
            log.warning("plugin %s (%s) failed to load: %s", ep.name, ep.value, exc)
            self._statuses.append(PluginStatus(
                name=ep.name, value=ep.value, distribution=dist, version=version,
                platform_id="", display_name="", api_versions=(), capabilities=(),
                error=f"{type(exc).__name__}: {exc}",
            ))

    def _accept(self, adapter: object, *, name: str, value: str, dist: str, version: str) -> None:
        info = getattr(adapter, "info", None)
        if not isinstance(info, PlatformInfo):
            raise TypeError(f"{value} has no PlatformInfo `info`")
        if API_VERSION not in info.api_versions:
            raise TypeError(
                f"supports plugin API {list(info.api_versions)}, SeatDesk offers {API_VERSION}"
            )
        if info.platform_id in self._adapters:
            raise TypeError(f"platform id {info.platform_id!r} is already registered")
        self._adapters[info.platform_id] = adapter  # type: ignore[assignment]
        self._statuses.append(PluginStatus(
            name=name, value=value, distribution=dist, version=version,
            platform_id=info.platform_id, display_name=info.display_name,
            api_versions=info.api_versions,
            capabilities=tuple(sorted(c.value for c in info.capabilities)),
        ))

    def adapter(self, platform_id: str) -> type[PlatformAdapter] | None:
        return self._adapters.get(platform_id)

    def info(self, platform_id: str) -> PlatformInfo | None:
        adapter = self._adapters.get(platform_id)
        return adapter.info if adapter else None

    def display_name(self, platform_id: str) -> str:
        info = self.info(platform_id)
        return info.display_name if info else platform_id

    def platforms(self) -> list[PlatformInfo]:
        return [a.info for a in self._adapters.values()]

    def statuses(self) -> list[PluginStatus]:
        return list(self._statuses)

    def problems(self) -> list[PluginStatus]:
        return [s for s in self._statuses if s.error]
