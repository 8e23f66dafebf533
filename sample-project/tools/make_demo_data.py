#!/usr/bin/env python3
"""Synthesises the sample project's demo dataset: 4 labels x 10 one-second clips, 16 kHz mono 16-bit.

Every clip is drawn from a seeded random generator, so running this again reproduces data/ exactly.
The sounds are deliberately varied (pitch, timing, decay, background level) so the classifier has
something to learn and augmentation something to add. Only the Python standard library is used.
"""
import math
import os
import random
import struct
import wave

RATE = 16000
SECONDS = 1.0
N = int(RATE * SECONDS)
CLIPS_PER_LABEL = 10
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def background(rng, level):
    """Brownish noise: integrated white noise with a leak, scaled to `level` RMS."""
    out, y = [], 0.0
    for _ in range(N):
        y = 0.98 * y + rng.gauss(0, 1)
        out.append(y)
    rms = math.sqrt(sum(v * v for v in out) / N) or 1.0
    return [v / rms * level for v in out]


def bell(rng):
    f0 = rng.uniform(300, 900)
    partials = [(1.0, 1.0), (2.0, 0.5), (2.76, 0.35), (5.4, 0.2)]
    decay = rng.uniform(2.5, 7.0)
    strikes = [rng.uniform(0.0, 0.3)] + ([rng.uniform(0.45, 0.65)] if rng.random() < 0.4 else [])
    out = [0.0] * N
    for start in strikes:
        s0 = int(start * RATE)
        for i in range(s0, N):
            t = (i - s0) / RATE
            env = math.exp(-decay * t)
            out[i] += env * sum(a * math.sin(2 * math.pi * f0 * r * t) for r, a in partials)
    return out


def knock(rng):
    count = rng.randint(2, 4)
    spacing = rng.uniform(0.12, 0.25)
    start = rng.uniform(0.02, 0.25)
    freq = rng.uniform(150, 400)
    out = [0.0] * N
    for k in range(count):
        s0 = int((start + k * spacing * rng.uniform(0.9, 1.1)) * RATE)
        # A decaying resonance excited by a short noise burst.
        y1 = y2 = 0.0
        r = math.exp(-math.pi * 60 / RATE)
        c = 2 * r * math.cos(2 * math.pi * freq / RATE)
        for i in range(s0, min(N, s0 + int(0.12 * RATE))):
            x = rng.gauss(0, 1) if i - s0 < 40 else 0.0
            y = x + c * y1 - r * r * y2
            y2, y1 = y1, y
            out[i] += y
    return out


def siren(rng):
    centre = rng.uniform(600, 1200)
    depth = rng.uniform(100, 300)
    rate = rng.uniform(1.5, 5.0)
    phase = 0.0
    out = []
    for i in range(N):
        t = i / RATE
        f = centre + depth * math.sin(2 * math.pi * rate * t)
        phase += 2 * math.pi * f / RATE
        out.append(math.sin(phase) + 0.3 * math.sin(2 * phase) + 0.1 * math.sin(3 * phase))
    fade = int(0.02 * RATE)
    for i in range(fade):
        out[i] *= i / fade
        out[N - 1 - i] *= i / fade
    return out


def rain(rng):
    out = [rng.gauss(0, 0.15) for _ in range(N)]
    # A one-pole low-pass gives the hiss its colour.
    y = 0.0
    a = rng.uniform(0.3, 0.7)
    for i in range(N):
        y = a * y + (1 - a) * out[i]
        out[i] = y
    for _ in range(rng.randint(25, 60)):
        s0 = rng.randrange(N)
        amp = rng.uniform(0.3, 1.0)
        for i in range(s0, min(N, s0 + 80)):
            out[i] += amp * math.exp(-(i - s0) / 12.0) * (1 if (i - s0) % 2 == 0 else -1)
    return out


LABELS = {"bell": bell, "knock": knock, "siren": siren, "rain": rain}


def write(path, samples):
    peak = max(abs(v) for v in samples) or 1.0
    gain = 0.7 / peak
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, v * gain)) * 32767)) for v in samples))


def main():
    for index, (label, make) in enumerate(LABELS.items()):
        folder = os.path.join(OUT, label)
        os.makedirs(folder, exist_ok=True)
        for k in range(CLIPS_PER_LABEL):
            rng = random.Random(1000 * index + k)
            sound = make(rng)
            rms = math.sqrt(sum(v * v for v in sound) / N) or 1.0
            noise = background(rng, rms * rng.uniform(0.05, 0.4))
            write(os.path.join(folder, f"{label}-{k + 1:02d}.wav"), [s + b for s, b in zip(sound, noise)])


if __name__ == "__main__":
    main()
