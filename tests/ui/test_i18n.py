"""Every UI string is translated in seatdesk_zh_CN.ts, which lrelease compiles."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from desktop.ui import i18n

UI = Path(i18n.__file__).parent


def source_strings() -> set[tuple[str, str]]:
    """(context, source) for self.tr(...), QCoreApplication.translate(...), QT_TRANSLATE_NOOP(...)."""
    found: set[tuple[str, str]] = set()
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)] + [tree]:
            ctx = cls.name if isinstance(cls, ast.ClassDef) else ""
            for node in ast.walk(cls):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                        for a in node.args]
                if name == "tr" and ctx and args and args[0]:
                    found.add((ctx, args[0]))
                elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2 and args[0] and args[1]:
                    found.add((args[0], args[1]))
    return found


def ts_entries(lang: str = "zh_CN") -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(i18n.ts_path(lang)).getroot()
    out = {}
    for ctx in root.iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source"))] = msg.find("translation")
    return out


def test_extractor_sees_the_ui_strings():
    strings = source_strings()
    assert ("Format", "Waiting {duration}") in strings
    assert ("ChatPanel", "Send") in strings
    assert len(strings) > 60


def test_every_ui_string_has_a_finished_chinese_translation():
    entries = ts_entries()
    missing = sorted(s for s in source_strings() if s not in entries)
    assert not missing, f"not in the .ts (run pyside6-lupdate): {missing}"
    unfinished = sorted(k for k, t in entries.items() if t is None or not (t.text or "").strip()
                        or t.get("type") in ("unfinished", "vanished", "obsolete"))
    assert not unfinished, f"untranslated: {unfinished}"


def test_placeholders_survive_translation():
    import re

    for (ctx, src), tr in ts_entries().items():
        assert sorted(re.findall(r"\{\w*\}", src)) == sorted(re.findall(r"\{\w*\}", tr.text or "")), (ctx, src)


def test_lrelease_compiles_and_qt_loads_it(tmp_path):
    (qm,) = i18n.compile_translations(tmp_path, ("zh_CN",))
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Format", "Waiting {duration}") == "等待 {duration}"


def test_installed_app_speaks_chinese():
    assert QCoreApplication.translate("Format", "Connected") == "已连接"


def test_english_needs_no_translator(qapp):
    assert i18n.install_translator(qapp, "en") is False


@pytest.mark.parametrize("stale", [False, True])
def test_qm_is_cached_and_rebuilt_when_the_ts_is_newer(tmp_path, monkeypatch, stale):
    import os
    import shutil

    sources = tmp_path / "translations"  # isolated: `make translations` may have built one beside the real .ts
    sources.mkdir()
    shutil.copy2(i18n.ts_path("zh_CN"), sources)
    monkeypatch.setattr(i18n, "translations_dir", lambda: sources)
    cache = tmp_path / "cache"
    first = i18n.qm_path("zh_CN", cache)
    assert first == cache / "seatdesk_zh_CN.qm" and first.exists()
    if stale:
        ts = i18n.ts_path("zh_CN")
        os.utime(first, (ts.stat().st_mtime - 10, ts.stat().st_mtime - 10))
    before = first.stat().st_mtime
    again = i18n.qm_path("zh_CN", cache)
    assert again == first
    assert (again.stat().st_mtime > before) is stale


def test_a_prebuilt_qm_beside_the_ts_wins(tmp_path, monkeypatch):
    import shutil

    sources = tmp_path / "translations"
    sources.mkdir()
    shutil.copy2(i18n.ts_path("zh_CN"), sources)
    monkeypatch.setattr(i18n, "translations_dir", lambda: sources)
    (built,) = i18n.compile_translations(sources, ("zh_CN",))  # what `make translations` / a bundle ships
    assert i18n.qm_path("zh_CN", tmp_path / "cache") == built
    (sources / "seatdesk_zh_CN.ts").unlink()  # a frozen bundle ships the .qm alone
    assert i18n.qm_path("zh_CN", tmp_path / "cache") == built
