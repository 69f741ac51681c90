/**
 * Documents: ERP document management over local disk, WebDAV and S3
 * storage. Metadata in the `documents` schema; bytes move through signed
 * URLs, or resumably by tus, under /files/ (served here, forwarded by the gateway).
 */
import { createKysely } from '../../platform/database/connection.js';
import { forRequest } from '../../platform/database/request-database.js';
import { CourseAccess } from '../../platform/federation/course-access.js';
import { EntityReferences } from '../../platform/federation/entity-references.js';
import { trustedProxies } from '../../platform/http/client-ip.js';
import { EgressPolicy } from '../../platform/http/egress-policy.js';
import { lazyContext } from '../../platform/subgraph/lazy-context.js';
import type { SubgraphModule } from '../../platform/subgraph/subgraph-module.js';
import type { DocumentsContext } from './context.js';
import type { DocumentsDatabase } from './database.js';
import { downloadRoute } from './http/download-route.js';
import { shareRoutes } from './http/share-route.js';
import { TusTokens } from './http/tus-tokens.js';
import { tusRoutes } from './http/tus-routes.js';
import { uploadRoute } from './http/upload-route.js';
import { UrlSigner } from './http/url-signer.js';
import { startSearchIndexConsumer } from './consumers/search-index-consumer.js';
import { cleanupAbandonedUploads } from './jobs/cleanup-uploads.js';
import { indexPendingDocuments } from './jobs/index-pending.js';
import { NextcloudShareJudge } from './jobs/judge-nextcloud-shares.js';
import { startPeriodicJobs } from './jobs/periodic-jobs.js';
import { purgeTrash } from './jobs/purge-trash.js';
import { documentsMigrations } from './migrations/index.js';
import { ActivityRepository } from './repositories/activity-repository.js';
import { CompanyStorageRepository } from './repositories/company-storage-repository.js';
import { DocumentRepository } from './repositories/document-repository.js';
import { ShareAttemptRepository } from './repositories/share-attempt-repository.js';
import { ShareLinkRepository } from './repositories/share-link-repository.js';
import { SearchRepository } from './repositories/search-repository.js';
import { StorageProfileRepository } from './repositories/storage-profile-repository.js';
import { UploadSessionRepository } from './repositories/upload-session-repository.js';
import { resolvers } from './resolvers/index.js';
import { seedDocuments } from './seed.js';
import { DocumentAccess } from './services/document-access.js';
import { ActivityFeed, ActivityTrail } from './services/document-activity.js';
import { EditService } from './services/edit-service.js';
import { DocumentService } from './services/document-service.js';
import { LifecycleService } from './services/lifecycle-service.js';
import { ResumableUploadFinisher } from './services/resumable-upload-finisher.js';
import { ResumableUploadService } from './services/resumable-upload-service.js';
import { NextcloudShareAccounts } from './services/nextcloud-share-accounts.js';
import { CompanySecrets } from './services/company-secrets.js';
import { ContentIndexer } from './services/content-indexer.js';
import { SearchSettingsService } from './services/search-settings-service.js';
import { SharePasswordLimit } from './services/share-password-limit.js';
import { StorageProfiles } from './services/storage-profiles.js';
import { ShareService } from './services/share-service.js';
import { ShareTokens } from './services/share-tokens.js';
import { StorageSettingsService } from './services/storage-settings-service.js';
import { UploadService } from './services/upload-service.js';
import { createStorageBackends } from './storage/storage-backends.js';
import { createTusStaging } from './storage/tus-staging.js';
import type { Viewer } from '../../platform/auth/viewer.js';
import type { Kysely } from 'kysely';

/** What a request's documents services share: its Kysely and repositories (built for every request). */
interface RequestShared {
  requestDb: Kysely<DocumentsDatabase>;
  rows: DocumentRepository;
  search: SearchRepository;
  activityRows: ActivityRepository;
  trail: ActivityTrail;
}

