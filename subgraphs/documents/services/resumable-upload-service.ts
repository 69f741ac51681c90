/**
 * Resumable uploads (tus): opened after exactly the checks of a signed-URL
 * upload (UploadService.openUpload / openVersionUpload), for longer, and
 * answered with the tus endpoint and a token for this one upload.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { TUS_PATH } from '../http/tus-path.js';
import type { TusTokens } from '../http/tus-tokens.js';
import type { NewUploadInput, NewVersionInput, OpenedUpload, UploadService } from './upload-service.js';

export interface ResumableUploadModel extends OpenedUpload {
  endpoint: string;
  token: string;
}

export interface ResumableUploadDeps {
  tokens: TusTokens;
  publicUrl: string;
  ttlSeconds: number;
}

export class ResumableUploadService {
  constructor(
    private readonly viewer: Viewer,
    private readonly uploads: UploadService,
    private readonly deps: ResumableUploadDeps,
  ) {}

  async create(input: NewUploadInput): Promise<ResumableUploadModel> {
    return this.withToken(await this.uploads.openUpload(input, this.deps.ttlSeconds));
  }

  async createVersion(input: NewVersionInput): Promise<ResumableUploadModel> {
    return this.withToken(await this.uploads.openVersionUpload(input, this.deps.ttlSeconds));
  }

  private async withToken(opened: OpenedUpload): Promise<ResumableUploadModel> {
    return {
      ...opened,
      endpoint: `${this.deps.publicUrl}${TUS_PATH}`,
      token: await this.deps.tokens.sign(opened.uploadId, this.viewer, opened.expiresAt),
    };
  }
}
