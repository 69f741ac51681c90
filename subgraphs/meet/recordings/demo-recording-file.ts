/**
 * The demo's READY recording needs a file behind it, or its link answers
 * 404. No encoder is at hand, so it is a well-formed MP4 header (ftyp and a
 * movie header with the class's duration, no media tracks): the link answers
 * 200 and 206 as for a real recording, and a player shows its length.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** ftyp + moov(mvhd): the smallest MP4 that players open. */
export function placeholderMp4(durationSeconds: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41', 'latin1'));
  const mvhd = Buffer.alloc(100);
  // version/flags, creation and modification times: 0.
  mvhd.writeUInt32BE(1000, 12); // timescale: milliseconds
  mvhd.writeUInt32BE(durationSeconds * 1000, 16);
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  // The identity matrix (16.16 and 2.30 fixed point) at offset 36.
  for (const [index, value] of [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].entries()) mvhd.writeUInt32BE(value, 36 + index * 4);
  mvhd.writeUInt32BE(1, 96); // next track id
  return Buffer.concat([ftyp, box('moov', box('mvhd', mvhd))]);
}

/** Writes the demo recording's file under the recordings directory unless it is there; returns its size. */
export async function ensureDemoRecordingFile(recordingsDir: string, fileKey: string, durationSeconds: number): Promise<number> {
  const file = path.join(path.resolve(recordingsDir), fileKey);
  const existing = await stat(file).catch(() => null);
  if (existing?.isFile()) return existing.size;
  const contents = placeholderMp4(durationSeconds);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, contents);
  return contents.length;
}
