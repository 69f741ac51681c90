import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { ActivityFeed } from './services/document-activity.js';
import type { DocumentService } from './services/document-service.js';
import type { EditService } from './services/edit-service.js';
import type { LifecycleService } from './services/lifecycle-service.js';
import type { SearchSettingsService } from './services/search-settings-service.js';
import type { ResumableUploadService } from './services/resumable-upload-service.js';
import type { ShareService } from './services/share-service.js';
import type { StorageSettingsService } from './services/storage-settings-service.js';
import type { UploadService } from './services/upload-service.js';

export interface DocumentsContext extends BaseContext {
  documents: DocumentService;
  uploads: UploadService;
  resumableUploads: ResumableUploadService;
  shares: ShareService;
  lifecycle: LifecycleService;
  storageSettings: StorageSettingsService;
  edits: EditService;
  activity: ActivityFeed;
  searchSettings: SearchSettingsService;
}
