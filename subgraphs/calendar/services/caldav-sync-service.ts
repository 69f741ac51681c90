/**
 * Two-way sync of one user's events with their CalDAV calendar.
 *
 * Push first: every event of theirs changed since its last sync (updated_at
 * newer than the version the remote copy matches) is written with
 * If-None-Match: * (new) or If-Match: <stored ETag> (known); cancelled events
 * are deleted there. Then pull: RFC 6578 sync-collection from the stored token
 * (a refused token means a full resync; a server without sync-collection is
 * compared ETag by ETag), remote edits applied here, remote deletions cancel.
 *
 * Conflicts (412 on push, or a remote change to an event we changed too):
 * - events that mirror another domain's record (deadlines, sales meetings,
 *   leave, classes): ours wins, the remote copy is overwritten;
 * - own events: last modified wins, the remote LAST-MODIFIED against our
 *   updated_at. A series travels with its overrides (one UID).
 *
 * The losing side of every conflict (and of every remote change refused by
 * the owner's rights) is kept in caldav_conflicts as iCalendar text.
 *
 * An account whose owner is no longer a user of its company (deleted in
 * Moodle) is not synced (a failed run saying so): the sync acts with no
 * token, and must not outlive the owner's access through the API.
 *
 * Progress (total/done), last success and last error are written to
 * caldav_sync_status as the sync goes; each finished run is logged in
 * caldav_sync_runs (counts, error).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { EgressPolicy } from '../../../platform/http/egress-policy.js';
import type { Logger } from '../../../platform/logger.js';
import { CalDAVClient, CalDAVError, type RemoteItem } from '../caldav/caldav-client.js';
import type { CredentialCipher } from '../../../platform/crypto/credential-cipher.js';
import { oneLineWithin } from '../caldav/one-line.js';
import { answerInText } from '../caldav/answer-in-text.js';
import { partstatFor, type Contacts } from '../caldav/attendees.js';
import { toICalendar, uidOf, type RemoteObject } from '../caldav/icalendar.js';
import { readServerObject } from '../caldav/readable-object.js';
import { mergeWithServerCopy } from '../caldav/merge-server-copy.js';
import { applyEditorsCopy } from '../caldav/apply-editors-copy.js';
import { applyFollowing } from '../caldav/apply-following.js';
import { mayBeCut } from '../caldav/continued-series.js';
import { remoteRight } from '../caldav/remote-rights.js';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel, EventParticipantModel } from '../models.js';
import type { CaldavLogRepository, SkippedObject } from '../repositories/caldav-log-repository.js';
import type { ReminderRepository } from '../repositories/reminder-repository.js';
import type { CaldavAccountRow, CaldavRepository, CaldavResource, UnreadableObject } from '../repositories/caldav-repository.js';
import type { EventRepository } from '../repositories/event-repository.js';
import { cancelSynced, markSynced } from '../repositories/event-writes.js';
import type { OccurrenceResponse, OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import { publishCalendarChange } from './calendar-change-events.js';
import { CalDAVPull, type PullContext } from './caldav-pull.js';
import { ownerTimeZone } from './owner-time-zone.js';
import type { EventWriteService } from './event-write-service.js';
import { takeOwnAnswers } from './own-answers.js';
import type { UserContacts } from './user-contacts.js';
import type { CompanyOutsiders } from './user-directory.js';
import { SyncTurns } from './sync-turns.js';
import { OccurrencesKeptOut } from './occurrences-kept-out.js';
import { settleKeptOut } from './kept-out-settling.js';
import { RemovedCopies } from './removed-copies.js';
import { groupBy } from '../group-by.js';

/** A RUNNING status older than this is taken over (a process died mid-sync). */
const STALE_SYNC_MS = 10 * 60_000;

export interface SyncOutcome {
  pushed: number;
  pulled: number;
  conflicts: number;
  fullResync: boolean;
  /** The server's objects the pull left out, and why (the first MAX_SKIPPED_NAMED). */
  skipped: SkippedObject[];
}

/** Skipped objects named in one run's log: a calendar of broken objects must not make the log row unbounded. */
const MAX_SKIPPED_NAMED = 100;
/** A reason as long as it helps: a parser's message can quote a whole line (a megabyte). */
const MAX_REASON_LENGTH = 300;

