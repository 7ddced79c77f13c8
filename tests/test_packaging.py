"""The PyInstaller bundle (build.spec): build it, then run the frozen app.

A build takes 30–60 s, so it is kept under the system temp dir in a folder named
by a hash of everything that goes into it — the sources, build.spec, pyproject,
the Python version and every installed distribution's version — and reused while
that hash holds (also by a later session). SEATDESK_REBUILD_BUNDLE=1 forces a
fresh build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import distributions, entry_points
from pathlib import Path

import pytest

from desktop.__main__ import VERSION
from desktop.selftest import EXPECTED_PLATFORMS

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[1]
INPUT_FILES = ("build.spec", "pyproject.toml", "scripts/pyinstaller_entry.py")
INPUT_TREES = ("desktop", "plugins", "resources")
NAME = "seatdesk"
BUILD_TIMEOUT_S = 900
STALE_AFTER_S = 600  # other keys' bundles untouched this long are removed after a build


def _source_files() -> list[Path]:
    files = [ROOT / f for f in INPUT_FILES]
    for top in INPUT_TREES:
        for path in (ROOT / top).rglob("*"):
            rel = path.relative_to(ROOT)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix not in (".pyc", ".qm"):
                files.append(path)
    return sorted(files)


def _inputs_key() -> str:
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    digest.update(sys.platform.encode())
    installed = {}
    for dist in distributions():  # the first of a name wins, as for importlib.metadata
        installed.setdefault((dist.metadata["Name"] or "").lower().replace("_", "-").replace(".", "-"), dist.version)
    for name, version in sorted(installed.items()):
        digest.update(f"{name}=={version}\n".encode())
    for path in _source_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@contextmanager
def _build_lock(base: Path) -> Iterator[None]:
    """One build at a time on this machine (two sessions may run the suite)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; builds just don't share
        yield
        return
    with open(base / "seatdesk-bundle.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale(base: Path, keep: Path) -> None:
    for old in base.glob("seatdesk-bundle-*"):
        if old != keep and old.is_dir() and time.time() - old.stat().st_mtime > STALE_AFTER_S:
            shutil.rmtree(old, ignore_errors=True)


@pytest.fixture(scope="session")
def bundle() -> Path:
    """dist/seatdesk of a build of the current tree: its folder holds the executable."""
    base = Path(tempfile.gettempdir())
    place = base / f"seatdesk-bundle-{_inputs_key()}"
    exe_name = NAME + (".exe" if sys.platform == "win32" else "")
    folder = place / "dist" / NAME
    done_marker = place / "built-ok"
    with _build_lock(base):
        if os.environ.get("SEATDESK_REBUILD_BUNDLE") == "1" or not (
            done_marker.exists() and (folder / exe_name).exists()
        ):
            shutil.rmtree(place, ignore_errors=True)
            place.mkdir(parents=True)
            started = time.monotonic()
            built = subprocess.run(
                [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level=WARN",
                 "--distpath", str(place / "dist"), "--workpath", str(place / "build"),
                 "build.spec"],
                cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
            )
            log = built.stdout + built.stderr
            (place / "build.log").write_text(log, encoding="utf-8")
            assert built.returncode == 0, f"PyInstaller failed ({built.returncode}):\n{log[-6000:]}"
            done_marker.write_text(f"built in {time.monotonic() - started:.1f} s\n")
            _remove_stale(base, place)
        else:
            os.utime(place)  # in use: not stale
    assert (folder / exe_name).exists(), f"no {exe_name} in {folder}"
    return folder


def _contents(folder: Path) -> Path:
    """Where PyInstaller ≥ 6 puts everything but the executable (sys._MEIPASS)."""
    inner = folder / "_internal"
    return inner if inner.is_dir() else folder


def _run_frozen(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # Named explicitly: a frozen app must find this backend by import path alone.
    env["PYTHON_KEYRING_BACKEND"] = "desktop.core.secrets.MemoryKeyring"
    env["QT_QPA_PLATFORM"] = "offscreen"
    exe = folder / (NAME + (".exe" if sys.platform == "win32" else ""))
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=tempfile.gettempdir())


def test_bundle_carries_migrations_resources_and_metadata(bundle: Path) -> None:
    inside = _contents(bundle)
    migrations = ROOT / "desktop" / "core" / "migrations"
    expected = [p for p in migrations.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert any(p.name == "env.py" for p in expected) and any(p.name == "script.py.mako" for p in expected)
    assert any(p.parent.name == "versions" for p in expected)
    for source in expected:  # Alembic loads these by path: they must be plain files
        assert (inside / source.relative_to(ROOT)).is_file(), f"{source.relative_to(ROOT)} missing"

    resources = ROOT / "resources"
    for source in resources.rglob("*"):
        rel = source.relative_to(ROOT)
        if not source.is_file() or "__pycache__" in rel.parts or source.suffix in (".pyc", ".qm"):
            continue
        if source.suffix == ".ts":  # shipped compiled, without the source
            assert (inside / rel.with_suffix(".qm")).is_file(), f"{rel} was not compiled into the bundle"
            assert not (inside / rel).exists(), f"{rel} shipped beside its .qm"
        else:
            assert (inside / rel).is_file(), f"{rel} missing"

    groups = {}
    for wanted in ("seatdesk", "keyring"):
        metas = [p for p in inside.glob("*-info") if p.name.split("-")[0].lower() == wanted]
        assert len(metas) == 1, f"metadata of {wanted}: {metas}"
        groups[wanted] = (metas[0] / "entry_points.txt").read_text("utf-8")
    assert "[seatdesk.platforms]" in groups["seatdesk"] and "[seatdesk.sandbox]" in groups["seatdesk"]
    assert "[keyring.backends]" in groups["keyring"]


def test_frozen_self_test_passes(bundle: Path) -> None:
    done = _run_frozen(bundle, "--self-test")
    report = done.stdout
    assert done.returncode == 0, f"frozen self-test failed ({done.returncode}):\n{report}\n{done.stderr}"
    assert "SeatDesk self-test (frozen)" in report
    assert "self-test passed" in report
    lines = {line.split(":")[0].split()[-1]: line for line in report.splitlines() if ":" in line}
    for check in ("plugins", "database", "keyring", "phrases", "qt"):
        assert lines.get(check, "").strip().startswith("ok"), f"{check}: {lines.get(check)}\n{report}"
    for platform in EXPECTED_PLATFORMS:
        assert platform in lines["plugins"], report
    keyring_line = lines["keyring"]
    assert "desktop.core.secrets.MemoryKeyring (chosen by PYTHON_KEYRING_BACKEND)" in keyring_line
    backends = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    assert backends, "keyring has no backend entry points in this environment"
    listed = keyring_line.split("backends installed:", 1)[1]
    assert [b.strip() for b in listed.split(",")] == backends, keyring_line


def test_frozen_plugins_lists_the_bundled_platforms(bundle: Path) -> None:
    done = _run_frozen(bundle, "plugins")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split("\t") for line in done.stdout.splitlines() if line.strip()]
    assert not [r for r in rows if len(r) > 1 and r[1] == "FAILED"], done.stdout
    ok = {r[0] for r in rows if r[-1] == "ok"}
    assert set(EXPECTED_PLATFORMS) <= ok, done.stdout


def test_frozen_app_loads_a_user_plugin_once_enabled(bundle: Path, tmp_path: Path) -> None:
    """The packaged app cannot pip-install into itself: plugins go into the user
    plugins folder with `pip install --target`, and stay off until enabled."""
    import json

    from desktop.scaffold import scaffold

    root = scaffold("frozen_acme", tmp_path)
    folder = tmp_path / "plugins"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                          "--no-build-isolation", "--target", str(folder), str(root)],
                         capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr
    os.environ["SEATDESK_PLUGINS_DIR"] = str(folder)
    try:
        listed = {s["name"]: s for s in json.loads(_run_frozen(bundle, "plugins", "--json").stdout)}
        assert not listed["frozen_acme"]["enabled"]
        assert _run_frozen(bundle, "plugins", "enable", "frozen_acme").returncode == 0
        listed = {s["name"]: s for s in json.loads(_run_frozen(bundle, "plugins", "--json").stdout)}
    finally:
        del os.environ["SEATDESK_PLUGINS_DIR"]
    acme = listed["frozen_acme"]
    assert acme["enabled"] and acme["error"] is None and acme["platform_id"] == "frozen_acme", acme


def test_frozen_version(bundle: Path) -> None:
    done = _run_frozen(bundle, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"seatdesk {VERSION}"
