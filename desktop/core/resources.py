"""Where core's shipped data (the default quick replies, the red-line sets) lives: `resources/`."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder: inside a PyInstaller bundle (build.spec ships the whole
    tree), or at the repository root. desktop/ui/resources.py is the UI's twin; core
    cannot import it (layers)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
