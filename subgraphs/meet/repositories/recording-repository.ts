/** Recordings (LiveKit egresses) of live classes. */
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { MeetDatabase, RecordingsTable, RecordingStatus } from '../database.js';
import type { RecordingModel } from '../models.js';
import { before, micros, type KeyedRow, type PageWindow } from '../../../platform/database/keyset.js';
import { preparedQuery, type PreparedQuery } from '../../../platform/database/prepared-query.js';
import { moodleIdsOnly, uuidsOnly } from './ids.js';

/** First half of the advisory lock key serialising recording starts (the class id's hash is the second). */
const RECORDING_START_LOCK = 4_242_302;

/** A start claimed this long ago (its starter died, or LiveKit may still have been acting on it) is settled anew: six times egress's 10 s timeout. */
export const STALE_START_SECONDS = 60;

export function toRecording(row: Selectable<RecordingsTable>): RecordingModel {
  return {
    id: row.id,
    companyId: row.company_id,
    liveClassId: row.live_class_id,
    courseId: row.course_id,
    egressId: row.egress_id,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationSeconds: row.duration_seconds,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    storage: row.storage,
    fileKey: row.file_key,
    location: row.location,
    published: row.published,
    createdAt: row.created_at,
  };
}

export interface NewRecording {
  companyId: string;
  liveClassId: string;
  courseId: string;
  egressId: string;
  storage: string;
  fileKey: string | null;
  startedAt: Date | null;
}

/** Recordings that still run in LiveKit. */
export const ACTIVE_RECORDING = ['RECORDING', 'PROCESSING'] as const;

interface ByIdsParams {
  companyId: string;
  ids: readonly string[];
}

export class RecordingRepository {
  /** Hot reads (entity fetches of every course page), built once on first use: repositories of transactions never run them. */
  private prepared?: Record<'byIds' | 'byClasses' | 'byCourses', PreparedQuery<ByIdsParams, Selectable<RecordingsTable>>>;

  constructor(private readonly db: Kysely<MeetDatabase>) {}

