/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Academy's role vocabulary, identical to academy's enum. */
export type CourseRole =
  | 'STUDENT'
  | 'TEACHER';

export type EventType =
  | 'CUSTOM'
  | 'HOLIDAY'
  | 'LEAVE'
  | 'LIVE_CLASS'
  | 'MEETING'
  | 'MILESTONE'
  | 'REMINDER'
  | 'TASK_DEADLINE';

export type LeaveStatus =
  | 'APPROVED'
  | 'CANCELLED'
  | 'PENDING'
  | 'REJECTED';

export type LeaveType =
  | 'ANNUAL'
  | 'OTHER'
  | 'PARENTAL'
  | 'SICK'
  | 'UNPAID';

export type LiveClassStatus =
  | 'CANCELLED'
  | 'ENDED'
  | 'LIVE'
  | 'SCHEDULED'
  /** Students are in the room, waiting for the host, a teacher or an admin (classes with waitForModerator); not recorded. */
  | 'WAITING';

export type ParticipationStatus =
  | 'ACCEPTED'
  | 'DECLINED'
  /** Passed on to someone else (iCalendar PARTSTAT=DELEGATED, as a calendar app records it): takes no part, like DECLINED, and the delegate is a participant of their own. */
  | 'DELEGATED'
  | 'PENDING'
  | 'TENTATIVE';

export type RecordingStatus =
  | 'DELETED'
  | 'FAILED'
  | 'PROCESSING'
  | 'READY'
  | 'RECORDING';

export type RequestDocumentUploadInput = {
  category?: string | null | undefined;
  /** SHA-256 (hex) of the bytes, if the client knows it: completion fails when the stored bytes differ. */
  checksum?: string | null | undefined;
  /** A uuid for quote, invoice, project and task; a Moodle id for employee and course. */
  entityId: string | number;
  /** quote, invoice, project, task, employee or course. */
  entityType: string;
  filename: string;
  /** Ignored: the type is sniffed from the stored bytes. */
  mimeType?: string | null | undefined;
  /** Exact size in bytes; at most the global and the company's limit. */
  size: number;
  tags?: Array<string> | null | undefined;
};

/** A leave request for the caller themselves. */
export type RequestLeaveInput = {
  /** Exclusive end, after startDate. */
  endDate: string;
  leaveType?: LeaveType | null | undefined;
  reason?: string | null | undefined;
  startDate: string;
};

export type ScheduleLiveClassInput = {
  courseId: string | number;
  description?: string | null | undefined;
  /** 5 to 480. */
  durationMinutes?: number | null | undefined;
  /** Record automatically when the class goes LIVE. */
  record?: boolean | null | undefined;
  /** In the future. */
  scheduledAt: string;
  /** 1 to 200 characters. */
  title: string;
  /** Go LIVE only when the host, a teacher or an admin joins (students before wait). */
  waitForModerator?: boolean | null | undefined;
};

/** Whether a share link serves now, and why not when it does not. */
export type ShareLinkStatus =
  /** Cannot be told now: academy, which says whether the maker is in the course, is not answering. Try again shortly. */
  | 'CANNOT_TELL'
  /** Its document is gone (purged). */
  | 'DOCUMENT_GONE'
  /** Past its expiry. */
  | 'EXPIRED'
  /**
   * Made before makers were kept with links: it serves only while its document stays on the record it was on then,
   * and the document has left that record.
   */
  | 'LEFT_PINNED_RECORD'
  /** Its maker may no longer read the document where it is now (it moved, or academy refuses them the course). */
  | 'MAKER_LOST_ACCESS'
  /** Revoked by hand, or with its document when that went to the trash. */
  | 'REVOKED'
  /** It serves the document to whoever has it. */
  | 'SERVING';

/** A kind of media track (LiveKit's TrackSource). */
export type TrackSource =
  | 'CAMERA'
  | 'MICROPHONE'
  | 'SCREEN_SHARE'
  | 'SCREEN_SHARE_AUDIO'
  /** A source LiveKit added after meet was written, or none given. */
  | 'UNKNOWN';

/** Fields to change; absent fields stay as they are. */
export type UpdateLiveClassInput = {
  description?: string | null | undefined;
  durationMinutes?: number | null | undefined;
  record?: boolean | null | undefined;
  scheduledAt?: string | null | undefined;
  title?: string | null | undefined;
  waitForModerator?: boolean | null | undefined;
};

