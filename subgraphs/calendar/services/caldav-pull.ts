/**
 * The pull half of a CalDAV sync: what changed there since the stored sync
 * token (RFC 6578), fetched in calendar-multiget batches (RFC 4791 7.9; the
 * next batch is on the wire while the previous one is written), or, without
 * a token (a first or full resync), every object with its data in the one
 * sync-collection REPORT. Written one transaction per batch of 100 (lookups,
 * new events, announcements' reads and resource rows many rows per
 * statement), progress once per batch.
 *
 * The two objects of a split saved by an app (continued-series.ts) may fall
 * in different batches: in a pull of more than one, cut series and new series
 * are held back and judged after the last batch, side by side with every
 * other one of the pull that may be their partner.
 *
 * Only real changes are written and announced (calendar.event.*): an object
 * whose ETag we hold is left alone, and one whose ETag is new to us but that
 * says what we store (sameAsStored) only has its ETag noted.
 *
 * A change applies only as far as the account's owner may make it through
 * GraphQL (caldav/remote-rights.ts): objects are matched only to events the
 * owner can see (an unseen UID makes a new event of theirs), a participant's
 * copy yields only their answers (through EventWriteService.respond, as the
 * owner), and whatever is refused is logged and put back from ours.
 */
import type { Transaction } from 'kysely';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { applyFollowing } from '../caldav/apply-following.js';
import { createFromRemote } from '../caldav/apply-remote.js';
import { continuationOf, mayBeCut, mayContinue, partnersKey } from '../caldav/continued-series.js';
import { applyEditorsCopy } from '../caldav/apply-editors-copy.js';
import { answeredContent } from '../caldav/answered-content.js';
import { removedOccurrences, withoutRemoved } from '../caldav/removed-occurrences.js';
import { misstatesAnswers, misstatesOrganiser, organiserAttendees, sameParticipants } from '../caldav/organiser-attendees.js';
import { replaceParticipants } from '../repositories/event-writes.js';
import { CalDAVError, InvalidSyncTokenError, type CalDAVClient, type RemoteItem } from '../caldav/caldav-client.js';
import type { RemoteObject } from '../caldav/icalendar.js';
import { readServerObject } from '../caldav/readable-object.js';
import { sameAsStored } from '../caldav/remote-equality.js';
import { remoteRight, type RemoteRight } from '../caldav/remote-rights.js';
import type { FollowingSeries } from '../caldav/this-and-future.js';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel, EventParticipantModel } from '../models.js';
import type { CaldavAccountRow, CaldavResource, UnreadableObject } from '../repositories/caldav-repository.js';
import type { OccurrenceResponse } from '../repositories/occurrence-response-repository.js';
import type { CalDAVSyncService } from './caldav-sync-service.js';
import type { EventWriteService } from './event-write-service.js';
import type { OccurrencesKeptOut } from './occurrences-kept-out.js';
import { takeOwnAnswers } from './own-answers.js';
import { groupBy } from '../group-by.js';

/** Objects per calendar-multiget REPORT and per write transaction. */
export const PULL_BATCH = 100;

