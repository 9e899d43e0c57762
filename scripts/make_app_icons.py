"""Draws the installed web app's PNG icons (static/img/app-icon-192.png and -512.png) from the
same shapes as static/img/app-icon.svg, with Pillow: our own artwork, no third party's.

    .venv/bin/python scripts/make_app_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

RED, WHITE, YELLOW = "#a4161a", "#ffffff", "#ffd43b"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def icon(size: int) -> Image.Image:
    k = size / 512

    def s(*values: float) -> list[int]:
        return [round(v * k) for v in values]

    image = Image.new("RGB", (size, size), RED)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(s(136, 104, 376, 408), radius=round(20 * k), fill=WHITE)
    for y, width in ((160, 160), (224, 160), (288, 110)):
        draw.rectangle(s(176, y, 176 + width, y + 28), fill=RED)
    draw.ellipse(s(304, 314, 428, 438), fill=YELLOW)
    line = max(2, round(16 * k))
    draw.line(s(366, 340, 366, 394), fill=RED, width=line)
    draw.line(s(342, 372, 366, 396, 390, 372), fill=RED, width=line, joint="curve")
    return image


if __name__ == "__main__":
    for size in (192, 512):
        icon(size).save(OUT / f"app-icon-{size}.png", optimize=True)
