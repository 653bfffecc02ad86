/** A copy of a pack .zip with one byte of one entry changed (re-zipped, so the zip itself stays readable). */
import fs from 'node:fs';
import yauzl from 'yauzl';
import yazl from 'yazl';

function readEntries(file: string): Promise<Array<{ name: string; data: Buffer }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open zip'));
      const out: Array<{ name: string; data: Buffer }> = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('cannot read entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export async function tamperZip(src: string, dest: string, entrySuffix: string): Promise<string> {
  const entries = await readEntries(src);
  const target = entries.find((e) => e.name.endsWith(entrySuffix));
  if (!target) throw new Error(`${src} has no entry ending in ${entrySuffix} (entries: ${entries.map((e) => e.name).join(', ')})`);
  const i = target.data.indexOf('"');
  target.data[i + 1] = target.data[i + 1] === 0x41 ? 0x42 : 0x41;
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name);
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(dest)).on('finish', resolve).on('error', reject);
  });
  return target.name;
}
