"""The demo's pictures, drawn with Pillow by this script: nobody else's work, so nothing to
license from anyone. They are released with HealthPress under CC0 1.0 (see pictures/LICENCE.md),
and each article file records that licence under its figure.

`python -m healthpress.demo.pictures` draws them again into healthpress/demo/articles/pictures/;
the committed files are its output (small PNG drawings and JPEG lead pictures).
"""

from pathlib import Path

from PIL import Image, ImageDraw

FOLDER = Path(__file__).resolve().parent / "articles" / "pictures"
TEAL, DARK, TINT, SKIN, WATER, WHITE = (
    (11, 93, 98),
    (27, 37, 39),
    (230, 241, 241),
    (224, 172, 140),
    (96, 165, 214),
    (255, 255, 255),
)


def gradient(width, height, top, bottom):
    image = Image.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def calf_lead():
    """A runner's lower leg on a track, at dusk."""
    image = gradient(1200, 675, (247, 190, 120), (120, 80, 120))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 1200, 675), fill=(170, 70, 60))
    for x in range(0, 1200, 150):
        draw.line([(x, 470), (x - 120, 675)], fill=WHITE, width=4)
    draw.polygon([(520, 40), (660, 40), (700, 300), (640, 520), (560, 520), (540, 300)], fill=SKIN)
    draw.ellipse((555, 180, 705, 380), fill=(205, 150, 120))  # the calf muscle, tight
    draw.polygon([(540, 500), (660, 500), (760, 560), (760, 600), (530, 600)], fill=TEAL)
    return image


def calf_drawing():
    """Line art: the calf muscle from the side, tightened in a cramp."""
    image = Image.new("RGB", (900, 600), WHITE)
    draw = ImageDraw.Draw(image)
    draw.line([(380, 40), (360, 300), (420, 520), (640, 540)], fill=DARK, width=6)  # shin
    draw.line([(500, 40), (560, 220), (520, 470), (640, 500)], fill=DARK, width=6)  # back
    draw.ellipse((430, 140, 590, 360), outline=TEAL, width=8, fill=TINT)  # the muscle
    for y in (190, 240, 290):
        draw.arc((450, y - 20, 570, y + 30), 200, 340, fill=TEAL, width=4)  # tension lines
    draw.line([(620, 250), (760, 200)], fill=DARK, width=3)
    draw.polygon([(620, 250), (640, 236), (644, 256)], fill=DARK)
    return image


def back_lead():
    """Someone at a desk, slumped forward over a laptop."""
    image = gradient(1200, 675, (214, 231, 240), (160, 190, 205))
    draw = ImageDraw.Draw(image)
    draw.rectangle((650, 420, 1100, 440), fill=(120, 85, 60))  # desk
    draw.rectangle((700, 350, 900, 420), fill=DARK)  # laptop
    draw.ellipse((470, 170, 570, 270), fill=SKIN)  # head, pushed forward
    draw.line([(500, 270), (420, 520)], fill=TEAL, width=60)  # curved back
    draw.line([(420, 520), (620, 540)], fill=(60, 70, 90), width=50)  # thighs on the chair
    draw.rectangle((340, 540, 640, 560), fill=DARK)  # seat
    return image


def spine_drawing():
    """Line art: a spine's gentle S-curve, upright and slumped."""
    image = Image.new("RGB", (900, 600), WHITE)
    draw = ImageDraw.Draw(image)
    for x0, lean in ((250, 0), (620, 70)):
        for n in range(12):
            y = 60 + n * 40
            x = x0 + round(lean * (1 - n / 11) ** 2) + round(18 * (1 if 3 < n < 8 else -1))
            draw.rounded_rectangle((x - 34, y, x + 34, y + 28), radius=8, outline=TEAL, width=5)
    draw.line([(450, 40), (450, 560)], fill=(211, 223, 224), width=2)
    return image


def water_lead():
    """A glass of water by a window."""
    image = gradient(1200, 675, (232, 244, 250), (190, 218, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 675), fill=(200, 180, 150))
    draw.polygon([(500, 180), (700, 180), (680, 560), (520, 560)], fill=(245, 250, 252))
    draw.polygon([(508, 280), (692, 280), (680, 560), (520, 560)], fill=WATER)
    draw.line([(500, 180), (520, 560), (680, 560), (700, 180)], fill=DARK, width=5)
    return image


def water_drawing():
    """Line art: where a day's water comes from, as three glasses of different heights."""
    image = Image.new("RGB", (900, 600), WHITE)
    draw = ImageDraw.Draw(image)
    for n, level in enumerate((0.8, 0.45, 0.25)):
        x = 120 + n * 260
        draw.rectangle((x, 120, x + 160, 520), outline=DARK, width=6)
        draw.rectangle((x + 6, 520 - round(394 * level), x + 154, 514), fill=WATER)
    return image


PICTURES = {
    "calf-runner.jpg": calf_lead,
    "calf-muscle.png": calf_drawing,
    "desk-posture.jpg": back_lead,
    "spine-curve.png": spine_drawing,
    "glass-of-water.jpg": water_lead,
    "water-sources.png": water_drawing,
}


def draw_all(folder=FOLDER):
    folder.mkdir(parents=True, exist_ok=True)
    for name, draw in PICTURES.items():
        image = draw()
        if name.endswith(".jpg"):
            image.save(folder / name, "JPEG", quality=70, optimize=True, progressive=True)
        else:
            image.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(
                folder / name, "PNG", optimize=True
            )
    return sorted(PICTURES)


if __name__ == "__main__":
    for name in draw_all():
        print(FOLDER / name)
