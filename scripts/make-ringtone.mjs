// Writes resources/sounds/ringtone.wav: the softphone's ringtone, synthesised here (no recorded
// or copyrighted audio). Two soft two-tone chirps (a warm chord with a short fade), then a pause;
// the player loops it. 16 kHz mono 16-bit PCM, about 3 s.
//   node scripts/make-ringtone.mjs
import fs from 'node:fs';
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RATE = 16_000;
const out = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../resources/sounds/ringtone.wav',
);

const samples = [];
const tone = (seconds, freqs) => {
  const n = Math.round(seconds * RATE);
  const fade = Math.round(0.02 * RATE);
  for (let i = 0; i < n; i++) {
    const env = Math.min(1, i / fade, (n - i) / fade);
    // A little vibrato keeps it from sounding like a test tone.
    const t = i / RATE;
    const v = freqs.reduce(
      (sum, f) => sum + Math.sin(2 * Math.PI * f * t + 0.3 * Math.sin(2 * Math.PI * 18 * t)),
      0,
    );
    samples.push((0.28 * env * v) / freqs.length);
  }
};
const silence = (seconds) => {
  for (let i = 0; i < Math.round(seconds * RATE); i++) samples.push(0);
};
for (let k = 0; k < 2; k++) {
  tone(0.4, [659.25, 830.61]); // E5 + G#5
  silence(0.08);
  tone(0.4, [587.33, 739.99]); // D5 + F#5
  silence(0.2);
}
silence(1.4);

const data = Buffer.alloc(samples.length * 2);
samples.forEach((s, i) =>
  data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2),
);
const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + data.length, 4);
header.write('WAVE', 8);
header.write('fmt ', 12);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(RATE, 24);
header.writeUInt32LE(RATE * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(data.length, 40);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, Buffer.concat([header, data]));
console.log(
  `${out}: ${(samples.length / RATE).toFixed(2)} s, ${header.length + data.length} bytes`,
);
