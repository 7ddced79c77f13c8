"""mypy --strict over the public plugin API and the Qt-free core (STYLE: types)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sdk_and_core_pass_mypy_strict():
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "desktop/sdk", "desktop/core"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