  private get reads() {
    const db = this.db;
    const live = (p: ByIdsParams) => db.selectFrom('recordings').selectAll().where('company_id', '=', p.companyId);
    this.prepared ??= {
      byIds: preparedQuery(db, 'meet_recordings_by_ids', (p: ByIdsParams) => live(p).where('id', '=', sql<string>`any(${p.ids}::uuid[])`)),
      byClasses: preparedQuery(db, 'meet_recordings_of_classes', (p: ByIdsParams) =>
        live(p).where('live_class_id', '=', sql<string>`any(${p.ids}::uuid[])`).where('status', '!=', 'DELETED').orderBy('created_at', 'desc'),
      ),
      byCourses: preparedQuery(db, 'meet_recordings_of_courses', (p: ByIdsParams) =>
        live(p).where('course_id', '=', sql<string>`any(${p.ids}::bigint[])`).where('status', '!=', 'DELETED').orderBy('created_at', 'desc'),
      ),
    };
    return this.prepared;
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<RecordingModel[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return [];
    return (await this.reads.byIds({ companyId, ids: valid })).map(toRecording);
  }

  /**
   * Within a transaction: one starter of a class's recording at a time (a teacher, the webhook and reconciliation may
   * all try at once) decides, or writes what it started, held until commit. An advisory lock, so status changes of
   * the class are not held up meanwhile; never held across LiveKit's call (recording-control.ts).
   */
  async lockStartsOfClass(liveClassId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${RECORDING_START_LOCK}::int, hashtext(${liveClassId}))`.execute(this.db);
  }

  /**
   * The class's start claim (under lockStartsOfClass), if any. `unsettled`: LiveKit may run an egress of it that meet
   * does not know (its answer was lost, or its starter died: the claim is `staleSeconds` old); `stale` as said.
   */
  async findStart(liveClassId: string, staleSeconds: number): Promise<{ claim: string; unsettled: boolean; stale: boolean } | null> {
    const row = await this.db
      .selectFrom('recording_starts')
      .select(['claim', sql<boolean>`unconfirmed_at IS NOT NULL`.as('unconfirmed'), sql<boolean>`claimed_at < now() - make_interval(secs => ${staleSeconds})`.as('stale')])
      .where('live_class_id', '=', liveClassId)
      .executeTakeFirst();
    return row ? { claim: row.claim, unsettled: row.unconfirmed || row.stale, stale: row.stale } : null;
  }

  /** Classes whose start claim is unsettled (see findStart): LiveKit may run an egress of theirs that meet does not know. */
  async listUnsettledStarts(staleSeconds: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('recording_starts')
      .select('live_class_id')
      .where((eb) => eb.or([eb('unconfirmed_at', 'is not', null), eb('claimed_at', '<', sql<Date>`now() - make_interval(secs => ${staleSeconds})`)]))
      .execute();
    return rows.map((row) => row.live_class_id);
  }

  /** Claims the class's recording start (under lockStartsOfClass, none found), asking egress for `fileKey`: its token. */
  async claimStart(liveClassId: string, fileKey: string): Promise<string> {
    const row = await this.db
      .insertInto('recording_starts')
      .values({ live_class_id: liveClassId, claim: sql<string>`gen_random_uuid()`, file_key: fileKey })
      .returning('claim')
      .executeTakeFirstOrThrow();
    return row.claim;
  }

  /** Claims anew, for a start asking for `fileKey`, a start whose claim is still `claim` (stale, and Egress asked): the new token, or null. */
  async retakeStart(liveClassId: string, claim: string, fileKey: string): Promise<string | null> {
    const row = await this.db
      .updateTable('recording_starts')
      .set({ claim: sql<string>`gen_random_uuid()`, claimed_at: sql<Date>`now()`, unconfirmed_at: null, file_key: fileKey })
      .where('live_class_id', '=', liveClassId)
      .where('claim', '=', claim)
      .returning('claim')
      .executeTakeFirst();
    return row?.claim ?? null;
  }

  /** LiveKit's answer to the start claimed as `claim` was lost: the claim stays, unconfirmed, until Egress is asked. */
  async markStartUnconfirmed(liveClassId: string, claim: string): Promise<void> {
    await this.db.updateTable('recording_starts').set({ unconfirmed_at: sql<Date>`now()` }).where('live_class_id', '=', liveClassId).where('claim', '=', claim).execute();
  }

  /** Drops the class's start claim if it is still `claim` (one taken over since is the other starter's). */
  async dropStart(liveClassId: string, claim: string): Promise<void> {
    await this.db.deleteFrom('recording_starts').where('live_class_id', '=', liveClassId).where('claim', '=', claim).execute();
  }

  /**
   * Under lockStartsOfClass, the class's egress asking for `requestedFile` is known: the start claim that asked for that
   * file has what it waited to learn (its start was carried out), and goes, its answer lost or still awaited (its
   * starter's write then finds the recording). A claim taken before claims named their file (migration 0009) goes, as
   * it did then, for any `active` egress once unsettled. Another egress settles no claim: its own may run unknown to meet.
   */
  async dropStartOf(liveClassId: string, requestedFile: string | null, active: boolean, staleSeconds: number): Promise<void> {
    if (requestedFile === null && !active) return;
    await this.db
      .deleteFrom('recording_starts')
      .where('live_class_id', '=', liveClassId)
      .where((eb) =>
        eb.or([
          ...(requestedFile === null ? [] : [eb('file_key', '=', requestedFile)]),
          ...(active
            ? [
                eb.and([
                  eb('file_key', 'is', null),
                  eb.or([eb('unconfirmed_at', 'is not', null), eb('claimed_at', '<', sql<Date>`now() - make_interval(secs => ${staleSeconds})`)]),
                ]),
              ]
            : []),
        ]),
      )
      .execute();
  }

  /** For the download route, whose signature already names the recording. */
  async findById(id: string): Promise<RecordingModel | null> {
    if (uuidsOnly([id]).length === 0) return null;
    const row = await this.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecording(row) : null;
  }

  async findByEgressForUpdate(egressId: string): Promise<RecordingModel | null> {
    const row = await this.db.selectFrom('recordings').selectAll().where('egress_id', '=', egressId).forUpdate().executeTakeFirst();
    return row ? toRecording(row) : null;
  }

  async listByClasses(companyId: string, classIds: readonly string[]): Promise<RecordingModel[]> {
    const valid = uuidsOnly(classIds);
    if (valid.length === 0) return [];
    return (await this.reads.byClasses({ companyId, ids: valid })).map(toRecording);
  }

  async listByCourses(companyId: string, courseIds: readonly string[]): Promise<RecordingModel[]> {
    const valid = moodleIdsOnly(courseIds);
    if (valid.length === 0) return [];
    return (await this.reads.byCourses({ companyId, ids: valid })).map(toRecording);
  }

  /** A page of a course's recordings (`publishedOnly` for students), newest first, after a cursor's [micros, id]. */
  async pageByCourse(companyId: string, courseId: string, publishedOnly: boolean, page: PageWindow): Promise<KeyedRow<RecordingModel>[]> {
    if (moodleIdsOnly([courseId]).length === 0) return [];
    let query = this.db
      .selectFrom('recordings')
      .selectAll()
      .select(micros('created_at').as('sort_at'))
      .where('company_id', '=', companyId)
      .where('course_id', '=', courseId)
      .where('status', '!=', 'DELETED');
    if (publishedOnly) query = query.where('published', '=', true);
    if (page.after) query = query.where(before('created_at', 'id', page.after));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(page.limit).execute();
    return rows.map((row) => ({ node: toRecording(row), key: [row.sort_at, row.id] }));
  }

  /** Publishes or hides a recording that is not deleted; null when there is none. */
  async setPublished(companyId: string, id: string, published: boolean): Promise<RecordingModel | null> {
    const row = await this.db
      .updateTable('recordings')
      .set({ published, updated_at: new Date() })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .where('status', '!=', 'DELETED')
      .returningAll()
      .executeTakeFirst();
    return row ? toRecording(row) : null;
  }

  async findActiveOfClass(liveClassId: string): Promise<RecordingModel | null> {
    const row = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('live_class_id', '=', liveClassId)
      .where('status', 'in', [...ACTIVE_RECORDING])
      .orderBy('created_at', 'desc')
      .forUpdate()
      .executeTakeFirst();
    return row ? toRecording(row) : null;
  }

  async listActive(): Promise<RecordingModel[]> {
    const rows = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('status', 'in', [...ACTIVE_RECORDING])
      .execute();
    return rows.map(toRecording);
  }

  async insert(values: NewRecording): Promise<RecordingModel> {
    const row = await this.db
      .insertInto('recordings')
      .values({
        company_id: values.companyId,
        live_class_id: values.liveClassId,
        course_id: values.courseId,
        egress_id: values.egressId,
        storage: values.storage,
        file_key: values.fileKey,
        started_at: values.startedAt,
      })
      // A webhook may have created it first.
      .onConflict((oc) => oc.column('egress_id').doUpdateSet({ updated_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecording(row);
  }

  async update(id: string, changes: Updateable<RecordingsTable>): Promise<RecordingModel> {
    const row = await this.db
      .updateTable('recordings')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecording(row);
  }

  /** Changes a recording only while it is still in one of `statuses` (a webhook may have moved it on). */
  async updateWhileIn(id: string, statuses: readonly RecordingStatus[], changes: Updateable<RecordingsTable>): Promise<RecordingModel | null> {
    const row = await this.db
      .updateTable('recordings')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', [...statuses])
      .returningAll()
      .executeTakeFirst();
    return row ? toRecording(row) : null;
  }
}
