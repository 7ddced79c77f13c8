"""Entry script of the PyInstaller bundle: the same `main` as the `seatdesk` command."""

import sys

from desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