export type AttendanceQueryVariables = Exact<{
  id: string | number;
}>;


export type AttendanceQuery = { liveClass: { id: string, attendance: Array<{ identity: string, joinedAt: string, leftAt: string | null, secondsPresent: number, user: { id: string, fullName: string } | null }> } | null };

export type CourseAttendanceCsvQueryVariables = Exact<{
  id: string | number;
}>;


export type CourseAttendanceCsvQuery = { course: { id: string, attendanceReport: { csv: { url: string } } | null } | null };

export type RequestDocumentUploadMutationVariables = Exact<{
  input: RequestDocumentUploadInput;
}>;


export type RequestDocumentUploadMutation = { requestDocumentUpload: { uploadId: string, uploadUrl: string, expiresAt: string } };

export type CompleteDocumentUploadMutationVariables = Exact<{
  uploadId: string | number;
}>;


export type CompleteDocumentUploadMutation = { completeDocumentUpload: { id: string, filename: string, mimeType: string | null, size: number, createdAt: string, downloadUrl: string, version: number, uploadedBy: { id: string, fullName: string } | null, shareLinks: Array<{ id: string, url: string, expiresAt: string, hasPassword: boolean, revokedAt: string | null, status: ShareLinkStatus }> } };

export type DocumentDownloadUrlQueryVariables = Exact<{
  id: string | number;
}>;


export type DocumentDownloadUrlQuery = { document: { id: string, downloadUrl: string } | null };

export type CreateShareLinkMutationVariables = Exact<{
  documentId: string | number;
  expiresAt: string;
  password?: string | null | undefined;
}>;


export type CreateShareLinkMutation = { createShareLink: { id: string, url: string, expiresAt: string, hasPassword: boolean } };

export type RespondToEventMutationVariables = Exact<{
  eventId: string | number;
  status: ParticipationStatus;
  occurrence?: string | null | undefined;
}>;


export type RespondToEventMutation = { respondToEvent: { status: ParticipationStatus } };

export type JoinLiveClassMutationVariables = Exact<{
  id: string | number;
}>;


export type JoinLiveClassMutation = { joinLiveClass: { token: string, livekitUrl: string, roomName: string, canPublish: boolean, expiresAt: string } };

export type ApproveLeaveMutationVariables = Exact<{
  id: string | number;
  comment?: string | null | undefined;
}>;


export type ApproveLeaveMutation = { approveLeave: { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null } };

export type RejectLeaveMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type RejectLeaveMutation = { rejectLeave: { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null } };

export type RequestLeaveMutationVariables = Exact<{
  input: RequestLeaveInput;
}>;


export type RequestLeaveMutation = { requestLeave: { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null } };

