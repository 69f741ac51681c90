import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { DocumentService } from './services/document-service.js';

export interface DocumentsContext extends BaseContext {
  documents: DocumentService;
}
