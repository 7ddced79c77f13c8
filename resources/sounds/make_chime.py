"""Writes the new-message sounds, stdlib only: new_message.wav, a soft two-tone
chime (E6 → A5, the default); ding.wav, one bell note (C6); bubble.wav, a quick
rising pair (A5 → E6). Agents serving several shops give each shop its own sound.

Run `python resources/sounds/make_chime.py` to regenerate; the .wav files are
committed as resources so the app needs no build step to play them.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
VOLUME = 0.32  # well below full scale: a chime, not an alarm


def tone(freq: float, start: float, length: float, total: float) -> list[float]:
    """A bell-like partial: quick attack, exponential decay, a quiet octave overtone."""
    out = [0.0] * int(total * RATE)
    first = int(start * RATE)
    for i in range(int(length * RATE)):
        t = i / RATE
        envelope = min(1.0, t / 0.006) * math.exp(-t * 6.0)
        sample = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
        if first + i < len(out):
            out[first + i] = envelope * sample / 1.25
    return out


def write(name: str, a: list[float], b: list[float]) -> None:
    frames = b"".join(
        struct.pack("<h", int(max(-1.0, min(1.0, (x + y) * VOLUME)) * 32767)) for x, y in zip(a, b)
    )
    path = Path(__file__).with_name(name)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    print(f"wrote {path} ({len(frames) // 2 / RATE:.2f} s)")


def main() -> None:
    total = 0.62
    write("new_message.wav", tone(1318.5, 0.0, 0.45, total), tone(880.0, 0.14, 0.48, total))  # E6, A5
    silence = [0.0] * int(0.5 * RATE)
    write("ding.wav", tone(1046.5, 0.0, 0.5, 0.5), silence)  # C6
    write("bubble.wav", tone(880.0, 0.0, 0.16, 0.36), tone(1318.5, 0.09, 0.27, 0.36))  # A5, E6


if __name__ == "__main__":
    main()
