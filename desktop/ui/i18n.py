"""UI language: compiling the .ts sources with lrelease and installing translators.

Source strings in desktop/ui are English; `resources/translations/seatdesk_<lang>.ts`
holds the translations. `.qm` files are build products: a bundle may ship them
pre-built beside the .ts; otherwise they are compiled on first use into the user's
cache directory and rebuilt when the .ts is newer. English needs no translator.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QStandardPaths, QTranslator

from .resources import resource_path

log = logging.getLogger("seatdesk.ui")

DEFAULT_LANGUAGE = "zh_CN"
SOURCE_LANGUAGES = ("en", "en_US", "C")  # the source strings themselves


def translations_dir() -> Path:
    return resource_path("translations")


def ts_path(lang: str) -> Path:
    return translations_dir() / f"seatdesk_{lang}.ts"


def find_lrelease() -> list[str] | None:
    """The lrelease command: the binary inside the PySide6 package, the venv's
    pyside6-lrelease wrapper, or one on PATH."""
    exe = ".exe" if sys.platform == "win32" else ""
    import PySide6  # the wheel ships the Qt tool binaries in its package dir

    pkg = Path(PySide6.__file__).parent
    for candidate in (pkg / f"lrelease{exe}", pkg / "Qt" / "libexec" / f"lrelease{exe}"):
        if candidate.exists() and os.access(candidate, os.X_OK):
            return [str(candidate)]  # the binary itself: no second Python start-up
    beside = Path(sys.executable).parent / f"pyside6-lrelease{exe}"
    if beside.exists():
        return [str(beside)]
    for name in ("pyside6-lrelease", "lrelease"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def compile_translations(out_dir: Path, langs: tuple[str, ...] | None = None) -> list[Path]:
    """Compile every (or the named) seatdesk_*.ts into `out_dir`; returns the .qm paths."""
    tool = find_lrelease()
    if tool is None:
        raise FileNotFoundError("lrelease not found (install PySide6-Essentials)")
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(translations_dir().glob("seatdesk_*.ts"))
    if langs is not None:
        sources = [p for p in sources if p.stem.removeprefix("seatdesk_") in langs]
    built = []
    for ts in sources:
        qm = out_dir / (ts.stem + ".qm")
        done = subprocess.run([*tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True)
        if done.returncode != 0 or not qm.exists():
            raise RuntimeError(f"lrelease failed for {ts.name}: {done.stderr.strip() or done.stdout.strip()}")
        built.append(qm)
    return built


def _cache_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or Path.home() / ".cache" / "SeatDesk") / "translations"


def _fresh(qm: Path, ts: Path) -> bool:
    return qm.exists() and (not ts.exists() or qm.stat().st_mtime >= ts.stat().st_mtime)


def qm_path(lang: str, cache_dir: Path | None = None) -> Path | None:
    """An up-to-date .qm for `lang`: a shipped one, a cached one, or a fresh build."""
    ts = ts_path(lang)
    shipped = ts.with_suffix(".qm")
    if _fresh(shipped, ts):
        return shipped
    cached = (cache_dir or _cache_dir()) / f"seatdesk_{lang}.qm"
    if _fresh(cached, ts):
        return cached
    if not ts.exists():
        return None
    try:
        compile_translations(cached.parent, (lang,))
    except (OSError, RuntimeError) as exc:
        log.warning("cannot build the %s translation: %s", lang, exc)
        return cached if cached.exists() else None
    return cached


def install_translator(
    app: QCoreApplication, lang: str | None = None, *, cache_dir: Path | None = None
) -> bool:
    """Install SeatDesk's and Qt's own (dialog buttons) translations for `lang`.

    Returns False for English or when no translation could be loaded — the UI
    then shows its English source strings, it never fails to start.
    """
    lang = lang or DEFAULT_LANGUAGE
    if lang in SOURCE_LANGUAGES:
        return False
    qt = QTranslator(app)  # parented to the app: it lives as long as the app
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    qm = qm_path(lang, cache_dir)
    ours = QTranslator(app)
    if qm is None or not ours.load(str(qm)):
        log.warning("no %s translation loaded; showing English", lang)
        return False
    app.installTranslator(ours)
    return True
