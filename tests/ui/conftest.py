"""UI test set-up: offscreen Qt, isolated QSettings, the zh_CN translator, `gui` marker."""

from __future__ import annotations

import os

# Before anything imports Qt: no display needed, same pixels on every machine.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session", autouse=True)
def _ui_app(qapp, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The app as create_application builds it, with settings in a temp dir."""
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    settings_dir = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    from desktop.ui.application import create_application

    app = create_application([], "zh_CN")
    return app


@pytest.fixture(autouse=True)
def _fresh_settings(_ui_app):  # type: ignore[no-untyped-def]
    """Each test starts from default preferences (muting, language)."""
    from PySide6.QtCore import QSettings

    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def now_ms() -> int:
    import time

    return int(time.time() * 1000)


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test(_ui_app):  # type: ignore[no-untyped-def]
    """Close and delete every top-level window a test left open, so none of their timers,
    pending callbacks or deferred deletes fires later, inside another test."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