/**
 * PUTs in flight at once during a push: each to its own href with its own
 * If-Match, so they cannot step on each other. Radicale serialises writes,
 * so against it this gains little (bench: within the noise); servers that
 * take PUTs in parallel overlap them.
 */
export const PUSH_CONCURRENCY = 4;
/** Writes over a server copy that keeps changing under us (412 each time) give up after this many tries. */
const WRITE_ATTEMPTS = 3;
/** Progress is written at most this often (and once at the end): a row update per event would cost more than the event. */
const PROGRESS_EVERY_MS = 250;

interface EventRows {
  overrides: CalendarEventModel[];
  participants: EventParticipantModel[];
  responses: OccurrenceResponse[];
}

class AccountSync implements PullContext {
  readonly client: CalDAVClient;
  private readonly byEvent = new Map<string, CaldavResource>();
  private readonly byHref = new Map<string, CaldavResource>();
  private total = 0;
  private done = 0;
  private progressWritten = 0;
  readonly outcome: SyncOutcome = { pushed: 0, pulled: 0, conflicts: 0, fullResync: false, skipped: [] };
  readonly owner: Viewer;
  readonly writes: EventWriteService;
  ownerEmail: string | null = null;
  localZone = 'UTC';
  /** Addresses of the users named in what is pushed, the owner's first (read once per sync). */
  private contacts: Contacts = new Map();
  /** The owner's default reminders: VALARMs of events without their own. */
  private reminders: number[] = [];
  /** Server objects left out as unreadable, by href, at the ETag they had: not fetched nor read again until it changes. */
  private readonly unreadable: Map<string, UnreadableObject>;

  constructor(
    readonly deps: CalDAVSyncService,
    readonly account: CaldavAccountRow,
    password: string,
    resources: CaldavResource[],
    unreadable: UnreadableObject[],
  ) {
    this.client = new CalDAVClient(account.calendar_url, { username: account.username, password }, deps.egress);
    for (const resource of resources) this.remember(resource);
    this.unreadable = new Map(unreadable.map((object) => [object.href, object]));
    this.owner = CalDAVSyncService.ownerViewer(account);
    this.writes = deps.writesAs(this.owner);
  }

  resourceAt(href: string): CaldavResource | undefined {
    return this.byHref.get(href);
  }

  hrefOf(eventId: string): string | undefined {
    return this.byEvent.get(eventId)?.href;
  }

  knownHrefs(): string[] {
    return [...new Set([...this.byHref.keys(), ...this.unreadable.keys()])];
  }

  unreadableAt(href: string): UnreadableObject | undefined {
    return this.unreadable.get(href);
  }

  /** Notes the object at `href` as unreadable at `etag` (`eventVersion`: the event's version a push left it at). */
  async noteUnreadable(href: string, etag: string | null, reason: string, eventVersion: Date | null = null): Promise<void> {
    if (!etag) return; // without an ETag a change could not be told: read again next time
    this.unreadable.set(href, await this.deps.caldav.noteUnreadable(this.account.id, { href, etag, reason, eventVersion }));
  }

  /** Objects read (or written over) since, or gone: no longer noted as unreadable. */
  async noLongerUnreadable(hrefs: readonly string[]): Promise<void> {
    const noted = hrefs.filter((href) => this.unreadable.delete(href));
    await this.deps.caldav.forgetUnreadable(this.account.id, noted);
  }

  remember(resource: CaldavResource) {
    const previous = this.byEvent.get(resource.eventId);
    if (previous) this.byHref.delete(previous.href);
    this.byEvent.set(resource.eventId, resource);
    this.byHref.set(resource.href, resource);
  }

  async forget(resource: CaldavResource) {
    this.byEvent.delete(resource.eventId);
    this.byHref.delete(resource.href);
    await this.deps.caldav.deleteResource(this.account.id, resource.eventId);
  }

  private async save(resource: CaldavResource) {
    this.remember(resource);
    await this.deps.caldav.saveResource(this.account.id, resource);
  }

  async progress(total: number, done: number, force = false) {
    this.total += total;
    this.done += done;
    if (!force && total === 0 && Date.now() - this.progressWritten < PROGRESS_EVERY_MS) return;
    this.progressWritten = Date.now();
    await this.deps.caldav.updateProgress(this.account.id, { total: this.total, done: this.done });
  }