/** What the pull needs of the account's sync in progress. */
export interface PullContext {
  readonly deps: CalDAVSyncService;
  readonly account: CaldavAccountRow;
  readonly client: CalDAVClient;
  readonly outcome: { pulled: number; fullResync: boolean };
  /** An object left out, named with why in the run's log (CalDAVSyncRun.skipped). */
  skip(href: string, reason: string): void;
  /** The account's owner, with the roles of their latest API call, and their address (to find their ATTENDEE). */
  readonly owner: Viewer;
  readonly ownerEmail: string | null;
  /** The zone the owner works in: where their app's floating times are (ownerTimeZone). */
  readonly localZone: string;
  /** The calendar's write service acting as the owner. */
  readonly writes: EventWriteService;
  /** Occurrences the owner deleted from their copies as a participant, kept out of them (occurrences-kept-out.ts). */
  readonly keptOut: OccurrencesKeptOut;
  /** Company users by address, when some of these objects name attendees (read once per sync). */
  userByEmail(remotes: readonly RemoteObject[]): Promise<ReadonlyMap<string, string>>;
  resourceAt(href: string): CaldavResource | undefined;
  /** An object left out as unreadable, at the ETag it had then. */
  unreadableAt(href: string): UnreadableObject | undefined;
  noteUnreadable(href: string, etag: string | null, reason: string): Promise<void>;
  noLongerUnreadable(hrefs: readonly string[]): Promise<void>;
  /** Where the event's object is on the server, as last synced. */
  hrefOf(eventId: string): string | undefined;
  /** The hrefs of the server's objects the account knows: those holding its events, and those noted unreadable. */
  knownHrefs(): string[];
  remember(resource: CaldavResource): void;
  forget(resource: CaldavResource): Promise<void>;
  progress(total: number, done: number): Promise<void>;
  /** Puts our version of an event back over the remote one the pull has just read (`read`: its text and ETag). */
  overwrite(event: CalendarEventModel, read: RemoteItem): Promise<void>;
  cancelFromRemote(event: CalendarEventModel): Promise<void>;
  /** Keeps the losing side of a conflict (`kept` names the winner). */
  conflict(event: CalendarEventModel, href: string, kept: 'CALENDAR' | 'REMOTE', losingICalendar: string, reason: string): Promise<void>;
  /**
   * Our version of an event as `trx` holds it, as iCalendar: its rows read in the transaction, the text made by
   * the function returned, called after it commits (the addresses it names are asked of academy).
   */
  ourVersionIn(trx: Transaction<CalendarDatabase>, event: CalendarEventModel): Promise<() => Promise<string>>;
  /** Writes an event the pull made (the rest of a split series) to the server at once. */
  pushNow(event: CalendarEventModel): Promise<void>;
}

interface Parsed {
  item: RemoteItem;
  /** The object up to its first RANGE=THISANDFUTURE occurrence; the rest of the series in `following`. */
  remote: RemoteObject;
  following: FollowingSeries[];
}

/**
 * An object applied here that goes back rewritten: split by the app's
 * RANGE=THISANDFUTURE (the rest pushed as its own series), or with overrides
 * the app left behind its moved series.
 */
interface Rewrite {
  event: CalendarEventModel;
  item: RemoteItem;
  following: CalendarEventModel[];
}

/** A participant's copy, dealt with after the batch commits: their answers go through the write service. */
interface Answered extends Parsed {
  event: CalendarEventModel;
}

/** Why a second object of one UID is left out (its event is the first one's). */
const SAME_UID = 'another object of the calendar holds the same UID';
/** A copy synced before of an event its owner can no longer see (taken off its participants): nothing of it is taken. */
const UNSEEN = 'its event is no longer one the owner takes part in or may see: nothing of this copy is taken';

export class CalDAVPull {
  /** Objects gone from the server in this sync: one that moved may come back under another name with its UID. */
  private removed = new Set<string>();
  /**
   * Cut series and new series, held back from the batches and applied after the last one, side by side: a split's two
   * objects may be in different batches (continued-series.ts). Only in a pull of more than one batch; cuts only when
   * it has new objects (at an href we do not hold), which alone may be their rest.
   */
  private readonly held: Parsed[] = [];
  private holdCuts = false;
  private holdRests = false;

  constructor(private readonly sync: PullContext) {}

