"""`python -m plugins.sandbox [serve] [options]`: the sandbox server without the app."""

from __future__ import annotations

from .server import serve_main

raise SystemExit(serve_main())