  cancelFromRemote(event: CalendarEventModel): Promise<void> {
    return this.deps.cancelFromRemote(event);
  }

  /** Copies the owner deleted as a participant (their declines), left out of the push (read at the start of a run). */
  private removed!: RemovedCopies;

  /** Occurrences the owner deleted from their copies as a participant, written as EXDATEs there (read at the start of a run). */
  keptOut!: OccurrencesKeptOut;

  /** Events a push left out (named in the run's log, copies the owner deleted, or cuts left to the pull): not counted as pushed. */
  private readonly leftOut = new Set<string>();

  skip(href: string, reason: string): void {
    this.deps.log.warn({ accountId: this.account.id, href, reason }, 'CalDAV object skipped');
    // One line by the rule of titles and names (caldav/one-line.ts): a parser's message may quote the object's lines.
    // Named once: a push that left an object out meets it again in the pull.
    if (this.outcome.skipped.length < MAX_SKIPPED_NAMED && !this.outcome.skipped.some((skipped) => skipped.href === href))
      this.outcome.skipped.push({ href, reason: oneLineWithin(reason, MAX_REASON_LENGTH) });
  }

  /** Keeps the side that lost (`kept` names the winner) where the user can read it. */
  async conflict(event: CalendarEventModel, href: string, kept: 'CALENDAR' | 'REMOTE', losingICalendar: string, reason: string): Promise<void> {
    this.outcome.conflicts++;
    await this.deps.syncLog.recordConflict(this.account.id, { eventId: event.id, href, kept, reason, losingICalendar });
  }

  /** Our version of an event as the pull's transaction holds it: rows read in it, the text made after it (PullContext). */
  async ourVersionIn(trx: Transaction<CalendarDatabase>, event: CalendarEventModel): Promise<() => Promise<string>> {
    const rows = await this.rowsOf(event, trx);
    return () => this.rendered(event, rows);
  }

  async pushNow(event: CalendarEventModel): Promise<void> {
    await this.pushEvent(event);
    if (!this.leftOut.has(event.id)) this.outcome.pushed++;
  }

  async run(): Promise<SyncOutcome> {
    this.contacts = await this.deps.contacts.of(this.account.company_id, [this.account.user_id]);
    this.ownerEmail = this.contacts.get(this.account.user_id)?.email ?? null;
    this.reminders = (await this.deps.reminders.defaultsOf(this.account.company_id, [this.account.user_id])).get(this.account.user_id) ?? [];
    this.localZone = await ownerTimeZone(this.deps.db, this.account.company_id, this.account.user_id);
    this.removed = await RemovedCopies.of(this.deps, this.account.id, this.owner, this.writes);
    this.keptOut = await OccurrencesKeptOut.of(this.deps, this.account.id, this.owner, this.writes);
    await this.push();
    await new CalDAVPull(this).run();
    // Still out of sync, though not read again: named in every run until their copy changes there. Last, after push and
    // pull have named what they left out: the run names at most MAX_SKIPPED_NAMED, and these must not crowd those out.
    for (const noted of this.unreadable.values()) this.skip(noted.href, `left as it is, unchanged there since ${noted.notedAt.toISOString()} (not read again): ${noted.reason}`);
    await this.progress(0, 0, true);
    return this.outcome;
  }

  // ---- push ----