  async run(): Promise<void> {
    const { token, changed, removed } = await this.changes();
    this.removed = new Set(removed);
    // Not fetched nor read: what we hold at its ETag, and what was left out as unreadable at it (named in the run's log all the same).
    const fresh = changed.filter((item) => !item.etag || (item.etag !== this.sync.resourceAt(item.href)?.etag && item.etag !== this.sync.unreadableAt(item.href)?.etag));
    await this.sync.progress(fresh.length + removed.length, 0);
    this.holdRests = fresh.length > PULL_BATCH;
    this.holdCuts = this.holdRests && fresh.some((item) => !this.sync.resourceAt(item.href));
    const batches: RemoteItem[][] = [];
    for (let at = 0; at < fresh.length; at += PULL_BATCH) batches.push(fresh.slice(at, at + PULL_BATCH));
    // Items listed with their data (a full resync) need no fetch.
    const fetchBatch = (batch: RemoteItem[]) =>
      batch.every((item) => item.data !== undefined) ? Promise.resolve(batch) : this.sync.client.fetchMany(batch.map((item) => item.href));
    let next = batches.length > 0 ? fetchBatch(batches[0]!) : null;
    for (let index = 0; index < batches.length; index++) {
      const items = await next!;
      next = index + 1 < batches.length ? fetchBatch(batches[index + 1]!) : null;
      // Fetched but not written (an error below): the next one's failure must not go unhandled.
      next?.catch(() => {});
      await this.apply(await this.parse(items), false);
      await this.sync.progress(0, batches[index]!.length);
    }
    for (const chunk of partnersTogether(this.held)) await this.apply(chunk, true);
    for (const href of removed) {
      await this.pullRemoval(href);
      await this.sync.progress(0, 1);
    }
    await this.sync.noLongerUnreadable(removed);
    await this.sync.deps.caldav.setSyncToken(this.sync.account.id, token);
  }

  private async changes(): Promise<{ token: string | null; changed: RemoteItem[]; removed: string[] }> {
    const { account, client, deps } = this.sync;
    try {
      if (account.sync_token) return await client.changesSince(account.sync_token);
    } catch (error) {
      if (!(error instanceof InvalidSyncTokenError)) throw error;
      deps.log.info({ accountId: account.id }, 'CalDAV sync token refused: full resync');
    }
    this.sync.outcome.fullResync = true;
    let listing: { token: string | null; changed: RemoteItem[] };
    try {
      listing = await client.changesSince(null, { withData: true });
    } catch (error) {
      if (!(error instanceof CalDAVError)) throw error;
      // No sync-collection on this server: compare every ETag.
      listing = { token: null, changed: await client.listAll() };
    }
    const present = new Set(listing.changed.map((item) => item.href));
    return { ...listing, removed: this.sync.knownHrefs().filter((href) => !present.has(href)) };
  }

  /** The batch's objects read as events; those that cannot be are named in the run's log and noted (not read again until they change). */
  private async parse(items: readonly RemoteItem[]): Promise<Parsed[]> {
    const unreadable: { item: RemoteItem; reason: string }[] = [];
    const parsed = items.flatMap((item) => {
      const read = readServerObject(item.data ?? '', this.sync.localZone, this.sync.account.company_id);
      if (!read.ok) {
        this.sync.skip(item.href, read.reason); // one refused object must not hold up the rest of the calendar
        unreadable.push({ item, reason: read.reason });
        return [];
      }
      if (read.unknownTzids.length > 0) {
        const { account, deps, localZone } = this.sync;
        deps.log.info(
          { accountId: account.id, href: item.href, tzids: read.unknownTzids, zone: localZone },
          'TZID defined nowhere: its times read as wall times in the owner\u2019s zone',
        );
      }
      return [{ item, remote: read.remote, following: read.following }];
    });
    for (const { item, reason } of unreadable) await this.sync.noteUnreadable(item.href, item.etag, reason);
    await this.sync.noLongerUnreadable(parsed.map((entry) => entry.item.href));
    return parsed;
  }

