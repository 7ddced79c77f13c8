"""Command line: `seatdesk` (GUI), `seatdesk engine`, `seatdesk sandbox serve`, `plugins`, `stats`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

VERSION = "0.1.0"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="where the database, settings and logs live")
    common.add_argument("--db", dest="db_url", help="database URL (postgresql+psycopg://… for team mode)")
    common.add_argument("-v", "--verbose", action="store_true")

    p = argparse.ArgumentParser(prog="seatdesk", parents=[common],
                                description="SeatDesk 多店客服工作台")
    p.add_argument("--version", action="version", version=f"seatdesk {VERSION}")
    p.add_argument("--demo", action="store_true",
                   help="start the sandbox platform with 4 demo shops and connect them")
    p.add_argument("--self-test", action="store_true",
                   help="check plugins, a temporary database and the keyring; exit 0 or 1")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="UI language (default zh_CN)")
    p.add_argument("--mute", action="store_true", help="no tray notification or sound")
    sub = p.add_subparsers(dest="command")

    eng = sub.add_parser("engine", parents=[common], help="run the sync engine headless")
    eng.add_argument("--demo", action="store_true")
    eng.add_argument("--connect-sandbox", metavar="URL", help="sync the shops of a running sandbox")
    eng.add_argument("--run-for", type=float, metavar="SECONDS", help="stop after SECONDS")
    eng.add_argument("--print-notices", action="store_true",
                     help="print a JSON line per change notice and when the synced shops change")

    sb = sub.add_parser("sandbox", help="the simulated platform")
    sb.add_argument("action", choices=["serve"])
    sb.add_argument("rest", nargs=argparse.REMAINDER)

    pl = sub.add_parser("plugins", help="list platform plugins and their load status; "
                        "enable/disable user plugins; scaffold a new one")
    pl.add_argument("action", nargs="?", choices=["list", "enable", "disable", "new"], default="list")
    pl.add_argument("name", nargs="?", help="plugin (entry-point) name, or the new plugin's name")
    pl.add_argument("--dir", type=Path, help="where `new` creates the package (default: here)")
    pl.add_argument("--json", action="store_true")

    st = sub.add_parser("stats", parents=[common], help="per-shop counts")
    st.add_argument("--json", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `sandbox serve` owns its own options
    if len(argv) >= 2 and argv[0] == "sandbox" and argv[1] == "serve":
        from desktop import app

        return app.sandbox_serve(argv[2:])
    args = _parser().parse_args(argv)
    from desktop import app

    if args.self_test:
        return app.self_test()
    if args.command == "engine":
        return app.run_engine(args.data_dir, args.db_url, demo=args.demo,
                              connect=args.connect_sandbox, run_for=args.run_for,
                              verbose=args.verbose, print_notices=args.print_notices)
    if args.command == "plugins":
        if args.action in ("enable", "disable", "new") and not args.name:
            print(f"seatdesk plugins {args.action} needs a NAME", file=sys.stderr)
            return 2
        if args.action in ("enable", "disable"):
            return app.plugins_enable(args.name, args.action == "enable")
        if args.action == "new":
            return app.plugins_new(args.name, args.dir)
        return app.plugins_report(args.json)
    if args.command == "stats":
        return app.stats(args.data_dir, args.db_url, args.json)
    if args.command == "sandbox":
        return app.sandbox_serve(args.rest)
    return app.run_gui(args.data_dir, args.db_url, demo=args.demo, lang=args.lang,
                       muted=args.mute, verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