  private async push() {
    const events = await this.deps.events.findForUser(this.account.company_id, this.account.user_id);
    const dirty = events.filter((event) => {
      const resource = this.byEvent.get(event.id);
      return resource ? event.updatedAt > resource.syncedVersion : !event.isCancelled;
    });
    await this.progress(dirty.length, 0);
    await this.prefetch(dirty.filter((event) => !event.isCancelled));
    // Events sharing a UID (an app's object made an event of its own with one in use) go one after the other, in one
    // worker: side by side, the second met the first's new object (412) before the first's resource was saved, took it
    // for a lost mapping of its own, and the account's sync FAILED on caldav_resources_href from then on.
    const byUid = new Map<string, CalendarEventModel[]>();
    for (const event of dirty) byUid.set(uidOf(event), [...(byUid.get(uidOf(event)) ?? []), event]);
    const groups = [...byUid.values()];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(PUSH_CONCURRENCY, groups.length) }, async () => {
        while (next < groups.length) {
          for (const event of groups[next++]!) {
            await this.pushEvent(event);
            if (!this.leftOut.has(event.id)) this.outcome.pushed++;
            await this.progress(0, 1);
          }
        }
      }),
    );
  }

  /** Overrides, participants, answers and addresses of the events about to be pushed, read in a few statements rather than a few per event. */
  private prefetched?: {
    ids: Set<string>;
    overrides: Map<string, CalendarEventModel[]>;
    participants: Map<string, EventParticipantModel[]>;
    responses: Map<string, OccurrenceResponse[]>;
  };

  private async prefetch(events: CalendarEventModel[]) {
    const ids = events.map((event) => event.id);
    const [overrides, participants, responses] = await Promise.all([
      this.deps.events.overridesOf(this.account.company_id, ids),
      this.deps.participants.ofEvents(this.account.company_id, ids),
      this.deps.responses.ofSeries(ids),
    ]);
    await this.learnContacts([...events.map((event) => event.organizerId), ...participants.map((p) => p.userId)]);
    this.prefetched = {
      ids: new Set(ids),
      overrides: groupBy(overrides, (row) => row.parentId!),
      participants: groupBy(participants, (row) => row.eventId),
      responses: groupBy(responses, (row) => row.eventId),
    };
  }

  private directory?: Promise<ReadonlyMap<string, string>>;

  userByEmail(remotes: readonly RemoteObject[]): Promise<ReadonlyMap<string, string>> {
    if (!remotes.some((remote) => remote.master?.attendees.some((a) => a.email !== this.ownerEmail))) return Promise.resolve(new Map());
    this.directory ??= (async () => {
      // Academy looks users up by id only: the users the calendar has met in the company are whom an address can name.
      const contacts = await this.deps.contacts.of(this.account.company_id, await this.deps.participants.knownUserIds(this.account.company_id));
      return new Map([...contacts].map(([id, contact]) => [contact.email.toLowerCase(), id]));
    })();
    return this.directory;
  }

  private async learnContacts(userIds: (string | null)[]) {
    const missing = userIds.filter((id): id is string => !!id && !this.contacts.has(id));
    if (missing.length > 0) this.contacts = new Map([...this.contacts, ...(await this.deps.contacts.of(this.account.company_id, missing))]);
  }

  /** The event's rows as prefetched for the push, still unused; else undefined. */
  private prefetchedRows(event: CalendarEventModel): EventRows | undefined {
    const prefetched = this.prefetched;
    if (!prefetched?.ids.has(event.id)) return undefined;
    const id = event.id;
    return { overrides: prefetched.overrides.get(id) ?? [], participants: prefetched.participants.get(id) ?? [], responses: prefetched.responses.get(id) ?? [] };
  }

  private async icsOf(event: CalendarEventModel): Promise<string> {
    const prefetched = this.prefetched;
    // Once used, an event's prefetched rows are dropped: a conflict or an overwrite later reads them fresh.
    if (prefetched?.ids.delete(event.id)) {
      const id = event.id;
      const written = this.keptOut.applyTo(event, { overrides: prefetched.overrides.get(id) ?? [], responses: prefetched.responses.get(id) ?? [] });
      return toICalendar({ ...written, participants: prefetched.participants.get(id) ?? [], reminders: this.reminders }, this.contacts);
    }
    return this.rendered(event, await this.rowsOf(event));
  }

  /** What an event's object says besides the event's own row; `trx`: read inside it, one statement after the other. */
  private async rowsOf(event: CalendarEventModel, trx?: Transaction<CalendarDatabase>): Promise<EventRows> {
    if (trx) {
      return {
        overrides: await this.deps.events.overridesOf(event.companyId, [event.id], trx),
        participants: await this.deps.participants.ofEvents(event.companyId, [event.id], trx),
        responses: await this.deps.responses.ofSeries([event.id], trx),
      };
    }
    const [overrides, participants, responses] = await Promise.all([
      this.deps.events.overridesOf(event.companyId, [event.id]),
      this.deps.participants.ofEvents(event.companyId, [event.id]),
      this.deps.responses.ofSeries([event.id]),
    ]);
    return { overrides, participants, responses };
  }

  /** The event's object as iCalendar; never inside a transaction: the addresses it names may be asked of academy. */
  private async rendered(event: CalendarEventModel, { overrides, participants, responses }: EventRows): Promise<string> {
    await this.learnContacts([event.organizerId, ...participants.map((p) => p.userId)]);
    return toICalendar({ ...this.keptOut.applyTo(event, { overrides, responses }), participants, reminders: this.reminders }, this.contacts);
  }

  private async pushEvent(event: CalendarEventModel): Promise<void> {
    const resource = this.byEvent.get(event.id);
    if (event.isCancelled) {
      if (!resource) return;
      let result = await this.client.delete(resource.href, resource.etag);
      // A cancellation here is the newest word on the event: delete whatever version is there.
      if (!result.ok && result.status === 412) result = await this.client.delete(resource.href, (await this.client.get(resource.href))?.etag ?? null);
      if (!result.ok) throw new CalDAVError(`DELETE ${resource.href} answered ${result.status}`, result.status);
      return this.forget(resource);
    }
    // A copy its participant deleted (their decline) stays gone until it asks them anew (removed-copies.ts).
    if (!resource && this.removed.has(event.id)) {
      const back = await this.removed.comingBack(event);
      if (!back) {
        this.leftOut.add(event.id);
        return;
      }
      this.prefetched?.ids.delete(back.id); // its answers may have changed: read again
      return this.pushEvent(back);
    }
    // Occurrences the owner deleted there stay out of it, unless they come back now (occurrences-kept-out.ts).
    if (await this.keptOut.review(event, this.prefetchedRows(event))) this.prefetched?.ids.delete(event.id); // an answer asked again: read anew
    const ics = await this.icsOf(event);
    if (!resource) {
      const href = this.client.hrefFor(uidOf(event));
      const created = await this.client.create(href, ics);
      if (created.ok) return this.stored(event, href, created.etag);
      // 409: the calendar holds this UID under another name (an app's own naming, a copy moved from another calendar).
      const elsewhere = created.status === 409 ? await this.client.hrefOfUid(uidOf(event)) : null;
      if (created.status !== 412 && !elsewhere) throw new CalDAVError(`PUT ${href} answered ${created.status}`, created.status);
      const there = elsewhere ?? href;
      // The copy of another event of ours with that UID (an app's object made an event of its own with a UID already
      // in use, one its owner could not see): left as it is, not taken over by this one.
      const holder = this.resourceAt(there);
      if (holder && holder.eventId !== event.id) {
        this.leftOut.add(event.id);
        return this.skip(there, `another event of ours with the same UID (${uidOf(event)}) is already synced here; this one is not pushed`);
      }
      // The UID is already there (a lost mapping): merge as for any conflict.
      return this.resolveConflict(event, there, ics);
    }
    // A copy left out as unreadable at this version of ours: not fetched again. The pull sees whether it changed
    // there (and then names it with why); else the run names it at its end, as still left out.
    const noted = this.unreadable.get(resource.href);
    if (noted?.eventVersion && noted.eventVersion >= event.updatedAt) {
      this.leftOut.add(event.id);
      return;
    }
    // The server's copy, to keep what other apps set on it; changed since we last synced it (or gone): a conflict.
    const current = await this.client.get(resource.href);
    if (!current || (resource.etag && current.etag !== resource.etag)) return this.resolveConflict(event, resource.href, ics, current);
    const updated = await this.client.update(resource.href, this.mergedWith(ics, current), current.etag ?? '*');
    if (updated.ok) return this.stored(event, resource.href, updated.etag);
    if (updated.status !== 412) throw new CalDAVError(`PUT ${resource.href} answered ${updated.status}`, updated.status);
    return this.resolveConflict(event, resource.href, ics);
  }

  /** Our version with what the server's copy holds that Bheem does not model (merge-server-copy.ts). */
  private mergedWith(ics: string, current: RemoteItem): string {
    return current.data ? mergeWithServerCopy(ics, current.data, this.localZone) : ics;
  }

  /**
   * Our version over the object at `href` as the server holds it (`current`,
   * null when gone: created anew), merged with it and written If-Match its
   * ETag; a 412 means it changed in between: fetched and merged again.
   */
  private async writeOver(event: CalendarEventModel, href: string, ics: string, current: RemoteItem | null): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const written = current ? await this.client.update(href, this.mergedWith(ics, current), current.etag ?? '*') : await this.client.create(href, ics);
      if (written.ok) return this.stored(event, href, written.etag);
      if (written.status !== 412 || attempt === WRITE_ATTEMPTS) throw new CalDAVError(`PUT ${href} answered ${written.status}`, written.status);
      current = await this.client.get(href);
    }
  }

  /** After a successful write: remember the ETag (asking for it when the server did not say) and mark the event synced. */
  private async stored(event: CalendarEventModel, href: string, etag: string | null) {
    const current = etag ?? (await this.client.get(href))?.etag ?? null;
    await this.noLongerUnreadable([href]);
    await this.deps.markSynced(event);
    await this.save({ eventId: event.id, href, etag: current, syncedVersion: event.updatedAt });
  }

  /** `fetched`: the server's copy when the caller has just read it. */
  private async resolveConflict(event: CalendarEventModel, href: string, ics: string, fetched?: RemoteItem | null): Promise<void> {
    const remote = fetched === undefined ? await this.client.get(href) : fetched;
    if (!remote) return this.writeOver(event, href, ics, null);
    const right = remoteRight(this.owner, event, await this.deps.participants.ofEvents(event.companyId, [event.id]));
    // The server's copy is read as the pull reads it, by the organiser's push and a participant's alike.
    if (right === 'edit' || (right === 'answer' && remote.data)) {
      // Apple's RANGE=THISANDFUTURE is split as a pull splits it: read as one occurrence's edit, it would change only that one.
      // One noted unreadable at this very ETag is not read again.
      const noted = this.unreadable.get(href);
      const read =
        noted && noted.etag === remote.etag ? ({ ok: false, reason: noted.reason } as const) : readServerObject(remote.data ?? '', this.localZone, this.account.company_id);
      // A copy the pull would leave out: both sides stay as they are (ours is pushed again next time), the rest goes on.
      // A participant's push never writes the organiser's event over it: only their own answer, as text (answer-in-text.ts).
      if (!read.ok) {
        this.leftOut.add(event.id);
        if (right === 'answer') return this.answerInto(event, href, remote, read.reason);
        await this.noteUnreadable(href, remote.etag, read.reason, event.updatedAt);
        return this.skip(href, `changed on both sides, ours kept here and the server\u2019s left there: ${read.reason}`);
      }
      // A participant's answer given in their app is theirs, even when the event changed here meanwhile: taken, then ours goes out with it.
      if (right === 'answer') return this.answeredThere(event, href, remote, read.remote);
      // Only an owner who may edit the event through the API (its organiser, an admin) may win a conflict with ours.
      const { remote: theirs, following } = read;
      const remoteModified = theirs.master?.lastModified ?? new Date(0);
      if (remoteModified > event.updatedAt) {
        // The app cut the series short: its rest, a new object (continued-series.ts), is read by the pull alone. The pull
        // takes the cut too, as this would (the same conflict, ours the losing side), judged with the pull's new objects.
        if (following.length === 0 && mayBeCut(event, theirs)) {
          this.leftOut.add(event.id);
          return;
        }
        await this.conflict(event, href, 'REMOTE', ics, 'changed on both sides: the server\u2019s version is newer');
        // Taken as a pull takes it (apply-editors-copy.ts), the app's copy put right where it lacks what stays of ours.
        const editedHere = this.byEvent.get(event.id)?.syncedVersion ?? null;
        const { stored, rewrite, rests } = await this.deps.db.transaction().execute(async (trx) => {
          // Answers to single occurrences, read before the series' own edit drops those past its new end: a split's rest takes them.
          const answers = following.length > 0 ? await this.deps.responses.ofSeries([event.id], trx) : [];
          const applied = await applyEditorsCopy(trx, this.deps, event, theirs, editedHere, following[0]?.from);
          const existing = (db: typeof trx, uids: readonly string[]) => this.deps.events.findVisibleByExternalIds(db, this.owner, uids);
          const rests = await applyFollowing(trx, { ...this.deps, existing }, applied.stored, following, answers);
          return { ...applied, rests };
        });
        if (!rewrite && rests.length === 0) return this.save({ eventId: event.id, href, etag: remote.etag, syncedVersion: stored.updatedAt });
        await this.writeOver(stored, href, await this.icsOf(stored), remote);
        for (const rest of rests) await this.pushNow(rest);
        return;
      }
    }
    // 'mirror' and 'none' write ours over the server's copy, readable or not, as the pull puts ours back over a readable one:
    // a mirrored event follows another domain's record, Bheem its source of truth (nobody edits it, here or in an app), and an
    // owner with no right on an event may change nothing of it (remote-rights.ts). No data of theirs is lost unsaid: the copy
    // is kept whole as the losing side (CalDAVAccount.conflicts, the last 200), as for any refused change. Unlike an editor's
    // or a participant's copy, neither holds anything the owner could have changed there.
    if (remote.data)
      await this.conflict(
        event,
        href,
        'CALENDAR',
        remote.data,
        event.sourceModule ? 'the event follows another domain\u2019s record' : 'changed on both sides: ours is newer, or the owner may not change it',
      );
    return this.writeOver(event, href, ics, remote);
  }

  /**
   * A participant's series answer written into a server copy that cannot be
   * read (`why`), all else of it left as it is, If-Match its ETag: a 412 (it
   * changed meanwhile) leaves it for the next sync. The event stays out of
   * sync, named in the run's log either way.
   */
  private async answerInto(event: CalendarEventModel, href: string, remote: RemoteItem, why: string): Promise<void> {
    const userId = this.owner.moodleUserId!;
    const own = (await this.deps.participants.ofEvents(event.companyId, [event.id])).find((p) => p.userId === userId);
    // Answers to single occurrences cannot be matched to an override that cannot be read: the overrides keep theirs then.
    const occurrences = await this.deps.responses.ofEvents([event.id], [userId]);
    const edit =
      own && this.ownerEmail ? answerInText(remote.data!, this.ownerEmail, partstatFor(own.status), { overrides: occurrences.length === 0 }) : ({ kind: 'not-invited' } as const);
    const left = `the server\u2019s copy left there as it cannot be read, ours kept here: ${why}`;
    if (edit.kind !== 'written') {
      await this.noteUnreadable(href, remote.etag, why, event.updatedAt);
      return this.skip(href, `${edit.kind === 'unchanged' ? 'the owner\u2019s answer already in it' : 'no ATTENDEE of the owner\u2019s in it to answer on'}; ${left}`);
    }
    const written = await this.client.update(href, edit.data, remote.etag ?? '*');
    if (written.ok) {
      await this.noteUnreadable(href, written.etag ?? (await this.client.get(href))?.etag ?? null, why, event.updatedAt);
      return this.skip(href, `only the owner\u2019s answer (PARTSTAT) written into it; ${left}`);
    }
    if (written.status === 412) return this.skip(href, `changed while the owner\u2019s answer was written into it (tried again next sync); ${left}`);
    return this.skip(href, `the server refused the owner\u2019s answer written into it (${written.status}); ${left}`);
  }

  private async answeredThere(event: CalendarEventModel, href: string, remote: RemoteItem, theirs: RemoteObject): Promise<void> {
    const who = { owner: this.owner, ownerEmail: this.ownerEmail, writes: this.writes, participants: this.deps.participants, responses: this.deps.responses };
    await this.keptOut.follow(event, theirs, () => takeOwnAnswers(who, event, theirs));
    const current = (await this.deps.events.findVisibleIn(this.deps.db, this.owner, [event.id]))[0] ?? event;
    return this.writeOver(current, href, await this.icsOf(current), remote);
  }

  /**
   * Our version back over a remote copy the pull has just read (what the app
   * added to it stays, see merge-server-copy.ts): that copy is the base of the
   * merge and its ETag the If-Match, without reading it again; a 412 (changed
   * since) reads it anew (writeOver).
   */
  async overwrite(event: CalendarEventModel, read: RemoteItem): Promise<void> {
    const ics = await this.icsOf(event);
    const current = read.data !== undefined && read.etag ? read : await this.client.get(read.href);
    return this.writeOver(event, read.href, ics, current);
  }
}

