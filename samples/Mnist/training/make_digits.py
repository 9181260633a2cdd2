"""Renders one digit image per class (0-9) with a system font, processed MNIST-style.

Not copied from MNIST: each digit is drawn with PIL from a TrueType font, then
  white on black -> cropped to its ink -> scaled to fit a 20x20 box (aspect kept)
  -> placed in 28x28 so that its centre of mass is at the centre.
Writes ../Digits/digit-<label>.png (8-bit greyscale) and, if ../Model/lenet.weights exists,
classifies them and records the predictions in ../Model/training-report.txt.
Run with Debian's Python: /usr/bin/python3 make_digits.py
"""
import os

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

import common

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # Debian package fonts-dejavu-core
SECTION = "\n# Digit predictions (make_digits.py)\n"


def render(label, font):
    """Draws the digit large, white on black, and returns it cropped to its ink."""
    canvas = Image.new("L", (256, 256), 0)
    ImageDraw.Draw(canvas).text((128, 128), str(label), fill=255, font=font, anchor="mm")
    return canvas.crop(canvas.getbbox())


def mnist_style(glyph):
    """Fits the glyph into 20x20 (aspect kept) and centres it by centre of mass in 28x28."""
    w, h = glyph.size
    scale = 20.0 / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = np.asarray(glyph.resize(size, Image.LANCZOS), dtype=np.float64)
    ys, xs = np.indices(small.shape)
    cy, cx = (ys * small).sum() / small.sum(), (xs * small).sum() / small.sum()
    top = int(np.clip(round(14 - cy), 0, 28 - size[1]))
    left = int(np.clip(round(14 - cx), 0, 28 - size[0]))
    out = np.zeros((28, 28), dtype=np.uint8)
    out[top:top + size[1], left:left + size[0]] = np.clip(small, 0, 255).round().astype(np.uint8)
    return out


def digit_path(label):
    return os.path.join(common.DIGITS_DIR, f"digit-{label}.png")


def main():
    font = ImageFont.truetype(FONT, 160)
    os.makedirs(common.DIGITS_DIR, exist_ok=True)
    pixels = []
    for label in range(10):
        img = mnist_style(render(label, font))
        Image.fromarray(img, mode="L").save(digit_path(label), optimize=True)
        pixels.append(img)
    print(f"wrote {len(pixels)} digits to {common.DIGITS_DIR}")

    if not os.path.exists(common.WEIGHTS_PATH):
        print("no lenet.weights yet: run train.py to classify the digits")
        return
    torch.set_num_threads(1)
    with torch.no_grad():
        probs = torch.softmax(common.load_weights()(common.to_input(np.stack(pixels))), dim=1)
    lines, correct = [], 0
    for label, p in enumerate(probs):
        pred = int(p.argmax())
        correct += pred == label
        lines.append(f"digit-{label}.png: predicted {pred} (p={p[pred]:.3f}) {'ok' if pred == label else 'WRONG'}")
    lines.append(f"{correct}/10 font-rendered digits classified correctly (font: {os.path.basename(FONT)})")
    print("\n".join(lines))

    with open(common.REPORT_PATH) as f:
        report = f.read().split(SECTION)[0]
    with open(common.REPORT_PATH, "w") as f:
        f.write(report + SECTION + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
