#!/usr/bin/env bash
# Writes the encoded fixtures the AudioFile tests decode, with the reference encoders (flac 1.4, LAME 3.100,
# oggenc 1.4, opusenc 0.2). The FLAC files carry the MD5 of their source samples, which the decoder checks, so each one
# also proves a bit-exact decode. Run from this folder; needs sox, flac, lame, oggenc, opusenc and ffmpeg.
set -euo pipefail
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# 0.25 s of 440 Hz at 16 kHz, 16-bit mono, at the default and at the highest compression (LPC, big orders).
sox -n -r 16000 -c 1 -b 16 "$tmp/a.wav" synth 0.25 sine 440 gain -3
flac -s -f -5 "$tmp/a.wav" -o sine440-16k-mono16.flac
flac -s -f -8 -b 1152 "$tmp/a.wav" -o sine440-16k-mono16-best.flac

# Stereo 44.1 kHz 24-bit: 440 Hz left, 660 Hz right (the encoder picks among the stereo decorrelations).
sox -n -r 44100 -c 2 -b 24 "$tmp/s.wav" synth 0.1 sine 440 sine 660 gain -6
flac -s -f -8 "$tmp/s.wav" -o stereo-440-660-44k-24bit.flac

# 16-bit values stored as 24-bit samples: every subframe has 8 wasted bits.
sox "$tmp/a.wav" -b 24 "$tmp/w.wav"
flac -s -f "$tmp/w.wav" -o sine440-16k-wasted-bits.flac

# 8-bit white noise with one silent channel (constant subframes), stored verbatim (no predictors allowed).
sox -D -n -r 8000 -c 1 -b 8 "$tmp/n.wav" synth 0.1 whitenoise gain -1
sox -D -n -r 8000 -c 1 -b 8 "$tmp/z.wav" synth 0.1 sine 0 gain -200
sox -D -M "$tmp/n.wav" "$tmp/z.wav" "$tmp/nz.wav"
flac -s -f -0 -l 0 --disable-fixed-subframes "$tmp/nz.wav" -o noise-and-silence-8k-8bit.flac

# Loud 24-bit noise (5-bit Rice parameters) and a 32-bit stereo pair (a 33-bit side channel).
sox -D -n -r 16000 -c 1 -b 24 "$tmp/n24.wav" synth 0.1 whitenoise
flac -s -f "$tmp/n24.wav" -o noise-16k-24bit.flac
sox -D -n -r 16000 -c 2 -b 32 "$tmp/s32.wav" synth 0.1 sine 300 sine 300
flac -s -f -8 "$tmp/s32.wav" -o stereo-16k-32bit.flac

# Odd block sizes and an ID3v2 tag ahead of the fLaC marker.
flac -s -f --lax -b 1000 -l 32 "$tmp/a.wav" -o sine440-16k-odd-blocks.flac
printf 'ID3\x03\x00\x00\x00\x00\x00\x0ajunkjunkju' > sine440-16k-id3.flac
flac -s -c "$tmp/a.wav" >> sine440-16k-id3.flac

# Lossy: MP3 (LAME, 32 kbit/s) and Ogg Vorbis (quality 2), stereo 440/660 Hz at 16 kHz.
sox -n -r 16000 -c 2 -b 16 "$tmp/l.wav" synth 0.5 sine 440 sine 660 gain -6
lame --quiet -b 32 "$tmp/l.wav" stereo-440-660-16k.mp3
oggenc -Q -q 2 "$tmp/l.wav" -o stereo-440-660-16k.ogg

# Opus (decoded at 48 kHz): the same stereo pair, and mono at a voice-note bitrate.
opusenc --quiet --bitrate 32 --comment note=fixture "$tmp/l.wav" stereo-440-660-16k.opus
sox "$tmp/l.wav" -c 1 "$tmp/m.wav" remix 1
opusenc --quiet --bitrate 12 "$tmp/m.wav" mono-440-16k.opus

# G.711 in WAV: every µ-law and A-law code once, beside sox's expansion of each to 16-bit PCM.
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))' > "$tmp/codes.raw"
for law in mu-law a-law; do
  sox -t raw -r 8000 -e $law -b 8 -c 1 "$tmp/codes.raw" every-code-$law.wav
  sox every-code-$law.wav -e signed-integer -b 16 every-code-$law-as-pcm16.wav
done

# IMA and Microsoft ADPCM in WAV (mono at 8 kHz, stereo at 16 kHz; none ends on a block boundary), beside sox's
# decoding of each.
sox -n -r 8000 -c 1 -b 16 "$tmp/i1.wav" synth 0.3 sine 440 gain -3
sox "$tmp/i1.wav" -e ima-adpcm adpcm-mono-8k.wav
sox -n -r 16000 -c 2 -b 16 "$tmp/i2.wav" synth 0.2 sine 440 sine 660 gain -6
sox "$tmp/i2.wav" -e ima-adpcm adpcm-stereo-16k.wav
sox "$tmp/i1.wav" -e ms-adpcm ms-adpcm-mono-8k.wav
sox "$tmp/i2.wav" -e ms-adpcm ms-adpcm-stereo-16k.wav
for f in adpcm-mono-8k adpcm-stereo-16k ms-adpcm-mono-8k ms-adpcm-stereo-16k; do sox $f.wav -e signed-integer -b 16 $f-as-pcm16.wav; done

# Opus in WebM and Matroska (ffmpeg 5.1), remuxed from the Ogg files above without re-encoding, so they hold the
# same packets: as a file, as a stream written to a pipe (a segment of unknown size, as browsers record), and as
# Matroska, whose track list and clusters carry CRC-32 elements.
ffmpeg -v error -y -i stereo-440-660-16k.opus -c:a copy stereo-440-660-16k.webm
ffmpeg -v error -i mono-440-16k.opus -c:a copy -f webm pipe:1 > mono-440-16k-live.webm
ffmpeg -v error -y -i mono-440-16k.opus -c:a copy mono-440-16k.mka

# AIFF (big-endian 16- and 24-bit, sox) and AIFF-C (little-endian "sowt" and 32-bit float, ffmpeg), converted from
# the 16-bit PCM WAV above, so each must read to exactly its samples.
sox adpcm-stereo-16k-as-pcm16.wav stereo-16k.aiff
sox adpcm-stereo-16k-as-pcm16.wav -b 24 stereo-16k-24bit.aif
ffmpeg -v error -y -i adpcm-stereo-16k-as-pcm16.wav -c:a pcm_s16le -f aiff stereo-16k-sowt.aifc
ffmpeg -v error -y -i adpcm-stereo-16k-as-pcm16.wav -c:a pcm_f32be -f aiff stereo-16k-float.aifc