/** A sync asked for while this process runs as many as it runs at once. */
export class SyncsBusyError extends Error {
  constructor() {
    super('Too many CalDAV syncs are running right now: try again in a few minutes (the background sync gets to every account)');
  }
}

export class CalDAVSyncService {
  constructor(
    readonly db: Kysely<CalendarDatabase>,
    readonly caldav: CaldavRepository,
    readonly events: EventRepository,
    readonly participants: ParticipantRepository,
    readonly responses: OccurrenceResponseRepository,
    readonly contacts: UserContacts,
    /** The calendar's write service acting as someone (an account's owner): remote answers go through its rules. */
    readonly writesAs: (viewer: Viewer) => EventWriteService,
    private readonly cipher: CredentialCipher,
    readonly log: Logger,
    /** The outbound policy every CalDAV request obeys (the server's address is the user's). */
    readonly egress: EgressPolicy,
    readonly syncLog: CaldavLogRepository,
    readonly reminders: ReminderRepository,
    /** Of some user ids, those no longer users of the company (academy): an account's owner among them is not synced. */
    private readonly outsiders: CompanyOutsiders,
    /** Syncs this process runs at once (CALENDAR_SYNC_CONCURRENCY), and how long one a user asks for waits for a turn. */
    private readonly limits: { concurrency: number; askedWaitMs: number },
  ) {
    this.turns = new SyncTurns(limits.concurrency);
  }

