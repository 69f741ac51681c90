/**
 * /files/tus: resumable uploads with the tus protocol 1.0 (creation,
 * termination, expiration), served by @tus/server over a @tus/file-store
 * staging directory. Every request but OPTIONS carries the upload's token
 * (Upload-Token header) and may touch only the upload it names; the upload
 * session's state (pending → uploading → uploaded → completed) is the one a
 * signed PUT moves, so documentUpload, completeDocumentUpload and the cleanup
 * job treat both ways alike. A terminated upload stays `uploading` with
 * nothing staged, and its token may create it again. With several
 * replicas, each upload's bytes stay on the one that created it: the others
 * forward its requests there (DOCUMENTS_INTERNAL_URL).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Locker, Server } from '@tus/server';
import { sendJson } from '../../../platform/http/respond.js';
import { endAfterBodyIfAnsweredEarly, endAfterUnreadBody } from '../../../platform/http/unread-body.js';
import type { Logger } from '../../../platform/logger.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import type { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import { FinishRefused, type ResumableUploadFinisher } from '../services/resumable-upload-finisher.js';
import { StorageUnavailableError } from '../storage/storage-backend.js';
import { FORWARDED_HEADER, forwardToReplica } from './replica-forward.js';
import { TUS_PATH, tusUploadIdOf } from './tus-path.js';
import type { TusTokens } from './tus-tokens.js';
import type { TusStaging } from '../storage/tus-staging.js';

export const TOKEN_HEADER = 'Upload-Token';
const DOCUMENT_HEADERS = ['Document-Id', 'Document-Version', 'Document-Sha256'];

export interface TusRouteDeps {
  tokens: TusTokens;
  sessions: UploadSessionRepository;
  staging: TusStaging;
  finisher: ResumableUploadFinisher;
  /** The public origin (and path, if any) Location headers are relative to. */
  publicUrl: string;
  /** This replica's address for its peers; unset with one replica (nothing is forwarded). */
  internalUrl?: string;
  log: Logger;
  /** Who holds each upload's lock (tus' in-memory one by default); a test holds one itself. */
  locker?: Locker;
}

/** Answers before tus read the body: the connection closes once it came in (see unread-body.ts). */
function refuse(request: IncomingMessage, response: ServerResponse, status: number, error: string): void {
  endAfterUnreadBody(request, response);
  sendJson(response, status, { error }, { connection: 'close', 'tus-resumable': '1.0.0' });
}

const tokenOf = (headers: { get(name: string): string | null }) => headers.get(TOKEN_HEADER) ?? undefined;

/** The tus server on `deps.staging` (@tus/server loads then: see tusRoutes). */
export async function createTusServer(deps: TusRouteDeps): Promise<Server> {
  const { ERRORS, EVENTS, Server } = await import('@tus/server');
  const { tokens, finisher, log } = deps;
  const publicPath = new URL(deps.publicUrl).pathname.replace(/\/$/, '');
  const viewerOf = async (headers: { get(name: string): string | null }) => {
    const check = await tokens.verify(tokenOf(headers));
    if (!check.ok) throw { status_code: 401, body: `${check.reason}\n` };
    return check;
  };
  const tus = new Server({
    path: TUS_PATH,
    datastore: await deps.staging.fileStore(),
    ...(deps.locker && { locker: deps.locker }),
    // Relative to the public origin: right through the gateway, and on the service itself.
    generateUrl: (_request, { id }) => `${publicPath}${TUS_PATH}/${id}`,
    // The upload is the session the token names (one tus upload per session).
    namingFunction: async (request) => (await viewerOf(request.headers)).uploadId,
    allowedHeaders: [TOKEN_HEADER],
    exposedHeaders: DOCUMENT_HEADERS,
    // A finished upload's bytes belong to a document.
    disableTerminationForFinishedUploads: true,
    onUploadFinish: async (request, upload) => {
      const { viewer } = await viewerOf(request.headers);
      try {
        const document = await finisher.finish(upload.id, viewer);
        // Finished by its POST (an empty file, or one sent whole with its creation): tus would read the upload again
        // for its Upload-Expires header, find the staged bytes removed, and answer 404 for a stored file. A whole
        // upload has no expiry to tell (tus 1.0, Expiration), and without a creation date tus does not look.
        if (request.method === 'POST') upload.creation_date = undefined;
        return { headers: { 'Document-Id': document.documentId, 'Document-Version': document.version, 'Document-Sha256': document.checksum } };
      } catch (error) {
        if (error instanceof FinishRefused) throw { status_code: error.status, body: `${error.message}\n` };
        if (error instanceof StorageUnavailableError) throw { status_code: 503, body: `${error.message}\n` };
        log.error({ err: error, uploadId: upload.id }, 'storing a resumable upload failed');
        throw { status_code: 503, body: 'Storing the file failed: send the final PATCH again\n' };
      }
    },
    // Stored, its staged bytes are removed: tus finds no upload there (a PATCH or DELETE after the end, or racing
    // the final one), though the upload is whole (HEAD says so). It is told so, not that nothing is there.
    onResponseError: async (request, error) => {
      // Another request of this upload held its lock past tus' wait (one storing the last bytes): tus says 500.
      if (error === ERRORS.ERR_LOCK_TIMEOUT || ('body' in error && error.body === ERRORS.ERR_LOCK_TIMEOUT.body)) {
        return { status_code: 423, body: 'Another request of this upload is under way: HEAD its URL for the offset and try again\n' };
      }
      // An extension we do not offer, asked for by a client's header (a PATCH with Upload-Length: deferring the length):
      // tus answers 501, a server error for a client's choice.
      if ('status_code' in error && error.status_code === 501) return { status_code: 400, body: `Not supported here: ${error.body}` };
      if (!('status_code' in error) || (error.status_code !== 404 && error.status_code !== 410)) return undefined;
      const id = tusUploadIdOf(new URL(request.url).pathname);
      const session = id ? await deps.sessions.statusOf(id) : null;
      if (session?.status !== 'uploaded' && session?.status !== 'completed') return undefined;
      return { status_code: 409, body: `This upload is already ${session.status}: HEAD its URL to see it whole\n` };
    },
  });
  // What documentUpload shows while the bytes come (about once a second).
  tus.on(EVENTS.POST_RECEIVE, (_request, upload) => {
    deps.sessions.reportProgress(upload.id, upload.offset).catch((error: unknown) => log.warn({ err: error }, 'could not record upload progress'));
  });
  return tus;
}

