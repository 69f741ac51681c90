/**
 * GET /recordings/<id>?expires=&sig=: a READY recording's file, for holders
 * of a signed URL (Recording.url). The signature is the authorization: the
 * URL was handed to someone allowed to see the recording, and expires soon.
 * Byte ranges are served (206, 416) so that players seek and Safari plays
 * at all; S3 recordings are played from presigned S3 URLs, which S3 serves
 * with ranges itself.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseRange } from '../../../platform/http/byte-range.js';
import { contentDisposition } from '../../../platform/http/content-disposition.js';
import { sendJson } from '../../../platform/http/respond.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import type { RecordingRepository } from '../repositories/recording-repository.js';
import type { RecordingFiles } from './recording-files.js';
import { RECORDINGS_PATH, type RecordingUrlSigner } from './recording-url.js';

export function recordingDownloadRoute(files: RecordingFiles, signer: RecordingUrlSigner, recordings: RecordingRepository): HttpRoute {
  return {
    method: 'GET',
    path: RECORDINGS_PATH,
    handle: async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://meet.local');
      let id: string;
      try {
        id = decodeURIComponent(url.pathname.slice(RECORDINGS_PATH.length));
      } catch {
        return sendJson(response, 400, { error: 'Recording link refused: malformed path' }); // not percent-encoding (`%ZZ`)
      }
      const scope = url.searchParams.get('scope');
      const refusal = signer.check(id, url.searchParams.get('expires'), url.searchParams.get('sig'), scope);
      if (refusal) return sendJson(response, 403, { error: `Recording link refused: ${refusal}` });
      const found = await recordings.findById(id);
      // A student's link stops playing as soon as a teacher unpublishes the recording.
      const recording = found && (found.published || scope === 'any') ? found : null;
      // Local files only (S3 ones are played from presigned S3 URLs); a key from LiveKit must never lead outside the directory.
      const file = recording?.status === 'READY' && recording.storage !== 's3' && recording.fileKey ? files.localPath(recording.fileKey) : null;
      if (!file) return sendJson(response, 404, { error: 'No such recording' });
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return sendJson(response, 404, { error: 'The recording file is not available' });
      const headers = {
        'content-type': 'video/mp4',
        // The file's name comes from LiveKit (an adopted egress's own): any Unicode, quotes included.
        'content-disposition': contentDisposition(path.basename(file), 'inline'),
        'cache-control': 'private, no-store',
        'accept-ranges': 'bytes',
        'last-modified': info.mtime.toUTCString(),
      };
      // If-Range naming another version of the file means "send it whole".
      const ifRange = request.headers['if-range'];
      const range = parseRange(ifRange && ifRange !== headers['last-modified'] ? undefined : request.headers.range, info.size);
      if (range.kind === 'unsatisfiable') {
        response.writeHead(416, { 'content-range': `bytes */${info.size}` });
        return void response.end();
      }
      const part = range.kind === 'range' ? range.range : undefined;
      response.writeHead(part ? 206 : 200, {
        ...headers,
        'content-length': part ? part.end - part.start + 1 : info.size,
        ...(part && { 'content-range': `bytes ${part.start}-${part.end}/${info.size}` }),
      });
      if (request.method === 'HEAD') return void response.end();
      await pipeline(createReadStream(file, part), response);
    },
  };
}
