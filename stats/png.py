"""A small PNG bar chart for Telegram, drawn without any imaging library (zlib and struct only)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

FONT = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "<": ("001", "010", "100", "010", "001"),
    "-": ("000", "000", "111", "000", "000"),
    "+": ("000", "010", "111", "010", "000"),
}
"""3×5 pixel digits and signs: the chart writes counts and week numbers; the caption the rest."""
WHITE, GREY, INK = (255, 255, 255), (200, 200, 200), (60, 60, 60)
COLOURS = ((0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00))
Colour = tuple[int, int, int]


class Canvas:
    """An RGB image in memory."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, colour: Colour, hatch: bool = False) -> None:
        """Fill a rectangle (hatched: every third diagonal only), clipped to the image."""
        for row in range(max(0, y), min(self.height, y + h)):
            for col in range(max(0, x), min(self.width, x + w)):
                if not hatch or (row + col) % 3 == 0:
                    start = (row * self.width + col) * 3
                    self.pixels[start : start + 3] = bytes(colour)

    def text(self, x: int, y: int, text: str, scale: int = 2, colour: Colour = INK) -> None:
        """Write digits (and '<', '-') with the 3×5 font."""
        for index, char in enumerate(text):
            for row, line in enumerate(FONT.get(char, FONT["-"])):
                for col, bit in enumerate(line):
                    if bit == "1":
                        left = x + index * 4 * scale + col * scale
                        self.rect(left, y + row * scale, scale, scale, colour)

    def png(self) -> bytes:
        """The image as PNG bytes (8-bit RGB, no filter)."""
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[row * stride : (row + 1) * stride])
            for row in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
        return b"\x89PNG\r\n\x1a\n" + body


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def text_width(text: str, scale: int) -> int:
    """Width in pixels of a text written with the font."""
    return len(text) * 4 * scale - scale


def bar_chart_png(
    bars: Sequence[tuple[str, Sequence[int | None]]],
    min_count: int,
    width: int = 640,
    height: int = 360,
) -> bytes:
    """Stacked vertical bars (label digits below, total above; masked parts hatched, '<N')."""
    canvas = Canvas(width, height)
    left, bottom, top = 16, 30, 28
    plot_h = height - bottom - top
    tallest = max((sum(c or 0 for c in counts) for _, counts in bars), default=0) or 1
    step = (width - 2 * left) / max(len(bars), 1)
    canvas.rect(left, height - bottom, width - 2 * left, 2, GREY)
    for index, (label, counts) in enumerate(bars):
        x = int(left + index * step + step * 0.15)
        w = max(2, int(step * 0.7))
        y = height - bottom
        for count, colour in zip(counts, COLOURS, strict=False):
            h = 6 if count is None else round(plot_h * count / tallest)
            y -= h
            canvas.rect(x, y, w, h, colour, hatch=count is None)
        masked = any(count is None for count in counts)
        total = sum(c or 0 for c in counts)
        value = f"<{min_count}" if masked and total == 0 else f"{total}+" if masked else str(total)
        canvas.text(x + (w - text_width(value, 2)) // 2, y - 14, value)
        canvas.text(x + (w - text_width(label, 2)) // 2, height - bottom + 8, label)
    return canvas.png()