export function tusRoutes(deps: TusRouteDeps): HttpRoute[] {
  const { tokens, sessions } = deps;
  // Made at the first tus request, not with the documents subgraph: a start that sees none does not load @tus/server.
  let server: Promise<Server> | undefined;
  const tus = () => (server ??= createTusServer(deps));

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const pathname = (request.url ?? '/').split('?')[0]!;
    const id = tusUploadIdOf(pathname);
    if (id === null) return refuse(request, response, 404, 'No such upload');
    // Discovery (and browsers' preflight) needs no token.
    if (request.method === 'OPTIONS') return (await tus()).handle(request, response);
    const header = request.headers[TOKEN_HEADER.toLowerCase()];
    const check = await tokens.verify(typeof header === 'string' ? header : undefined);
    if (!check.ok) return refuse(request, response, 401, check.reason);
    if (request.method === 'POST') return create(request, response, id, check.uploadId);
    if (id === '') return refuse(request, response, 405, 'POST to create an upload; HEAD, PATCH or DELETE its URL');
    if (id !== check.uploadId) return refuse(request, response, 403, 'This token is for another upload');
    const session = await sessions.statusOf(id);
    if (!session) return refuse(request, response, 404, 'No such upload');
    if (elsewhere(request, session.staged_at) && session.status === 'uploading') {
      if (await forwardToReplica(session.staged_at!, request, response)) return;
      return refuse(request, response, 410, 'The bytes received so far were lost with the replica that held them: POST to the endpoint to start again');
    }
    if (request.method === 'HEAD' && (session.status === 'uploaded' || session.status === 'completed')) {
      // Stored (and staged bytes removed): a client that lost the final answer sees the upload whole.
      const size = session.declared_size;
      response.writeHead(200, { 'tus-resumable': '1.0.0', 'upload-offset': size, 'upload-length': size, 'cache-control': 'no-store' });
      return void response.end();
    }
    if (session.status === 'pending') return refuse(request, response, 404, 'This upload has not been created yet: POST to the endpoint first');
    // tus answers some PATCHes (a wrong offset, bytes no longer staged) without reading them: the answer must not be lost to a reset.
    endAfterBodyIfAnsweredEarly(request, response);
    await (await tus()).handle(request, response);
  };

  const isStaged = (uploadId: string) =>
    deps.staging.getUpload(uploadId).then(
      () => true,
      () => false,
    );
  /** Staged on another replica (and not already forwarded here by one). */
  const elsewhere = (request: IncomingMessage, stagedAt: string | null) => !!deps.internalUrl && !!stagedAt && stagedAt !== deps.internalUrl && !request.headers[FORWARDED_HEADER];

  const create = async (request: IncomingMessage, response: ServerResponse, id: string, uploadId: string) => {
    if (id !== '') return refuse(request, response, 405, 'POST to the endpoint to create an upload');
    // Extensions we do not offer (OPTIONS lists those we do): @tus/server would answer 501, a server error for a client's choice.
    if (request.headers['upload-defer-length'] !== undefined || request.headers['upload-concat'] !== undefined) {
      return refuse(request, response, 400, 'Upload-Defer-Length and Upload-Concat are not supported: send Upload-Length, the declared size');
    }
    const claimed = await sessions.claimForTransfer(uploadId);
    const current = claimed ?? (await sessions.statusOf(uploadId));
    if (!current) return refuse(request, response, 404, 'No such upload');
    if (!claimed) {
      if (current.status === 'pending') return refuse(request, response, 410, 'The upload has expired');
      // On another replica: its answer (409 while it holds bytes); when it is gone, a new start here.
      if (current.status === 'uploading' && elsewhere(request, current.staged_at) && (await forwardToReplica(current.staged_at!, request, response))) return;
      // Receiving, with nothing staged (terminated, or its staged bytes expired or lost): it may start again.
      if (current.status !== 'uploading' || (await isStaged(uploadId))) {
        return refuse(request, response, 409, `This upload is already ${current.status}: HEAD its URL to resume`);
      }
    }
    const declared = Number(current.declared_size);
    const length = request.headers['upload-length'];
    if (Number(length) !== declared || !/^\d+$/.test(String(length))) {
      if (claimed) await sessions.release(uploadId);
      return refuse(request, response, Number(length) > declared ? 413 : 400, `Upload-Length must be the declared size, ${declared} bytes`);
    }
    // Recorded before the answer: the next request may reach another replica at once.
    if (deps.internalUrl) await sessions.markStaged(uploadId, deps.internalUrl);
    await (await tus()).handle(request, response);
    if (claimed && response.statusCode !== 201 && response.statusCode !== 204) await sessions.release(uploadId);
  };

  const methods = ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'] as const;
  return methods.flatMap((method) => [
    { method, path: TUS_PATH, handle },
    { method, path: `${TUS_PATH}/`, handle },
  ]);
}
