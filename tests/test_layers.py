"""The dependency rule, checked mechanically: import-linter contracts, a Qt-free
core and sdk, and plugins that reach into desktop only through desktop.sdk."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_PACKAGES = ("PySide6", "shiboken6")


def _contract_names() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return [c["name"] for c in config["tool"]["importlinter"]["contracts"]]


def test_import_linter_contracts_are_kept() -> None:
    names = _contract_names()
    assert names, "pyproject.toml declares no import-linter contracts"
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--config", "pyproject.toml", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, f"import-linter found broken contracts:\n{report}"
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken", report)
    assert summary, f"no import-linter summary in:\n{report}"
    assert (int(summary[1]), int(summary[2])) == (len(names), 0), report
    for name in names:
        assert f"{name} KEPT" in report, f"contract {name!r} not reported kept:\n{report}"


def _qt_free_modules() -> list[str]:
    """desktop.core, desktop.sdk and each of their modules, by file (migrations/ holds
    Alembic scripts, not modules, and has no __init__.py)."""
    names = ["desktop.core", "desktop.sdk"]
    for package in ("core", "sdk"):
        base = ROOT / "desktop" / package
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(base)
            if not all((base / Path(*rel.parts[:i]) / "__init__.py").exists() for i in range(len(rel.parts))):
                continue  # not inside an importable package (e.g. migrations/)
            parts = rel.with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts:
                names.append(".".join(("desktop", package, *parts)))
    return names


# Imports each module named on the command line, one after another, and reports
# per module: did it import, and which Qt modules were in sys.modules afterwards.
_PROBE = """
import importlib, json, sys
if sys.argv[1] == "block":
    for name in {qt!r}:
        sys.modules[name] = None  # `import PySide6` now raises ImportError
report = {{}}
for name in sys.argv[2:]:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        report[name] = {{"error": f"{{type(exc).__name__}}: {{exc}}"}}
        continue
    report[name] = {{"qt": sorted(k for k, v in sys.modules.items()
                                 if v is not None and k.split(".")[0] in {qt!r})}}
print(json.dumps(report))
""".format(qt=QT_PACKAGES)


def _probe(mode: str, modules: list[str]) -> dict[str, dict[str, object]]:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="desktop.core.secrets.MemoryKeyring")
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run([sys.executable, "-c", _PROBE, mode, *modules], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_core_and_sdk_import_without_pyside6() -> None:
    modules = _qt_free_modules()
    assert "desktop.core.db" in modules and "desktop.sdk.adapter" in modules, modules
    report = _probe("block", modules)
    failed = {name: r["error"] for name, r in report.items() if "error" in r}
    assert not failed, f"modules that need PySide6 (or fail) with PySide6 unavailable: {failed}"


def test_core_and_sdk_do_not_load_pyside6() -> None:
    """With PySide6 installed, importing core and sdk still leaves it unloaded
    (a guarded `try: import PySide6` would pass the test above, not this one)."""
    report = _probe("open", _qt_free_modules())
    failed = {name: r.get("error") for name, r in report.items() if "error" in r}
    assert not failed, failed
    loaded = {name: r["qt"] for name, r in report.items() if r["qt"]}
    assert not loaded, f"first module after which Qt was loaded: {next(iter(loaded.items()))}"


def _desktop_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) for every import of desktop.* in a module, including
    importlib.import_module("desktop.…") and __import__("desktop.…") calls."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "desktop":  # `from desktop import core` imports desktop.core
                found += [(node.lineno, f"desktop.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return sorted((line, mod) for line, mod in found if mod == "desktop" or mod.startswith("desktop."))


def test_plugins_import_only_desktop_sdk() -> None:
    """DESIGN.md: a plugin that imports anything from desktop other than
    desktop.sdk (core, ui, app, ...) is a bug."""
    files = sorted((ROOT / "plugins").rglob("*.py"))
    assert files, "no plugin sources found"
    bad = []
    for path in files:
        rel = path.relative_to(ROOT)
        try:
            tree = ast.parse(path.read_text("utf-8"), filename=str(rel))
        except SyntaxError as exc:
            bad.append(f"{rel}: cannot parse: {exc}")
            continue
        for line, module in _desktop_imports(tree):
            if not (module == "desktop.sdk" or module.startswith("desktop.sdk.")):
                bad.append(f"{rel}:{line} imports {module}")
    assert not bad, "plugins must import only desktop.sdk:\n" + "\n".join(bad)


def test_plugin_import_scanner_sees_every_form() -> None:
    """The scanner above would pass silently if it missed a form of import."""
    source = (
        "import desktop.core.db\n"
        "from desktop import ui\n"
        "from desktop.app import build_core\n"
        "import importlib\n"
        "importlib.import_module('desktop.core.registry')\n"
        "__import__('desktop.app')\n"
        "from desktop.sdk import PlatformInfo\n"
        "from . import sibling\n"
    )
    assert [m for _, m in _desktop_imports(ast.parse(source))] == [
        "desktop.core.db", "desktop.ui", "desktop.app", "desktop.core.registry",
        "desktop.app", "desktop.sdk",
    ]
