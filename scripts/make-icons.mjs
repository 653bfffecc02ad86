#!/usr/bin/env node
// Draws the app icon (a white check mark on a Fluent-blue rounded square) as
// PNGs in build/icons/<N>x<N>.png. Plain Node (zlib), no image library; the
// PNGs are committed, this script documents how they were made.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const out = path.resolve(import.meta.dirname, '..', 'build', 'icons');
const sizes = [16, 32, 48, 64, 128, 256, 512, 1024];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Distance from p to segment ab (unit square coordinates). */
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function draw(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const aa = 1 / size;
  const blue = [15, 108, 189];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      // rounded square, margin 4%, corner radius 20%
      const m = 0.04;
      const r = 0.2;
      const qx = Math.max(Math.abs(u - 0.5) - (0.5 - m - r), 0);
      const qy = Math.max(Math.abs(v - 0.5) - (0.5 - m - r), 0);
      const boxD = Math.hypot(qx, qy) - r;
      const boxA = Math.max(0, Math.min(1, 0.5 - boxD / aa));
      // check mark, stroke half-width 6%
      const checkD = Math.min(segDist(u, v, 0.27, 0.52, 0.43, 0.68), segDist(u, v, 0.43, 0.68, 0.74, 0.34)) - 0.06;
      const checkA = Math.max(0, Math.min(1, 0.5 - checkD / aa));
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(blue[c] * (1 - checkA) + 255 * checkA);
      rgba[i + 3] = Math.round(255 * boxA);
    }
  }
  return png(size, rgba);
}

fs.mkdirSync(out, { recursive: true });
for (const s of sizes) fs.writeFileSync(path.join(out, `${s}x${s}.png`), draw(s));
process.stderr.write(`make-icons: ${sizes.length} PNGs in ${out}\n`);