  /**
   * One batch in one transaction; refused edits are put back, and participants' answers applied, after it commits.
   * `last`: the objects held back from the batches (nothing is held again).
   */
  private async apply(readable: readonly Parsed[], last: boolean): Promise<void> {
    const { deps, account } = this.sync;
    const doubles = new Set<string>();
    const unseen = new Set<string>();
    const overwrites: { event: CalendarEventModel; item: RemoteItem; why: string }[] = [];
    const lostHere: { event: CalendarEventModel; item: RemoteItem; ours: () => Promise<string> }[] = [];
    const keptHere: { event: CalendarEventModel; item: RemoteItem }[] = [];
    const answered: Answered[] = [];
    const rewrites: Rewrite[] = [];
    const skipped: { href: string; reason: string }[] = [];
    // Asked before the transaction: a transaction holds its connection, and nothing inside it may wait for another
    // one (nor for academy, which shares the pool when the subgraphs run in one process): syncs at once as many as
    // the pool's connections would each hold one and wait for a second forever (caldav-pool.test.ts).
    const addresses = await this.sync.userByEmail(readable.map((entry) => entry.remote));
    // The directory is not asked when a batch names only the owner: her own address still names her.
    const owners = this.sync.ownerEmail ? new Map([...addresses, [this.sync.ownerEmail.toLowerCase(), account.user_id]]) : addresses;
    const saved = await deps.db.transaction().execute(async (trx) => {
      const known = await this.lookUp(trx, readable, doubles, unseen);
      const parsed = readable.filter((entry) => !doubles.has(entry.item.href) && !unseen.has(entry.item.href));
      const ids = [...new Set([...known.values()].map((event) => event.id))];
      const [overrides, participants, responses] = await Promise.all([
        deps.events.overridesOf(account.company_id, ids, trx),
        deps.participants.ofEvents(account.company_id, ids, trx),
        deps.responses.ofSeries(ids, trx),
      ]);
      const resources = new Map<string, CaldavResource>();
      const keep = (eventId: string, item: RemoteItem, syncedVersion: Date) => resources.set(eventId, { eventId, href: item.href, etag: item.etag, syncedVersion });
      const unknown: Parsed[] = [];
      // New objects (UIDs not held) a cut series here may continue; `taken`: those that did.
      const taken = new Set<string>();
      const newObjects = () => parsed.filter((entry) => !known.has(entry.item.href) && entry.following.length === 0 && !taken.has(entry.item.href));
      // Held to the end of the pull: not applied, not counted here.
      const held = new Set<string>();
      for (const entry of parsed) {
        const event = known.get(entry.item.href);
        if (!event) {
          unknown.push(entry);
          continue;
        }
        const right = this.rightOn(event, participants);
        // A cut whose rest may be in another batch (or a look-alike of it).
        if (!last && this.holdCuts && right === 'edit' && entry.following.length === 0 && mayBeCut(event, entry.remote)) {
          held.add(entry.item.href);
          this.held.push(entry);
          continue;
        }
        if (right === 'answer') {
          answered.push({ ...entry, event });
          continue;
        }
        const resource = this.sync.resourceAt(entry.item.href);
        const synced = resource && resource.eventId === event.id ? resource.syncedVersion : event.updatedAt;
        const current = participants.filter((p) => p.eventId === event.id);
        const occurrenceAnswers = responses.filter((r) => r.eventId === event.id);
        // The organiser's (or an admin's) copy also says who is invited.
        const invited = right === 'edit' && entry.remote.master ? organiserAttendees(entry.remote.master, current, addresses) : null;
        const reinvited = invited !== null && !sameParticipants(current, invited);
        // A company user's answer in the organiser's copy, to the series or to one occurrence, is not hers to give: ours goes back over it.
        // Nor is the ORGANIZER (the event's owner), of the series or of an occurrence, hers to change: who is invited stays, and ours goes back over it.
        const misstated =
          right === 'edit' &&
          !!entry.remote.master &&
          (misstatesAnswers(entry.remote, current, occurrenceAnswers, addresses) || misstatesOrganiser(entry.remote, event.organizerId, owners));
        if (
          !reinvited &&
          !misstated &&
          entry.following.length === 0 &&
          sameAsStored(
            event,
            overrides.filter((override) => override.parentId === event.id),
            entry.remote,
          )
        ) {
          keep(event.id, entry.item, synced); // only the ETag is new
        } else if (right !== 'edit') {
          if (right === 'none') this.refused(event, entry.item, 'the owner may not change this event');
          overwrites.push({ event, item: entry.item, why: right === 'mirror' ? 'the event follows another domain\u2019s record' : 'the owner may not change this event' }); // ours wins
        } else if (resource && event.updatedAt > resource.syncedVersion && (entry.remote.master?.lastModified ?? new Date(0)) <= event.updatedAt) {
          // Changed here too, and ours is newer: the next push sends it; theirs is kept as the losing side (once committed).
          keptHere.push({ event, item: entry.item });
        } else {
          // Changed here too, but theirs is newer: ours is kept as the losing side.
          if (resource && event.updatedAt > resource.syncedVersion) lostHere.push({ event, item: entry.item, ours: await this.sync.ourVersionIn(trx, event) });
          if (reinvited) await replaceParticipants(trx, event.id, invited);
          // Overrides and answers to single occurrences follow them as the series moved; the rest of a split series takes its own.
          const editedHere = resource && event.updatedAt > resource.syncedVersion ? resource.syncedVersion : null;
          // The rest of a split saved as a new object of its own (continued-series.ts), taken as a RANGE split's rest.
          const continued = entry.following.length === 0 ? continuationOf(event, entry.remote, newObjects()) : null;
          const split = continued ? [continued.following] : entry.following;
          // Answers to single occurrences, read before the series' own edit drops those past its new end: a split's rest takes them.
          const answers = split.length > 0 ? await deps.responses.ofSeries([event.id], trx) : [];
          const { stored, rewrite } = await applyEditorsCopy(trx, deps, event, entry.remote, editedHere, split[0]?.from);
          keep(event.id, entry.item, stored.updatedAt);
          const following = await this.applyFollowing(trx, stored, split, answers);
          if (continued) {
            // Already on the server as the app wrote it: held where it is, not pushed as another object.
            taken.add(continued.item.href);
            keep(following[0]!.id, continued.item, following[0]!.updatedAt);
          }
          const pushed = continued ? [] : following;
          if (rewrite || misstated || pushed.length > 0) rewrites.push({ event: stored, item: entry.item, following: pushed });
        }
      }
      // A new series may be the rest of a cut in another batch (or a look-alike of it).
      for (const entry of unknown) {
        if (last || !this.holdRests || taken.has(entry.item.href) || entry.following.length > 0 || !mayContinue(entry.remote)) continue;
        held.add(entry.item.href);
        this.held.push(entry);
      }
      const made = unknown.filter((entry) => !taken.has(entry.item.href) && !held.has(entry.item.href));
      const owner = { companyId: account.company_id, userId: account.user_id, email: this.sync.ownerEmail, userByEmail: addresses };
      const created = await createFromRemote(
        trx,
        owner,
        made.map((entry) => entry.remote),
      );
      for (const { item, remote, following } of made) {
        const event = created.get(remote.uid);
        if (!event || resources.has(event.id)) {
          skipped.push({
            href: item.href,
            reason: event || remote.master ? SAME_UID : 'holds only occurrences (RECURRENCE-ID) of a series the calendar does not hold',
          });
          continue;
        }
        keep(event.id, item, event.updatedAt);
        if (following.length > 0) rewrites.push({ event, item, following: await this.applyFollowing(trx, event, following, []) });
      }
      this.sync.outcome.pulled += parsed.length - held.size;
      await deps.caldav.saveResources(trx, account.id, [...resources.values()]);
      return [...resources.values()];
    });
    for (const resource of saved) this.sync.remember(resource);
    for (const href of doubles) this.sync.skip(href, SAME_UID);
    for (const href of unseen) this.sync.skip(href, UNSEEN);
    for (const { href, reason } of skipped) this.sync.skip(href, reason);
    for (const { event, item } of keptHere) await this.sync.conflict(event, item.href, 'CALENDAR', item.data ?? '', 'changed on both sides: ours is newer');
    for (const { event, item, ours } of lostHere) await this.sync.conflict(event, item.href, 'REMOTE', await ours(), 'changed on both sides: the server\u2019s version is newer');
    for (const entry of answered) await this.applyAnswers(entry);
    for (const rewrite of rewrites) await this.rewrite(rewrite);
    for (const { event, item, why } of overwrites) {
      await this.sync.conflict(event, item.href, 'CALENDAR', item.data ?? '', why);
      await this.sync.overwrite(event, item);
    }
  }

