"""Plugin registry: platform adapters found through the `seatdesk.platforms` entry points."""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, distributions, entry_points
from pathlib import Path

from desktop.sdk import API_VERSION, PlatformAdapter, PlatformInfo, ReplyDeadline

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
    source: str = "installed"  # installed (with the app) | user (the user plugins folder)
    enabled: bool = True  # a user plugin runs only once the user enabled it


class Registry:
    """The adapters this run may use. A plugin that fails to import, declares no
    supported API version or raises is recorded with its error and skipped:
    SeatDesk still starts."""

    def __init__(self) -> None:
        self._adapters: dict[str, type[PlatformAdapter]] = {}
        self._statuses: list[PluginStatus] = []

    @classmethod
    def discover(cls, only: Iterable[str] | None = None, *, user_dir: Path | None = None,
                 enabled: Iterable[str] = ()) -> Registry:
        """Load the entry points of GROUP, or only those named in `only`. Plugins
        installed into `user_dir` (`pip install --target`) are listed but not
        imported unless their entry-point name is in `enabled`: third-party code
        runs only once the user said so."""
        wanted = set(only) if only is not None else None
        allowed = set(enabled)
        registry = cls()
        user_eps: list[EntryPoint] = []
        if user_dir is not None and user_dir.is_dir():
            folder = str(user_dir.resolve())
            if folder not in sys.path:
                sys.path.append(folder)  # after the app's own packages: no shadowing
                importlib.invalidate_caches()
            for dist in distributions(path=[folder]):
                user_eps.extend(ep for ep in dist.entry_points if ep.group == GROUP)
        user_names = {ep.name for ep in user_eps}
        installed = [ep for ep in entry_points(group=GROUP) if ep.name not in user_names]
        for ep in sorted(installed, key=lambda e: e.name):
            if wanted is None or ep.name in wanted:
                registry._load(ep)
        for ep in sorted(user_eps, key=lambda e: e.name):
            if wanted is not None and ep.name not in wanted:
                continue
            if ep.name in allowed:
                registry._load(ep, source="user")
            else:
                registry._statuses.append(PluginStatus(
                    name=ep.name, value=ep.value, distribution=ep.dist.name if ep.dist else "",
                    version=ep.dist.version if ep.dist else "", platform_id="", display_name="",
                    api_versions=(), capabilities=(), source="user", enabled=False))
        return registry

    @classmethod
    def of(cls, *adapters: type[PlatformAdapter]) -> Registry:
        """A registry over classes already imported (tests, embedding)."""
        registry = cls()
        for adapter in adapters:
            registry._accept(adapter, name=adapter.info.platform_id, value=repr(adapter),
                             dist="", version="")
        return registry

    def _load(self, ep: EntryPoint, source: str = "installed") -> None:
        dist = ep.dist.name if ep.dist else ""
        version = ep.dist.version if ep.dist else ""
        try:
            adapter = ep.load()
            self._accept(adapter, name=ep.name, value=ep.value, dist=dist, version=version,
                         source=source)
        except Exception as exc:  # a broken plugin must never stop the app
            log.warning("plugin %s (%s) failed to load: %s", ep.name, ep.value, exc)
            self._statuses.append(PluginStatus(
                name=ep.name, value=ep.value, distribution=dist, version=version,
                platform_id="", display_name="", api_versions=(), capabilities=(),
                error=f"{type(exc).__name__}: {exc}", source=source,
            ))

    def _accept(self, adapter: object, *, name: str, value: str, dist: str, version: str,
                source: str = "installed") -> None:
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
            capabilities=tuple(sorted(c.value for c in info.capabilities)), source=source,
        ))

    def adapter(self, platform_id: str) -> type[PlatformAdapter] | None:
        return self._adapters.get(platform_id)

    def info(self, platform_id: str) -> PlatformInfo | None:
        adapter = self._adapters.get(platform_id)
        return adapter.info if adapter else None

    def display_name(self, platform_id: str) -> str:
        info = self.info(platform_id)
        return info.display_name if info else platform_id

    def reply_deadline(self, platform_id: str) -> ReplyDeadline | None:
        """The platform's reply-time rule (None: none declared, or the plugin is not loaded)."""
        info = self.info(platform_id)
        return info.reply_deadline if info else None

    def platforms(self) -> list[PlatformInfo]:
        return [a.info for a in self._adapters.values()]

    def statuses(self) -> list[PluginStatus]:
        return list(self._statuses)

    def problems(self) -> list[PluginStatus]:
        return [s for s in self._statuses if s.error]


# -- the user plugins folder ---------------------------------------------------------------
ENABLED_FILE = "enabled.json"


def enabled_user_plugins(folder: Path) -> set[str]:
    """Names the user enabled; kept beside the plugins, in `enabled.json`."""
    try:
        names = json.loads((folder / ENABLED_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def set_user_plugin_enabled(folder: Path, name: str, enabled: bool) -> set[str]:
    names = enabled_user_plugins(folder)
    (names.add if enabled else names.discard)(name)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ENABLED_FILE).write_text(json.dumps(sorted(names)), "utf-8")
    return names
