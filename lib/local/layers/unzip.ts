import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * Extracts a zip archive (a layer's `.zip` asset) into a directory, overwriting files already there, as Lambda
 * unpacks each layer over the previous ones in /opt. Stored and deflated entries, Unix permissions kept
 * (executables stay executable); no ZIP64, encryption or multi-disk archives (Lambda's 250 MB limit keeps layers
 * well under ZIP64's sizes). Throws with the archive's path and what is wrong with it.
 */
export function unzip(archive: string, into: string): void {
  const zip = readFileSync(archive);
  const fail = (why: string) => new Error(`${archive} is not a zip archive the runner can extract: ${why}`);
  const end = findEndOfCentralDirectory(zip);
  if (end < 0) throw fail('no end of central directory record');
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const root = resolve(into);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw fail(`central directory entry ${i} is damaged`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw fail(`${name} is encrypted`);
    const target = resolve(root, name);
    // A name like ../../etc/passwd must not leave the directory (zip slip).
    if (target !== root && !target.startsWith(root + sep)) throw fail(`entry ${JSON.stringify(name)} points outside the archive`);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    let content: Buffer;
    if (method === 0) content = data;
    else if (method === 8) content = inflateRawSync(data);
    else throw fail(`${name} uses compression method ${method} (only stored and deflated are supported)`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    if (mode & 0o111) chmodSync(target, mode & 0o777);
  }
}

/** The offset of the end-of-central-directory record, searched from the end (a comment may follow it). */
function findEndOfCentralDirectory(zip: Buffer): number {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}