  private async applyFollowing(
    trx: Transaction<CalendarDatabase>,
    source: CalendarEventModel,
    following: readonly FollowingSeries[],
    answers: readonly OccurrenceResponse[],
  ): Promise<CalendarEventModel[]> {
    if (following.length === 0) return [];
    const { deps, owner } = this.sync;
    const existing = (db: Transaction<CalendarDatabase>, uids: readonly string[]) => deps.events.findVisibleByExternalIds(db, owner, uids);
    return applyFollowing(trx, { events: deps.events, participants: deps.participants, responses: deps.responses, existing }, source, following, answers);
  }

  /** Ours back over the app's object (no RANGE left for apps that cannot read it, overrides on their occurrences); a split's rest pushed as its own. */
  private async rewrite({ event, item, following }: Rewrite): Promise<void> {
    await this.sync.overwrite(event, item);
    for (const rest of following) await this.sync.pushNow(rest);
  }

  private rightOn(event: CalendarEventModel, participants: readonly EventParticipantModel[]): RemoteRight {
    return remoteRight(
      this.sync.owner,
      event,
      participants.filter((p) => p.eventId === event.id),
    );
  }

  private refused(event: CalendarEventModel, item: RemoteItem, why: string, err?: unknown): void {
    const { account } = this.sync;
    this.sync.deps.log.warn({ accountId: account.id, userId: account.user_id, eventId: event.id, href: item.href, err }, `CalDAV change not applied (${why}): ours is put back`);
  }

