#!/usr/bin/env bash
# Installs the system packages SeatDesk needs on Debian/Ubuntu: the libraries Qt
# loads for the offscreen/xcb platforms, CJK fonts, Xvfb, and the tools the build
# uses (make; binutils, which PyInstaller calls as objdump/objcopy).
#
# Idempotent: when every package is present it only asks dpkg and touches no
# network. Works as root, or through sudo. Set SEATDESK_SKIP_SYSTEM_DEPS=1 to
# skip it entirely (you manage these packages yourself).
set -euo pipefail

PACKAGES=(
    # Qt 6 (PySide6 wheels) at run time, offscreen and X11/xcb
    libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0
    libxkbcommon0 libxkbcommon-x11-0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
    libxcb-render-util0 libxcb-image0 libxcb-randr0
    # Chinese glyphs, and a real X server for headless window tests
    fonts-noto-cjk xvfb
    # make runs the README commands; PyInstaller needs objdump/objcopy
    make binutils
    # team mode's tests run against a real PostgreSQL server (scripts/test-postgres.sh)
    postgresql
)
# Not listed: libxcb-xinerama0. Qt 6's xcb plugin no longer links it (ldd of
# PySide6 6.11's libqxcb.so / libQt6XcbQpa.so shows no libxcb-xinerama).

say() { printf 'install-system-deps: %s\n' "$*" >&2; }

if [[ "${SEATDESK_SKIP_SYSTEM_DEPS:-}" == 1 ]]; then
    say "skipped (SEATDESK_SKIP_SYSTEM_DEPS=1)"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system; nothing installed."
    say "Qt needs: EGL/OpenGL, fontconfig, D-Bus, GLib, xkbcommon(-x11), xcb-cursor,"
    say "xcb-icccm, xcb-keysyms, xcb-shape, xcb-render-util, xcb-image, xcb-randr;"
    say "plus Noto CJK fonts, Xvfb, make and binutils — install their equivalents."
    say "(The PySide6 wheels already carry Qt itself on Windows and macOS.)"
    exit 0
fi

# A package counts as present when dpkg says "install ok installed"; Debian 13 /
# Ubuntu 24.04 renamed some libraries with a t64 suffix, which counts as well.
installed() {
    local status
    for name in "$1" "$1t64"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$name" 2>/dev/null || true)
        [[ "$status" == ii* ]] && return 0
    done
    return 1
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    say "all ${#PACKAGES[@]} system packages present"
    exit 0
fi

say "missing: ${missing[*]}"

as_root=()
if [[ "$(id -u)" != 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        say "ERROR: not root and sudo is not available. As root, run:"
        say "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
    if [[ -t 0 ]]; then
        as_root=(sudo)
    else
        as_root=(sudo -n)  # no terminal to type a password into: fail instead of hanging
    fi
fi

apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q
     -o DPkg::Lock::Timeout=300)
if ! "${apt[@]}" update; then
    say "ERROR: 'apt-get update' failed (no root rights, or no network to the Debian mirror)."
    say "Install by hand: apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
fi
if ! "${apt[@]}" install -y --no-install-recommends "${missing[@]}"; then
    say "ERROR: 'apt-get install ${missing[*]}' failed."
    exit 1
fi

still=()
for pkg in "${missing[@]}"; do
    installed "$pkg" || still+=("$pkg")
done
if ((${#still[@]} > 0)); then
    say "ERROR: still missing after apt-get: ${still[*]}"
    exit 1
fi
say "installed: ${missing[*]}"