export type PendingLeaveQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type PendingLeaveQuery = { leaveRequestsConnection: { edges: Array<{ node: { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type RescheduleLiveClassMutationVariables = Exact<{
  id: string | number;
  input: UpdateLiveClassInput;
}>;


export type RescheduleLiveClassMutation = { updateLiveClass: { id: string, title: string, description: string | null, status: LiveClassStatus, scheduledAt: string, endsAt: string, durationMinutes: number, startedAt: string | null, endedAt: string | null, record: boolean } };

export type CancelLiveClassMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelLiveClassMutation = { cancelLiveClass: { id: string, title: string, description: string | null, status: LiveClassStatus, scheduledAt: string, endsAt: string, durationMinutes: number, startedAt: string | null, endedAt: string | null, record: boolean } };

export type EndLiveClassMutationVariables = Exact<{
  id: string | number;
}>;


export type EndLiveClassMutation = { endLiveClass: { id: string, title: string, description: string | null, status: LiveClassStatus, scheduledAt: string, endsAt: string, durationMinutes: number, startedAt: string | null, endedAt: string | null, record: boolean } };

export type CancelLeaveMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelLeaveMutation = { cancelLeave: { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null } };

export type RecordingUrlsQueryVariables = Exact<{
  liveClassId: string | number;
}>;


export type RecordingUrlsQuery = { liveClass: { id: string, recordings: Array<{ id: string, url: string | null, urlExpiresAt: string | null }> } | null };

export type RoomModerationQueryVariables = Exact<{
  id: string | number;
}>;


export type RoomModerationQuery = { liveClass: { id: string, roomParticipants: Array<{ identity: string, name: string | null, moderator: boolean, canPublish: boolean, promoted: boolean, handRaisedAt: string | null, user: { id: string, fullName: string } | null, tracks: Array<{ sid: string, source: TrackSource, muted: boolean }> }> | null } | null };

export type MyRaisedHandQueryVariables = Exact<{
  id: string | number;
}>;


export type MyRaisedHandQuery = { liveClass: { id: string, raisedHands: Array<{ raisedAt: string }> } | null };

export type RaiseHandMutationVariables = Exact<{
  id: string | number;
}>;


export type RaiseHandMutation = { raiseHand: { id: string, raisedHands: Array<{ raisedAt: string }> } };

export type LowerHandMutationVariables = Exact<{
  id: string | number;
  userId?: string | number | null | undefined;
}>;


export type LowerHandMutation = { lowerHand: { id: string, raisedHands: Array<{ raisedAt: string }> } };

export type PromoteParticipantMutationVariables = Exact<{
  id: string | number;
  userId: string | number;
}>;


export type PromoteParticipantMutation = { promoteParticipant: { identity: string } };

export type DemoteParticipantMutationVariables = Exact<{
  id: string | number;
  userId: string | number;
}>;


export type DemoteParticipantMutation = { demoteParticipant: { identity: string } };

export type MuteMicrophoneMutationVariables = Exact<{
  id: string | number;
  userId: string | number;
}>;


export type MuteMicrophoneMutation = { muteParticipantTrack: { identity: string } };

export type RemoveParticipantMutationVariables = Exact<{
  id: string | number;
  userId: string | number;
}>;


export type RemoveParticipantMutation = { removeParticipant: { id: string } };

export type ScheduleLiveClassMutationVariables = Exact<{
  input: ScheduleLiveClassInput;
}>;


export type ScheduleLiveClassMutation = { scheduleLiveClass: { id: string, title: string, description: string | null, status: LiveClassStatus, scheduledAt: string, endsAt: string, durationMinutes: number, startedAt: string | null, endedAt: string | null, record: boolean } };

export type RevokeShareLinkMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeShareLinkMutation = { revokeShareLink: { id: string, revokedAt: string | null } };

export type LiveClassFieldsFragment = { id: string, title: string, description: string | null, status: LiveClassStatus, scheduledAt: string, endsAt: string, durationMinutes: number, startedAt: string | null, endedAt: string | null, record: boolean };

export type CourseEventFieldsFragment = { id: string, title: string, start: string, end: string | null, allDay: boolean, location: string | null, eventType: EventType, isCancelled: boolean, participants: Array<{ status: ParticipationStatus, isOrganizer: boolean, user: { id: string, fullName: string } | null }> };

export type DocumentFieldsFragment = { id: string, filename: string, mimeType: string | null, size: number, createdAt: string, downloadUrl: string, version: number, uploadedBy: { id: string, fullName: string } | null, shareLinks: Array<{ id: string, url: string, expiresAt: string, hasPassword: boolean, revokedAt: string | null, status: ShareLinkStatus }> };

export type LeaveRequestFieldsFragment = { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null };

export type CoursePageQueryVariables = Exact<{
  id: string | number;
}>;


export type CoursePageQuery = { course: { id: string, fullname: string, summary: string | null, viewerRole: CourseRole | null, teachers: Array<{ id: string, fullName: string }>, liveClasses: Array<{ id: string, title: string, description: string | null, status: LiveClassStatus, scheduledAt: string, endsAt: string, durationMinutes: number, startedAt: string | null, endedAt: string | null, record: boolean }> | null, recordings: Array<{ id: string, status: RecordingStatus, durationSeconds: number | null, sizeBytes: number | null, url: string | null, urlExpiresAt: string | null, createdAt: string, liveClass: { id: string, title: string } }> | null, calendarEvents: Array<{ id: string, title: string, start: string, end: string | null, allDay: boolean, location: string | null, eventType: EventType, isCancelled: boolean, participants: Array<{ status: ParticipationStatus, isOrganizer: boolean, user: { id: string, fullName: string } | null }> }> | null, documents: Array<{ id: string, filename: string, mimeType: string | null, size: number, createdAt: string, downloadUrl: string, version: number, uploadedBy: { id: string, fullName: string } | null, shareLinks: Array<{ id: string, url: string, expiresAt: string, hasPassword: boolean, revokedAt: string | null, status: ShareLinkStatus }> }> | null } | null };

export type LiveClassChangedSubscriptionVariables = Exact<{
  courseId: string | number;
}>;


export type LiveClassChangedSubscription = { liveClassStatusChanged: { id: string, title: string, description: string | null, status: LiveClassStatus, scheduledAt: string, endsAt: string, durationMinutes: number, startedAt: string | null, endedAt: string | null, record: boolean } };

export type MyCoursesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCoursesQuery = { myCourses: Array<{ id: string, fullname: string, shortname: string, summary: string | null, viewerRole: CourseRole | null, teachers: Array<{ id: string, fullName: string }>, liveClasses: Array<{ id: string, title: string, status: LiveClassStatus, scheduledAt: string, startedAt: string | null }> | null }> };

export type CoursesQueryVariables = Exact<{ [key: string]: never; }>;


export type CoursesQuery = { courses: Array<{ id: string, fullname: string, shortname: string, summary: string | null, viewerRole: CourseRole | null, teachers: Array<{ id: string, fullName: string }>, liveClasses: Array<{ id: string, title: string, status: LiveClassStatus, scheduledAt: string, startedAt: string | null }> | null }> };

export type CourseCardFieldsFragment = { id: string, fullname: string, shortname: string, summary: string | null, viewerRole: CourseRole | null, teachers: Array<{ id: string, fullName: string }>, liveClasses: Array<{ id: string, title: string, status: LiveClassStatus, scheduledAt: string, startedAt: string | null }> | null };

export type MyLeaveQueryVariables = Exact<{
  me: string | number;
  from?: string | null | undefined;
  to?: string | null | undefined;
  latestFirst?: boolean | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type MyLeaveQuery = { companyTimeZone: string, leaveRequestsConnection: { edges: Array<{ node: { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type LeaveChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LeaveChangedSubscription = { leaveRequestChanged: { id: string, startDate: string, endDate: string, status: LeaveStatus, leaveType: LeaveType, reason: string | null, reviewComment: string | null, updatedAt: string, employee: { id: string, fullName: string }, reviewedBy: { id: string, fullName: string } | null } };

export type WeekQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type WeekQuery = { calendarEvents: Array<{ start: string, end: string | null, recurrenceId: string | null, event: { id: string, title: string, eventType: EventType, allDay: boolean, location: string | null, sourceModule: string | null }, participants: Array<{ status: ParticipationStatus, isOrganizer: boolean, user: { id: string } | null }> }> };

export type WeekChangedSubscriptionVariables = Exact<{
  from: string;
  to: string;
}>;


export type WeekChangedSubscription = { calendarEventChanged: { id: string } };

export type RotateCalendarFeedUrlMutationVariables = Exact<{ [key: string]: never; }>;


export type RotateCalendarFeedUrlMutation = { rotateCalendarFeedUrl: string };

export type DocumentShareLinksQueryVariables = Exact<{
  id: string | number;
}>;


export type DocumentShareLinksQuery = { document: { id: string, shareLinks: Array<{ id: string, url: string, expiresAt: string, hasPassword: boolean, revokedAt: string | null, downloadCount: number, createdAt: string, status: ShareLinkStatus, createdBy: { id: string, fullName: string } | null }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const LiveClassFieldsFragmentDoc = new TypedDocumentString(`
    fragment LiveClassFields on LiveClass {
  id
  title
  description
  status
  scheduledAt
  endsAt
  durationMinutes
  startedAt
  endedAt
  record
}
    `, {"fragmentName":"LiveClassFields"}) as unknown as TypedDocumentString<LiveClassFieldsFragment, unknown>;
export const CourseEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment CourseEventFields on CalendarEvent {
  id
  title
  start
  end
  allDay
  location
  eventType
  isCancelled
  participants {
    status
    isOrganizer
    user {
      id
      fullName
    }
  }
}
    `, {"fragmentName":"CourseEventFields"}) as unknown as TypedDocumentString<CourseEventFieldsFragment, unknown>;
export const DocumentFieldsFragmentDoc = new TypedDocumentString(`
    fragment DocumentFields on Document {
  id
  filename
  mimeType
  size
  createdAt
  downloadUrl
  version
  uploadedBy {
    id
    fullName
  }
  shareLinks {
    id
    url
    expiresAt
    hasPassword
    revokedAt
    status
  }
}
    `, {"fragmentName":"DocumentFields"}) as unknown as TypedDocumentString<DocumentFieldsFragment, unknown>;
export const LeaveRequestFieldsFragmentDoc = new TypedDocumentString(`
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}
    `, {"fragmentName":"LeaveRequestFields"}) as unknown as TypedDocumentString<LeaveRequestFieldsFragment, unknown>;
export const CourseCardFieldsFragmentDoc = new TypedDocumentString(`
    fragment CourseCardFields on Course {
  id
  fullname
  shortname
  summary
  viewerRole
  teachers {
    id
    fullName
  }
  liveClasses(status: [SCHEDULED, WAITING, LIVE]) {
    id
    title
    status
    scheduledAt
    startedAt
  }
}
    `, {"fragmentName":"CourseCardFields"}) as unknown as TypedDocumentString<CourseCardFieldsFragment, unknown>;
export const AttendanceDocument = new TypedDocumentString(`
    query Attendance($id: ID!) {
  liveClass(id: $id) {
    id
    attendance {
      identity
      user {
        id
        fullName
      }
      joinedAt
      leftAt
      secondsPresent
    }
  }
}
    `) as unknown as TypedDocumentString<AttendanceQuery, AttendanceQueryVariables>;
export const CourseAttendanceCsvDocument = new TypedDocumentString(`
    query CourseAttendanceCsv($id: ID!) {
  course(id: $id) {
    id
    attendanceReport {
      csv {
        url
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CourseAttendanceCsvQuery, CourseAttendanceCsvQueryVariables>;
export const RequestDocumentUploadDocument = new TypedDocumentString(`
    mutation RequestDocumentUpload($input: RequestDocumentUploadInput!) {
  requestDocumentUpload(input: $input) {
    uploadId
    uploadUrl
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<RequestDocumentUploadMutation, RequestDocumentUploadMutationVariables>;
export const CompleteDocumentUploadDocument = new TypedDocumentString(`
    mutation CompleteDocumentUpload($uploadId: ID!) {
  completeDocumentUpload(uploadId: $uploadId) {
    ...DocumentFields
  }
}
    fragment DocumentFields on Document {
  id
  filename
  mimeType
  size
  createdAt
  downloadUrl
  version
  uploadedBy {
    id
    fullName
  }
  shareLinks {
    id
    url
    expiresAt
    hasPassword
    revokedAt
    status
  }
}`) as unknown as TypedDocumentString<CompleteDocumentUploadMutation, CompleteDocumentUploadMutationVariables>;
export const DocumentDownloadUrlDocument = new TypedDocumentString(`
    query DocumentDownloadUrl($id: ID!) {
  document(id: $id) {
    id
    downloadUrl
  }
}
    `) as unknown as TypedDocumentString<DocumentDownloadUrlQuery, DocumentDownloadUrlQueryVariables>;
export const CreateShareLinkDocument = new TypedDocumentString(`
    mutation CreateShareLink($documentId: ID!, $expiresAt: DateTime!, $password: String) {
  createShareLink(
    documentId: $documentId
    expiresAt: $expiresAt
    password: $password
  ) {
    id
    url
    expiresAt
    hasPassword
  }
}
    `) as unknown as TypedDocumentString<CreateShareLinkMutation, CreateShareLinkMutationVariables>;
export const RespondToEventDocument = new TypedDocumentString(`
    mutation RespondToEvent($eventId: ID!, $status: ParticipationStatus!, $occurrence: DateTime) {
  respondToEvent(eventId: $eventId, status: $status, occurrence: $occurrence) {
    status
  }
}
    `) as unknown as TypedDocumentString<RespondToEventMutation, RespondToEventMutationVariables>;
export const JoinLiveClassDocument = new TypedDocumentString(`
    mutation JoinLiveClass($id: ID!) {
  joinLiveClass(id: $id) {
    token
    livekitUrl
    roomName
    canPublish
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<JoinLiveClassMutation, JoinLiveClassMutationVariables>;
export const ApproveLeaveDocument = new TypedDocumentString(`
    mutation ApproveLeave($id: ID!, $comment: String) {
  approveLeave(id: $id, comment: $comment) {
    ...LeaveRequestFields
  }
}
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}`) as unknown as TypedDocumentString<ApproveLeaveMutation, ApproveLeaveMutationVariables>;
export const RejectLeaveDocument = new TypedDocumentString(`
    mutation RejectLeave($id: ID!, $reason: String) {
  rejectLeave(id: $id, reason: $reason) {
    ...LeaveRequestFields
  }
}
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}`) as unknown as TypedDocumentString<RejectLeaveMutation, RejectLeaveMutationVariables>;
export const RequestLeaveDocument = new TypedDocumentString(`
    mutation RequestLeave($input: RequestLeaveInput!) {
  requestLeave(input: $input) {
    ...LeaveRequestFields
  }
}
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}`) as unknown as TypedDocumentString<RequestLeaveMutation, RequestLeaveMutationVariables>;
export const PendingLeaveDocument = new TypedDocumentString(`
    query PendingLeave($first: Int!, $after: String) {
  leaveRequestsConnection(toDecide: true, first: $first, after: $after) {
    edges {
      node {
        ...LeaveRequestFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}`) as unknown as TypedDocumentString<PendingLeaveQuery, PendingLeaveQueryVariables>;
export const RescheduleLiveClassDocument = new TypedDocumentString(`
    mutation RescheduleLiveClass($id: ID!, $input: UpdateLiveClassInput!) {
  updateLiveClass(id: $id, input: $input) {
    ...LiveClassFields
  }
}
    fragment LiveClassFields on LiveClass {
  id
  title
  description
  status
  scheduledAt
  endsAt
  durationMinutes
  startedAt
  endedAt
  record
}`) as unknown as TypedDocumentString<RescheduleLiveClassMutation, RescheduleLiveClassMutationVariables>;
export const CancelLiveClassDocument = new TypedDocumentString(`
    mutation CancelLiveClass($id: ID!) {
  cancelLiveClass(id: $id) {
    ...LiveClassFields
  }
}
    fragment LiveClassFields on LiveClass {
  id
  title
  description
  status
  scheduledAt
  endsAt
  durationMinutes
  startedAt
  endedAt
  record
}`) as unknown as TypedDocumentString<CancelLiveClassMutation, CancelLiveClassMutationVariables>;
export const EndLiveClassDocument = new TypedDocumentString(`
    mutation EndLiveClass($id: ID!) {
  endLiveClass(id: $id) {
    ...LiveClassFields
  }
}
    fragment LiveClassFields on LiveClass {
  id
  title
  description
  status
  scheduledAt
  endsAt
  durationMinutes
  startedAt
  endedAt
  record
}`) as unknown as TypedDocumentString<EndLiveClassMutation, EndLiveClassMutationVariables>;
export const CancelLeaveDocument = new TypedDocumentString(`
    mutation CancelLeave($id: ID!) {
  cancelLeave(id: $id) {
    ...LeaveRequestFields
  }
}
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}`) as unknown as TypedDocumentString<CancelLeaveMutation, CancelLeaveMutationVariables>;
export const RecordingUrlsDocument = new TypedDocumentString(`
    query RecordingUrls($liveClassId: ID!) {
  liveClass(id: $liveClassId) {
    id
    recordings {
      id
      url
      urlExpiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<RecordingUrlsQuery, RecordingUrlsQueryVariables>;
export const RoomModerationDocument = new TypedDocumentString(`
    query RoomModeration($id: ID!) {
  liveClass(id: $id) {
    id
    roomParticipants {
      identity
      name
      moderator
      canPublish
      promoted
      handRaisedAt
      user {
        id
        fullName
      }
      tracks {
        sid
        source
        muted
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RoomModerationQuery, RoomModerationQueryVariables>;
export const MyRaisedHandDocument = new TypedDocumentString(`
    query MyRaisedHand($id: ID!) {
  liveClass(id: $id) {
    id
    raisedHands {
      raisedAt
    }
  }
}
    `) as unknown as TypedDocumentString<MyRaisedHandQuery, MyRaisedHandQueryVariables>;
export const RaiseHandDocument = new TypedDocumentString(`
    mutation RaiseHand($id: ID!) {
  raiseHand(liveClassId: $id) {
    id
    raisedHands {
      raisedAt
    }
  }
}
    `) as unknown as TypedDocumentString<RaiseHandMutation, RaiseHandMutationVariables>;
export const LowerHandDocument = new TypedDocumentString(`
    mutation LowerHand($id: ID!, $userId: ID) {
  lowerHand(liveClassId: $id, userId: $userId) {
    id
    raisedHands {
      raisedAt
    }
  }
}
    `) as unknown as TypedDocumentString<LowerHandMutation, LowerHandMutationVariables>;
export const PromoteParticipantDocument = new TypedDocumentString(`
    mutation PromoteParticipant($id: ID!, $userId: ID!) {
  promoteParticipant(liveClassId: $id, userId: $userId) {
    identity
  }
}
    `) as unknown as TypedDocumentString<PromoteParticipantMutation, PromoteParticipantMutationVariables>;
export const DemoteParticipantDocument = new TypedDocumentString(`
    mutation DemoteParticipant($id: ID!, $userId: ID!) {
  demoteParticipant(liveClassId: $id, userId: $userId) {
    identity
  }
}
    `) as unknown as TypedDocumentString<DemoteParticipantMutation, DemoteParticipantMutationVariables>;
export const MuteMicrophoneDocument = new TypedDocumentString(`
    mutation MuteMicrophone($id: ID!, $userId: ID!) {
  muteParticipantTrack(liveClassId: $id, userId: $userId, source: MICROPHONE) {
    identity
  }
}
    `) as unknown as TypedDocumentString<MuteMicrophoneMutation, MuteMicrophoneMutationVariables>;
export const RemoveParticipantDocument = new TypedDocumentString(`
    mutation RemoveParticipant($id: ID!, $userId: ID!) {
  removeParticipant(liveClassId: $id, userId: $userId) {
    id
  }
}
    `) as unknown as TypedDocumentString<RemoveParticipantMutation, RemoveParticipantMutationVariables>;
export const ScheduleLiveClassDocument = new TypedDocumentString(`
    mutation ScheduleLiveClass($input: ScheduleLiveClassInput!) {
  scheduleLiveClass(input: $input) {
    ...LiveClassFields
  }
}
    fragment LiveClassFields on LiveClass {
  id
  title
  description
  status
  scheduledAt
  endsAt
  durationMinutes
  startedAt
  endedAt
  record
}`) as unknown as TypedDocumentString<ScheduleLiveClassMutation, ScheduleLiveClassMutationVariables>;
export const RevokeShareLinkDocument = new TypedDocumentString(`
    mutation RevokeShareLink($id: ID!) {
  revokeShareLink(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeShareLinkMutation, RevokeShareLinkMutationVariables>;
export const CoursePageDocument = new TypedDocumentString(`
    query CoursePage($id: ID!) {
  course(id: $id) {
    id
    fullname
    summary
    viewerRole
    teachers {
      id
      fullName
    }
    liveClasses {
      ...LiveClassFields
    }
    recordings {
      id
      status
      durationSeconds
      sizeBytes
      url
      urlExpiresAt
      createdAt
      liveClass {
        id
        title
      }
    }
    calendarEvents {
      ...CourseEventFields
    }
    documents {
      ...DocumentFields
    }
  }
}
    fragment LiveClassFields on LiveClass {
  id
  title
  description
  status
  scheduledAt
  endsAt
  durationMinutes
  startedAt
  endedAt
  record
}
fragment CourseEventFields on CalendarEvent {
  id
  title
  start
  end
  allDay
  location
  eventType
  isCancelled
  participants {
    status
    isOrganizer
    user {
      id
      fullName
    }
  }
}
fragment DocumentFields on Document {
  id
  filename
  mimeType
  size
  createdAt
  downloadUrl
  version
  uploadedBy {
    id
    fullName
  }
  shareLinks {
    id
    url
    expiresAt
    hasPassword
    revokedAt
    status
  }
}`) as unknown as TypedDocumentString<CoursePageQuery, CoursePageQueryVariables>;
export const LiveClassChangedDocument = new TypedDocumentString(`
    subscription LiveClassChanged($courseId: ID!) {
  liveClassStatusChanged(courseId: $courseId) {
    ...LiveClassFields
  }
}
    fragment LiveClassFields on LiveClass {
  id
  title
  description
  status
  scheduledAt
  endsAt
  durationMinutes
  startedAt
  endedAt
  record
}`) as unknown as TypedDocumentString<LiveClassChangedSubscription, LiveClassChangedSubscriptionVariables>;
export const MyCoursesDocument = new TypedDocumentString(`
    query MyCourses {
  myCourses {
    ...CourseCardFields
  }
}
    fragment CourseCardFields on Course {
  id
  fullname
  shortname
  summary
  viewerRole
  teachers {
    id
    fullName
  }
  liveClasses(status: [SCHEDULED, WAITING, LIVE]) {
    id
    title
    status
    scheduledAt
    startedAt
  }
}`) as unknown as TypedDocumentString<MyCoursesQuery, MyCoursesQueryVariables>;
export const CoursesDocument = new TypedDocumentString(`
    query Courses {
  courses {
    ...CourseCardFields
  }
}
    fragment CourseCardFields on Course {
  id
  fullname
  shortname
  summary
  viewerRole
  teachers {
    id
    fullName
  }
  liveClasses(status: [SCHEDULED, WAITING, LIVE]) {
    id
    title
    status
    scheduledAt
    startedAt
  }
}`) as unknown as TypedDocumentString<CoursesQuery, CoursesQueryVariables>;
export const MyLeaveDocument = new TypedDocumentString(`
    query MyLeave($me: ID!, $from: DateTime, $to: DateTime, $latestFirst: Boolean, $first: Int!, $after: String) {
  companyTimeZone
  leaveRequestsConnection(
    employeeId: $me
    from: $from
    to: $to
    latestFirst: $latestFirst
    first: $first
    after: $after
  ) {
    edges {
      node {
        ...LeaveRequestFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}`) as unknown as TypedDocumentString<MyLeaveQuery, MyLeaveQueryVariables>;
export const LeaveChangedDocument = new TypedDocumentString(`
    subscription LeaveChanged {
  leaveRequestChanged {
    ...LeaveRequestFields
  }
}
    fragment LeaveRequestFields on LeaveRequest {
  id
  startDate
  endDate
  status
  leaveType
  reason
  reviewComment
  updatedAt
  employee {
    id
    fullName
  }
  reviewedBy {
    id
    fullName
  }
}`) as unknown as TypedDocumentString<LeaveChangedSubscription, LeaveChangedSubscriptionVariables>;
export const WeekDocument = new TypedDocumentString(`
    query Week($from: DateTime!, $to: DateTime!) {
  calendarEvents(from: $from, to: $to) {
    start
    end
    recurrenceId
    event {
      id
      title
      eventType
      allDay
      location
      sourceModule
    }
    participants {
      status
      isOrganizer
      user {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WeekQuery, WeekQueryVariables>;
export const WeekChangedDocument = new TypedDocumentString(`
    subscription WeekChanged($from: DateTime!, $to: DateTime!) {
  calendarEventChanged(from: $from, to: $to) {
    id
  }
}
    `) as unknown as TypedDocumentString<WeekChangedSubscription, WeekChangedSubscriptionVariables>;
export const RotateCalendarFeedUrlDocument = new TypedDocumentString(`
    mutation RotateCalendarFeedUrl {
  rotateCalendarFeedUrl
}
    `) as unknown as TypedDocumentString<RotateCalendarFeedUrlMutation, RotateCalendarFeedUrlMutationVariables>;
export const DocumentShareLinksDocument = new TypedDocumentString(`
    query DocumentShareLinks($id: ID!) {
  document(id: $id) {
    id
    shareLinks {
      id
      url
      expiresAt
      hasPassword
      revokedAt
      downloadCount
      createdAt
      createdBy {
        id
        fullName
      }
      status
    }
  }
}
    `) as unknown as TypedDocumentString<DocumentShareLinksQuery, DocumentShareLinksQueryVariables>;