  /**
   * A participant's copy: their own answers (series-wide, then per occurrence)
   * through the write service as the owner; anything else in it differing
   * from ours is refused and our version put back over it.
   */
  private async applyAnswers({ item, remote, event }: Answered): Promise<void> {
    const { deps, owner, ownerEmail, writes } = this.sync;
    // An occurrence the series does not have is refused: put back below.
    const who = { owner, ownerEmail, writes, participants: deps.participants, responses: deps.responses };
    const { answered: refusal, gaveBack } = await this.sync.keptOut.follow(event, remote, () => takeOwnAnswers(who, event, remote));
    const current = (await deps.events.findVisibleIn(deps.db, owner, [event.id]))[0];
    if (!current) return;
    // Occurrences they deleted there are declined (above) and stay deleted in their copy: only the rest is compared.
    const rest = withoutRemoved(remote, await deps.events.overridesOf(event.companyId, [event.id]), removedOccurrences(event, remote));
    if (!refusal && sameAsStored(current, rest.overrides, rest.remote)) {
      // An occurrence they restored took back its earlier answer, which their copy does not say yet.
      if (gaveBack) return this.sync.overwrite(current, item);
      const resource = { eventId: current.id, href: item.href, etag: item.etag, syncedVersion: current.updatedAt };
      await deps.caldav.saveResource(this.sync.account.id, resource);
      this.sync.remember(resource);
      return;
    }
    this.refused(current, item, refusal ? 'an answer was refused' : 'a participant may only answer', refusal ?? undefined);
    await this.sync.conflict(current, item.href, 'CALENDAR', item.data ?? '', refusal ? 'an answer was refused' : 'a participant may only change their own answer');
    await this.sync.overwrite(current, item);
  }

