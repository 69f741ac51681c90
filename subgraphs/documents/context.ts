import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { DocumentService } from './services/document-service.js';
import type { UploadService } from './services/upload-service.js';

export interface DocumentsContext extends BaseContext {
  documents: DocumentService;
  uploads: UploadService;
}