  private readonly turns: SyncTurns;

  /** The account's owner as the API last saw them: only the roles of a token they presented themselves. */
  static ownerViewer(account: CaldavAccountRow): Viewer {
    return { userId: account.owner_subject ?? `caldav-owner:${account.user_id}`, companyId: account.company_id, roles: account.owner_roles, moodleUserId: account.user_id };
  }

  static ownerOf(account: Pick<CaldavAccountRow, 'company_id' | 'user_id'>): string {
    return `${account.company_id}/${account.user_id}`;
  }

  /**
   * Syncs one account; null when a sync of it is already running. Failures are recorded in its status and rethrown.
   * With as many syncs running in this process as it runs at once, it waits for one to end: at most `waitMs` when
   * given, then throws SyncsBusyError (nothing recorded: it did not start).
   */
  async sync(account: CaldavAccountRow, { waitMs }: { waitMs?: number } = {}): Promise<SyncOutcome | null> {
    if (!(await this.turns.take(waitMs))) throw new SyncsBusyError();
    try {
      return await this.syncInTurn(account);
    } finally {
      this.turns.leave();
    }
  }

  private async syncInTurn(account: CaldavAccountRow): Promise<SyncOutcome | null> {
    if (!(await this.caldav.claimSync(account.id, STALE_SYNC_MS))) return null;
    const startedAt = new Date();
    let run: AccountSync | undefined;
    try {
      // Asked every run (an unreachable academy fails the run, to be tried again): membership ends without a word to us.
      if ((await this.outsiders(account.company_id, [account.user_id])).length > 0) {
        throw new Error("The account's owner is no longer a user of the company: not synced");
      }
      const password = this.cipher.decrypt(account.password_encrypted, CalDAVSyncService.ownerOf(account));
      run = new AccountSync(this, account, password, await this.caldav.resources(account.id), await this.caldav.unreadable(account.id));
      const outcome = await run.run();
      await this.caldav.finishSync(account.id, null);
      await this.syncLog.recordRun(account.id, { startedAt, succeeded: true, ...outcome, error: null });
      return outcome;
    } catch (error) {
      await this.caldav.finishSync(account.id, (error as Error).message);
      const counts = run?.outcome ?? { pushed: 0, pulled: 0, conflicts: 0, fullResync: false, skipped: [] };
      await this.syncLog.recordRun(account.id, { startedAt, succeeded: false, ...counts, error: (error as Error).message });
      throw error;
    }
  }

  /** A sync a user asked for (syncCalDAV): it waits a while for a turn, then throws SyncsBusyError. */
  syncAsked(account: CaldavAccountRow): Promise<SyncOutcome | null> {
    return this.sync(account, { waitMs: this.limits.askedWaitMs });
  }

  /** Every account, one after the other (the periodic background sync). */
  async syncAll(): Promise<void> {
    for (const account of await this.caldav.allAccounts()) {
      try {
        await this.sync(account);
      } catch (error) {
        this.log.warn({ accountId: account.id, err: error }, 'CalDAV sync failed');
      }
    }
  }

  async markSynced(event: CalendarEventModel): Promise<void> {
    await markSynced(this.db, event.companyId, event.id, event.externalId ?? uidOf(event));
  }

  async cancelFromRemote(event: CalendarEventModel): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await cancelSynced(trx, event.companyId, event.id);
      await settleKeptOut(trx, { ...event, isCancelled: true });
      await publishCalendarChange(trx, event.companyId, event.id, 'updated');
    });
  }
}
