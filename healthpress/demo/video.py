"""The demo's video and its captions, made by this script: a drawn figure at a desk doing the
stretches its transcript describes, nobody else's work, released with HealthPress under CC0 1.0
like the demo's pictures (see pictures/LICENCE.md).

The demo plays it from this site (a self-hosted video block: a WebM file and a WebVTT caption
track), so trying the demo reaches no video host, and no placeholder address stands in for a
video that was never checked.

`python -m healthpress.demo.video` makes both again into healthpress/demo/articles/videos/.
Pillow draws the frames; Debian's ffmpeg encodes them (VP9, no sound). Only this script needs
ffmpeg: the committed files are its output, and loading the demo reads them as they are.
"""

import math
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw

from .pictures import DARK, SKIN, TEAL, TINT, WHITE

FOLDER = Path(__file__).resolve().parent / "articles" / "videos"
NAME = "desk-stretch"
WIDTH, HEIGHT, FPS = 640, 360, 10
# (seconds, caption, the pose over that span): what the figure does, and what the captions say.
STEPS = (
    (
        6,
        "Sit towards the front of your chair, feet flat. Arch your lower back, then round it.",
        "arch",
    ),
    (6, "Sit tall and turn your upper body to the right, holding the back of the chair.", "right"),
    (6, "Now turn to the left, just as far, and hold for ten seconds.", "left"),
    (
        6,
        "Stand, put your hands on your lower back and lean back a little. Stop if it hurts.",
        "stand",
    ),
)
DURATION = sum(seconds for seconds, _, _ in STEPS)  # 24 s: "0:24" in the demo article


def _limb(draw, start, length, degrees, width=14, fill=TEAL):
    """A line from `start`, `length` long, at `degrees` (0 = up, clockwise); returns its end."""
    end = (
        start[0] + length * math.sin(math.radians(degrees)),
        start[1] - length * math.cos(math.radians(degrees)),
    )
    draw.line([start, end], fill=fill, width=width, joint="curve")
    return end


def frame(pose, progress):
    """One frame: the figure side on, `progress` (0 to 1) of the way through `pose`."""
    image = Image.new("RGB", (WIDTH, HEIGHT), TINT)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, WIDTH, HEIGHT), fill=(211, 223, 224))  # floor
    swing = math.sin(progress * 2 * math.pi * 2)  # two slow movements per step
    if pose == "stand":
        hip, lean = (300, 170), -12 * min(1.0, progress * 3)
        _limb(draw, hip, 130, 180, fill=(60, 70, 90))  # legs, straight
    else:
        draw.rectangle((230, 210, 340, 222), fill=DARK)  # the seat
        draw.line([(236, 222), (236, 300)], fill=DARK, width=6)
        draw.line([(232, 130), (232, 216)], fill=DARK, width=6)  # the chair's back
        hip = (300, 200)
        knee = _limb(draw, hip, 90, 90, fill=(60, 70, 90))  # thigh, forward
        _limb(draw, knee, 100, 180, fill=(60, 70, 90))  # shin, foot flat on the floor
        lean = 14 * swing if pose == "arch" else 0
    shoulder = _limb(draw, hip, 110, lean, width=30)
    head = _limb(draw, shoulder, 40, lean, width=1, fill=TINT)
    draw.ellipse((head[0] - 26, head[1] - 26, head[0] + 26, head[1] + 26), fill=SKIN)
    if pose in ("right", "left"):
        turn = min(1.0, progress * 3) * (1 if pose == "right" else -1)
        _limb(draw, shoulder, 70, 200 + 40 * turn, width=10, fill=SKIN)  # arm to the chair
        cx, cy = shoulder[0] + 150, shoulder[1]  # the turn, as seen from above, beside the figure
        draw.arc((cx - 50, cy - 20, cx + 50, cy + 20), 200, 340, fill=DARK, width=5)
        tip = (cx + 48 * turn, cy - 6)
        back = tip[0] - 14 * turn
        draw.polygon([tip, (back, tip[1] - 12), (back, tip[1] + 12)], fill=DARK)
    elif pose == "stand":
        _limb(draw, shoulder, 60, 170 + lean, width=10, fill=SKIN)  # hands to the lower back
    else:
        _limb(draw, shoulder, 80, 150 + lean, width=10, fill=SKIN)  # hands on the hips
    draw.rectangle((0, 0, WIDTH, 8), fill=WHITE)
    return image


def frames():
    for seconds, _, pose in STEPS:
        count = seconds * FPS
        for n in range(count):
            yield frame(pose, n / count)


def timestamp(seconds):
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"


def captions():
    """The WebVTT caption track: one cue per step."""
    cues, start = ["WEBVTT", ""], 0
    for seconds, text, _ in STEPS:
        cues += [f"{timestamp(start)} --> {timestamp(start + seconds)}", text, ""]
        start += seconds
    return "\n".join(cues)


def make(folder=FOLDER):
    """Write NAME.webm and NAME.vtt into `folder`; returns their paths."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise SystemExit("ffmpeg not found: install Debian's ffmpeg package to make the video")
    folder.mkdir(parents=True, exist_ok=True)
    video, track = folder / f"{NAME}.webm", folder / f"{NAME}.vtt"
    command = [
        ffmpeg, "-y", "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "-",
        "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "40", "-row-mt", "1", "-pix_fmt", "yuv420p",
        "-an", "-map_metadata", "-1", "-fflags", "+bitexact", str(video),
    ]  # fmt: skip
    encoder = subprocess.Popen(command, stdin=subprocess.PIPE)
    for image in frames():
        encoder.stdin.write(image.tobytes())
    encoder.stdin.close()
    if encoder.wait():
        raise SystemExit(f"ffmpeg failed (exit {encoder.returncode})")
    track.write_text(captions(), encoding="utf-8")
    return video, track


if __name__ == "__main__":
    for path in make():
        print(path, path.stat().st_size, "bytes")
