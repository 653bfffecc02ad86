/**
 * A minimal zip writer for hostile zips that yazl refuses to make: any entry
 * name (`..\evil`, duplicates), symlink entries, and a deflate bomb built
 * from one repeated compressed block, so a 300 MB entry costs a few hundred
 * KB and no compression time.
 */
import zlib from 'node:zlib';

export type ZipEntry = {
  name: string;
  /** Stored as is. */
  data?: Buffer;
  /** Already deflated (raw) data with the size and CRC it unpacks to. */
  deflated?: { bytes: Buffer; size: number; crc: number };
  /** Unix mode in the external attributes (0o120777 marks a symlink whose data is the target). */
  mode?: number;
};

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.deflated ? 8 : 0;
    const body = e.deflated ? e.deflated.bytes : e.data!;
    const size = e.deflated ? e.deflated.size : e.data!.length;
    const crc = e.deflated ? e.deflated.crc : zlib.crc32(e.data!);
    const common = Buffer.concat([u16(20), u16(0x0800), u16(method), u16(0), u16(0x21), u32(crc), u32(body.length), u32(size), u16(name.length), u16(0)]);
    const local = Buffer.concat([u32(0x04034b50), common, name, body]);
    const mode = e.mode ?? 0o100644;
    centrals.push(Buffer.concat([u32(0x02014b50), u16((3 << 8) | 20), common, u16(0), u16(0), u16(0), u32(mode * 0x10000), u32(offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(offset), u16(0)]);
  return Buffer.concat([...locals, cd, end]);
}

/** `mib` MiB of zeros as raw deflate: one full-flushed block repeated, then an empty final block. */
export function zerosBomb(mib: number): { bytes: Buffer; size: number; crc: number } {
  const chunk = Buffer.alloc(1 << 20);
  const block = zlib.deflateRawSync(chunk, { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const parts: Buffer[] = [];
  let crc = 0;
  for (let i = 0; i < mib; i++) {
    parts.push(block);
    crc = zlib.crc32(chunk, crc);
  }
  parts.push(Buffer.from([0x03, 0x00]));
  return { bytes: Buffer.concat(parts), size: mib << 20, crc };
}