  /**
   * The events the batch's objects hold, by href: through our resource rows, else by UID (`doubles` gets the hrefs of
   * second objects of a UID; `unseen` those whose resource names an event the owner no longer sees: taken as a new
   * event of theirs, it would claim the href its resource holds).
   */
  private async lookUp(trx: Transaction<CalendarDatabase>, parsed: readonly Parsed[], doubles: Set<string>, unseen: Set<string>): Promise<Map<string, CalendarEventModel>> {
    const { deps } = this.sync;
    const byResource = parsed.flatMap(({ item }) => {
      const resource = this.sync.resourceAt(item.href);
      return resource ? [[item.href, resource.eventId] as const] : [];
    });
    const { owner } = this.sync;
    const byId = new Map(
      (
        await deps.events.findVisibleIn(
          trx,
          owner,
          byResource.map(([, id]) => id),
        )
      ).map((event) => [event.id, event]),
    );
    const found = new Map<string, CalendarEventModel>();
    for (const [href, id] of byResource) {
      if (byId.has(id)) found.set(href, byId.get(id)!);
      else unseen.add(href);
    }
    const rest = parsed.filter(({ item }) => !found.has(item.href) && !unseen.has(item.href));
    // Only events the owner can see: an unseen event's UID makes a new event of the owner's.
    const byUid = new Map(
      (
        await deps.events.findVisibleByExternalIds(
          trx,
          owner,
          rest.map(({ remote }) => remote.uid),
        )
      ).map((event) => [event.externalId, event]),
    );
    for (const { item, remote } of rest) {
      const event = byUid.get(remote.uid);
      if (!event) continue;
      // A second object with the UID of one synced under another name: taken, it would overwrite that one's event.
      const held = this.sync.hrefOf(event.id);
      if (held && held !== item.href && !this.removed.has(held)) doubles.add(item.href);
      else found.set(item.href, event);
    }
    return found;
  }

  /**
   * Deleted there: cancelled here by its organiser (or an admin not invited to it); declined by a participant, as
   * calendar apps read an attendee's delete (RFC 6638), their copy then left out (removed-copies.ts); otherwise nothing.
   * The next push puts back any other copy not cancelled.
   */
  private async pullRemoval(href: string) {
    const resource = this.sync.resourceAt(href);
    if (!resource) return;
    const { deps, owner } = this.sync;
    const event = (await deps.events.findVisibleIn(deps.db, owner, [resource.eventId]))[0];
    await this.sync.forget(resource);
    if (!event || event.isCancelled) return;
    const right = this.rightOn(event, await deps.participants.ofEvents(event.companyId, [event.id]));
    if (right === 'edit') await this.sync.cancelFromRemote(event);
    else if (right === 'answer') await this.decline(event, href);
    else if (right !== 'mirror') this.refused(event, { href, etag: null }, 'only its organiser or an admin may cancel it');
  }

  /**
   * A participant's delete of their copy: their answer to the whole event becomes DECLINED, as respondToEvent makes
   * it, and the copy stays gone from their calendar until they answer again or the event asks them anew (a push).
   */
  private async decline(event: CalendarEventModel, href: string): Promise<void> {
    const { deps, account } = this.sync;
    try {
      await this.sync.writes.respond(event.id, 'DECLINED', null);
    } catch (error) {
      this.refused(event, { href, etag: null }, 'the decline was refused', error);
      return;
    }
    await deps.caldav.noteRemovedCopy(account.id, event.id, answeredContent(event, await deps.events.overridesOf(event.companyId, [event.id])));
  }
}

/**
 * The held objects in batches of at most PULL_BATCH, those that may be partners (one ORGANIZER, the same ATTENDEEs)
 * in one batch whatever its size: a cut is judged against every new series of the pull that may continue it.
 */
function partnersTogether(held: readonly Parsed[]): Parsed[][] {
  const chunks: Parsed[][] = [];
  for (const group of groupBy(held, (entry) => partnersKey(entry.remote)).values()) {
    const open = chunks[chunks.length - 1];
    if (open && open.length + group.length <= PULL_BATCH) open.push(...group);
    else chunks.push([...group]);
  }
  return chunks;
}