export const documentsSubgraph: SubgraphModule<DocumentsContext> = {
  name: 'documents',
  dbSchema: 'documents',
  migrations: documentsMigrations,
  resolvers,
  async start({ config, databaseUrl, log }) {
    const db = createKysely<DocumentsDatabase>(databaseUrl);
    const settings = config.documents;
    const secrets = new CompanySecrets(config.credentialKey, config.previousKeys.credential);
    const profileRows = new StorageProfileRepository(db);
    // Companies' own servers (WebDAV, S3, Nextcloud) are addresses users gave.
    const egress = new EgressPolicy(config.outbound);
    const profiles = new StorageProfiles(profileRows, secrets, egress);
    const backends = await createStorageBackends(settings, profiles.resolve);
    const signer = new UrlSigner(settings.urlSigningSecret, config.publicUrl);
    const documentRepository = new DocumentRepository(db);
    const sessions = new UploadSessionRepository(db);
    const companyStorage = new CompanyStorageRepository(db);
    const activityRows = new ActivityRepository(db);
    const activity = new ActivityTrail(activityRows);
    const uploadDeps = { db, config: settings, signer, backends, documentRepository, sessions, companyStorage, activity };
    const nextcloudAccounts = new NextcloudShareAccounts(companyStorage, secrets, backends, egress);
    const storageSettingsDeps = { repository: companyStorage, profileRows, profiles, config: settings, backends, secrets };
    const shareLinks = new ShareLinkRepository(db);
    const shareTokens = new ShareTokens(settings.urlSigningSecret, config.publicUrl);
    const shareAttempts = new ShareAttemptRepository(db);
    // Documents' text into the search index, in the background (see consumers/search-index-consumer.ts).
    const searchIndex = new SearchRepository(db);
    const indexer = new ContentIndexer({ db, search: searchIndex, backends, config: settings.search, log });
    const indexing = settings.search.indexContent ? await startSearchIndexConsumer({ config, databaseUrl, indexer, log }) : undefined;
    let stopping = false;
    // Once at start, whatever is pending (documents from before the indexer, the demo's); then with the periodic jobs.
    const firstCatchUp =
      indexing &&
      indexPendingDocuments(searchIndex, indexer, log, { quietSeconds: 0, stopping: () => stopping }).catch((error: unknown) => {
        log.warn({ err: error }, 'search index catch-up failed');
      });
    // The services acting for one caller: a GraphQL request's, the one a resumable upload's token names, or a share link's maker.
    const accessFor = (viewer: Viewer) => new DocumentAccess(viewer, new CourseAccess(config, viewer), new EntityReferences(config, viewer, 'erp'));
    const documentsFor = (viewer: Viewer, rows = documentRepository, search = searchIndex) =>
      new DocumentService(viewer, rows, accessFor(viewer), signer, settings.urlTtlSeconds, search);
    const uploadsFor = (viewer: Viewer) => new UploadService(viewer, documentsFor(viewer), uploadDeps);
    const tusTokens = new TusTokens(settings.urlSigningSecret);
    const staging = createTusStaging(settings.resumableStagingDir, settings.resumableUploadTtlSeconds);
    const finisher = new ResumableUploadFinisher({ sessions, backends, staging, uploadsFor, log });
    const resumableDeps = { tokens: tusTokens, publicUrl: config.publicUrl, ttlSeconds: settings.resumableUploadTtlSeconds };
    const shareJudge = new NextcloudShareJudge({ db, documents: documentRepository, links: shareLinks, accounts: nextcloudAccounts, accessFor, activity, log });
    const stopJobs = startPeriodicJobs(
      settings.jobIntervalSeconds,
      {
        cleanupAbandonedUploads: () => cleanupAbandonedUploads(sessions, backends, log, { staging }),
        purgeTrash: () => purgeTrash(documentRepository, backends, settings.trashRetentionDays, log),
        pruneShareAttempts: () => shareAttempts.prune(new Date(Date.now() - 86_400_000)),
        // Nextcloud serves its shares unjudged: those whose maker lost the document another way than a move end here.
        judgeNextcloudShares: () => shareJudge.run(),
        ...(indexing ? { indexPendingDocuments: () => indexPendingDocuments(searchIndex, indexer, log, { stopping: () => stopping }) } : {}),
      },
      log,
    );
    return {
      // The request's statements are cancelled with it: its own Kysely and repositories (request-database.ts).
      // Storage settings, profiles and Nextcloud accounts keep the process's (rare writes of an administrator).
      // Each service is built when a resolver first reads it (lazy-context.ts): a fetch reads one or two.
      createContext: lazyContext<DocumentsContext, RequestShared>(
        (base) => {
          const requestDb = forRequest(db, base.signal);
          const search = new SearchRepository(requestDb);
          const activityRows = new ActivityRepository(requestDb);
          return { requestDb, rows: new DocumentRepository(requestDb), search, activityRows, trail: new ActivityTrail(activityRows) };
        },
        {
          documents: ({ viewer }, { rows, search }) => documentsFor(viewer, rows, search),
          uploads: ({ viewer, documents }, { requestDb, rows, trail }) =>
            new UploadService(viewer, documents, {
              ...uploadDeps,
              db: requestDb,
              documentRepository: rows,
              sessions: new UploadSessionRepository(requestDb),
              companyStorage: new CompanyStorageRepository(requestDb),
              activity: trail,
            }),
          resumableUploads: ({ viewer, uploads }) => new ResumableUploadService(viewer, uploads, resumableDeps),
          shares: ({ viewer, documents }, { requestDb, rows, trail }) =>
            new ShareService(viewer, documents, rows, new ShareLinkRepository(requestDb), shareTokens, requestDb, nextcloudAccounts, trail, accessFor),
          lifecycle: ({ viewer, documents, shares }, { requestDb, rows, trail }) => new LifecycleService(viewer, documents, rows, requestDb, shares, trail),
          edits: ({ viewer, documents, shares }, { requestDb, rows, trail }) => new EditService(viewer, documents, rows, requestDb, trail, shares),
          activity: ({ viewer, documents }, { activityRows }) => new ActivityFeed(viewer, documents, activityRows),
          storageSettings: ({ viewer }) => new StorageSettingsService(viewer, storageSettingsDeps),
          searchSettings: ({ viewer }, { requestDb, search }) => new SearchSettingsService(viewer, requestDb, search),
        },
      ),
      routes: [
        downloadRoute(signer, documentRepository, backends),
        uploadRoute(signer, sessions, backends, log),
        ...tusRoutes({ tokens: tusTokens, sessions, staging, finisher, publicUrl: config.publicUrl, internalUrl: settings.internalUrl, log }),
        ...shareRoutes(shareLinks, backends, new SharePasswordLimit(shareAttempts), trustedProxies(config.subgraphTrustProxy), activity, accessFor),
      ],
      readiness: Object.fromEntries(backends.all().map((backend) => [`storage:${backend.name}`, () => backend.check()])),
      stop: async () => {
        stopping = true;
        await firstCatchUp;
        await stopJobs();
        await indexing?.stop();
      },
    };
  },
  seed: (deps) => seedDocuments(deps),
};
