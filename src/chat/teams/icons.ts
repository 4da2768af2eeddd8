/** The app package's two icons, drawn in code: a 192×192 colour icon and a 32×32 white outline on transparency. */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG of `size`×`size` whose pixel colours come from `paint` (x, y → [r, g, b, a]). */
export function png(size: number, paint: (x: number, y: number) => [number, number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    rows[row] = 0; // no filter
    for (let x = 0; x < size; x++) rows.set(paint(x, y), row + 1 + x * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A ring: deckhand's mark, in the colour icon on a blue square and in the outline icon alone. */
const ring = (x: number, y: number, size: number) => {
  const r = Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2) / (size / 2);
  return r > 0.45 && r < 0.7;
};

export const colorIcon = () =>
  png(192, (x, y) => (ring(x, y, 192) ? [255, 255, 255, 255] : [0x1d, 0x4e, 0x89, 255]));
export const outlineIcon = () => png(32, (x, y) => (ring(x, y, 32) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
