import { inflateRawSync } from 'node:zlib';

/**
 * Just enough of the ZIP format to read one entry of a jar and to copy a jar
 * without one entry, byte for byte otherwise (no recompression). Zip64 and
 * multi-disk archives are refused: a jar that needs them is not one we ship.
 */

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

interface DirectoryEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
  /** The entry's central-directory record, as it stands. */
  record: Buffer;
}

interface Directory {
  entries: DirectoryEntry[];
  offset: number;
  /** The end-of-directory record, comment included. */
  end: Buffer;
}

function readDirectory(zip: Buffer): Directory {
  const minimum = 22;
  let at = -1;
  // The end record is last, after a comment of at most 65,535 bytes.
  for (let i = zip.length - minimum; i >= Math.max(0, zip.length - minimum - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_DIRECTORY) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new Error('not a ZIP file: no end-of-directory record');
  const count = zip.readUInt16LE(at + 10);
  const size = zip.readUInt32LE(at + 12);
  const offset = zip.readUInt32LE(at + 16);
  if (zip.readUInt16LE(at + 4) !== 0 || count === 0xffff || offset === 0xffffffff)
    throw new Error('multi-disk and Zip64 archives are not supported');
  const entries: DirectoryEntry[] = [];
  let cursor = offset;
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(cursor) !== DIRECTORY_ENTRY) throw new Error(`damaged ZIP directory at byte ${cursor}`);
    const nameLength = zip.readUInt16LE(cursor + 28);
    const length = 46 + nameLength + zip.readUInt16LE(cursor + 30) + zip.readUInt16LE(cursor + 32);
    entries.push({
      name: zip.toString('utf8', cursor + 46, cursor + 46 + nameLength),
      method: zip.readUInt16LE(cursor + 10),
      compressedSize: zip.readUInt32LE(cursor + 20),
      localOffset: zip.readUInt32LE(cursor + 42),
      record: zip.subarray(cursor, cursor + length),
    });
    cursor += length;
  }
  if (cursor !== offset + size) throw new Error('damaged ZIP directory: its size does not match its entries');
  return { entries, offset, end: zip.subarray(at) };
}

/** An entry's content, or undefined when the archive has none of that name. */
export function zipEntry(zip: Buffer, name: string): Buffer | undefined {
  const entry = readDirectory(zip).entries.find((e) => e.name === name);
  if (!entry) return undefined;
  const at = entry.localOffset;
  if (zip.readUInt32LE(at) !== LOCAL_HEADER) throw new Error(`damaged ZIP entry ${name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`ZIP entry ${name} uses compression method ${entry.method}`);
}

/** The archive without the named entry; every other entry's bytes are copied as they are. */
export function zipWithout(zip: Buffer, name: string): Buffer {
  const { entries, offset, end } = readDirectory(zip);
  // Each entry's local record (header, data, any data descriptor) runs to the next one's start.
  const starts = [...entries.map((e) => e.localOffset), offset].sort((a, b) => a - b);
  const recordEnd = (start: number) => starts[starts.indexOf(start) + 1]!;
  const kept = entries.filter((e) => e.name !== name);
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let written = 0;
  for (const entry of kept) {
    const local = zip.subarray(entry.localOffset, recordEnd(entry.localOffset));
    const record = Buffer.from(entry.record);
    record.writeUInt32LE(written, 42);
    locals.push(local);
    directory.push(record);
    written += local.length;
  }
  const directorySize = directory.reduce((sum, record) => sum + record.length, 0);
  const newEnd = Buffer.from(end);
  newEnd.writeUInt16LE(kept.length, 8);
  newEnd.writeUInt16LE(kept.length, 10);
  newEnd.writeUInt32LE(directorySize, 12);
  newEnd.writeUInt32LE(written, 16);
  return Buffer.concat([...locals, ...directory, newEnd]);
}

/** A jar manifest's main attributes (continuation lines joined). */
export function manifestAttributes(manifest: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const lines = manifest.split(/\r\n|\n|\r/);
  let last: string | undefined;
  for (const line of lines) {
    if (line === '') break; // the main section ends at the first blank line
    if (line.startsWith(' ') && last !== undefined) {
      attributes.set(last, attributes.get(last)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(': ');
    if (colon < 0) continue;
    last = line.slice(0, colon);
    attributes.set(last, line.slice(colon + 2));
  }
  return attributes;
}
