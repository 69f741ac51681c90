/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Attendance($id: ID!) {\n    liveClass(id: $id) { id attendance { identity user { id fullName } joinedAt leftAt secondsPresent } }\n  }\n": typeof types.AttendanceDocument,
    "\n  query CourseAttendanceCsv($id: ID!) { course(id: $id) { id attendanceReport { csv { url } } } }\n": typeof types.CourseAttendanceCsvDocument,
    "\n  mutation RequestDocumentUpload($input: RequestDocumentUploadInput!) {\n    requestDocumentUpload(input: $input) { uploadId uploadUrl expiresAt }\n  }\n": typeof types.RequestDocumentUploadDocument,
    "\n  mutation CompleteDocumentUpload($uploadId: ID!) { completeDocumentUpload(uploadId: $uploadId) { ...DocumentFields } }\n": typeof types.CompleteDocumentUploadDocument,
    "\n  query DocumentDownloadUrl($id: ID!) { document(id: $id) { id downloadUrl } }\n": typeof types.DocumentDownloadUrlDocument,
    "\n  mutation CreateShareLink($documentId: ID!, $expiresAt: DateTime!, $password: String) {\n    createShareLink(documentId: $documentId, expiresAt: $expiresAt, password: $password) { id url expiresAt hasPassword }\n  }\n": typeof types.CreateShareLinkDocument,
    "\n  mutation RespondToEvent($eventId: ID!, $status: ParticipationStatus!, $occurrence: DateTime) {\n    respondToEvent(eventId: $eventId, status: $status, occurrence: $occurrence) { status }\n  }\n": typeof types.RespondToEventDocument,
    "\n  mutation JoinLiveClass($id: ID!) { joinLiveClass(id: $id) { token livekitUrl roomName canPublish expiresAt } }\n": typeof types.JoinLiveClassDocument,
    "\n  mutation ApproveLeave($id: ID!, $comment: String) { approveLeave(id: $id, comment: $comment) { ...LeaveRequestFields } }\n": typeof types.ApproveLeaveDocument,
    "\n  mutation RejectLeave($id: ID!, $reason: String) { rejectLeave(id: $id, reason: $reason) { ...LeaveRequestFields } }\n": typeof types.RejectLeaveDocument,
    "\n  mutation RequestLeave($input: RequestLeaveInput!) {\n    requestLeave(input: $input) { ...LeaveRequestFields }\n  }\n": typeof types.RequestLeaveDocument,
    "\n  query PendingLeave($first: Int!, $after: String) {\n    leaveRequestsConnection(toDecide: true, first: $first, after: $after) {\n      edges { node { ...LeaveRequestFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.PendingLeaveDocument,
    "\n  mutation RescheduleLiveClass($id: ID!, $input: UpdateLiveClassInput!) {\n    updateLiveClass(id: $id, input: $input) { ...LiveClassFields }\n  }\n": typeof types.RescheduleLiveClassDocument,
    "\n  mutation CancelLiveClass($id: ID!) { cancelLiveClass(id: $id) { ...LiveClassFields } }\n": typeof types.CancelLiveClassDocument,
    "\n  mutation EndLiveClass($id: ID!) { endLiveClass(id: $id) { ...LiveClassFields } }\n": typeof types.EndLiveClassDocument,
    "\n  mutation CancelLeave($id: ID!) { cancelLeave(id: $id) { ...LeaveRequestFields } }\n": typeof types.CancelLeaveDocument,
    "\n  query RecordingUrls($liveClassId: ID!) { liveClass(id: $liveClassId) { id recordings { id url urlExpiresAt } } }\n": typeof types.RecordingUrlsDocument,
    "\n  query RoomModeration($id: ID!) {\n    liveClass(id: $id) {\n      id\n      roomParticipants { identity name moderator canPublish promoted handRaisedAt user { id fullName } tracks { sid source muted } }\n    }\n  }\n": typeof types.RoomModerationDocument,
    "\n  query MyRaisedHand($id: ID!) { liveClass(id: $id) { id raisedHands { raisedAt } } }\n": typeof types.MyRaisedHandDocument,
    "\n  mutation RaiseHand($id: ID!) { raiseHand(liveClassId: $id) { id raisedHands { raisedAt } } }\n": typeof types.RaiseHandDocument,
    "\n  mutation LowerHand($id: ID!, $userId: ID) { lowerHand(liveClassId: $id, userId: $userId) { id raisedHands { raisedAt } } }\n": typeof types.LowerHandDocument,
    "\n  mutation PromoteParticipant($id: ID!, $userId: ID!) { promoteParticipant(liveClassId: $id, userId: $userId) { identity } }\n": typeof types.PromoteParticipantDocument,
    "\n  mutation DemoteParticipant($id: ID!, $userId: ID!) { demoteParticipant(liveClassId: $id, userId: $userId) { identity } }\n": typeof types.DemoteParticipantDocument,
    "\n  mutation MuteMicrophone($id: ID!, $userId: ID!) { muteParticipantTrack(liveClassId: $id, userId: $userId, source: MICROPHONE) { identity } }\n": typeof types.MuteMicrophoneDocument,
    "\n  mutation RemoveParticipant($id: ID!, $userId: ID!) { removeParticipant(liveClassId: $id, userId: $userId) { id } }\n": typeof types.RemoveParticipantDocument,
    "\n  mutation ScheduleLiveClass($input: ScheduleLiveClassInput!) {\n    scheduleLiveClass(input: $input) { ...LiveClassFields }\n  }\n": typeof types.ScheduleLiveClassDocument,
    "\n  mutation RevokeShareLink($id: ID!) { revokeShareLink(id: $id) { id revokedAt } }\n": typeof types.RevokeShareLinkDocument,
    "\n  fragment LiveClassFields on LiveClass {\n    id title description status scheduledAt endsAt durationMinutes startedAt endedAt record\n  }\n": typeof types.LiveClassFieldsFragmentDoc,
    "\n  fragment CourseEventFields on CalendarEvent {\n    id title start end allDay location eventType isCancelled\n    participants { status isOrganizer user { id fullName } }\n  }\n": typeof types.CourseEventFieldsFragmentDoc,
    "\n  fragment DocumentFields on Document {\n    id filename mimeType size createdAt downloadUrl version\n    uploadedBy { id fullName }\n    shareLinks { id url expiresAt hasPassword revokedAt status }\n  }\n": typeof types.DocumentFieldsFragmentDoc,
    "\n  fragment LeaveRequestFields on LeaveRequest {\n    id startDate endDate status leaveType reason reviewComment updatedAt\n    employee { id fullName }\n    reviewedBy { id fullName }\n  }\n": typeof types.LeaveRequestFieldsFragmentDoc,
    "\n  query CoursePage($id: ID!) {\n    course(id: $id) {\n      id\n      fullname\n      summary\n      viewerRole\n      teachers { id fullName }\n      liveClasses { ...LiveClassFields }\n      recordings { id status durationSeconds sizeBytes url urlExpiresAt createdAt liveClass { id title } }\n      calendarEvents { ...CourseEventFields }\n      documents { ...DocumentFields }\n    }\n  }\n": typeof types.CoursePageDocument,
    "\n  subscription LiveClassChanged($courseId: ID!) {\n    liveClassStatusChanged(courseId: $courseId) { ...LiveClassFields }\n  }\n": typeof types.LiveClassChangedDocument,
    "\n  query MyCourses { myCourses { ...CourseCardFields } }\n": typeof types.MyCoursesDocument,
    "\n  query Courses { courses { ...CourseCardFields } }\n": typeof types.CoursesDocument,
    "\n  fragment CourseCardFields on Course {\n    id\n    fullname\n    shortname\n    summary\n    viewerRole\n    teachers { id fullName }\n    liveClasses(status: [SCHEDULED, WAITING, LIVE]) { id title status scheduledAt startedAt }\n  }\n": typeof types.CourseCardFieldsFragmentDoc,
    "\n  query MyLeave($me: ID!, $from: DateTime, $to: DateTime, $latestFirst: Boolean, $first: Int!, $after: String) {\n    companyTimeZone\n    leaveRequestsConnection(employeeId: $me, from: $from, to: $to, latestFirst: $latestFirst, first: $first, after: $after) {\n      edges { node { ...LeaveRequestFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.MyLeaveDocument,
    "\n  subscription LeaveChanged { leaveRequestChanged { ...LeaveRequestFields } }\n": typeof types.LeaveChangedDocument,
    "\n  query Week($from: DateTime!, $to: DateTime!) {\n    calendarEvents(from: $from, to: $to) {\n      start\n      end\n      recurrenceId\n      event { id title eventType allDay location sourceModule }\n      participants { status isOrganizer user { id } }\n    }\n  }\n": typeof types.WeekDocument,
    "\n  subscription WeekChanged($from: DateTime!, $to: DateTime!) { calendarEventChanged(from: $from, to: $to) { id } }\n": typeof types.WeekChangedDocument,
    "\n  mutation RotateCalendarFeedUrl { rotateCalendarFeedUrl }\n": typeof types.RotateCalendarFeedUrlDocument,
    "\n  query DocumentShareLinks($id: ID!) {\n    document(id: $id) {\n      id\n      shareLinks { id url expiresAt hasPassword revokedAt downloadCount createdAt createdBy { id fullName } status }\n    }\n  }\n": typeof types.DocumentShareLinksDocument,
};
const documents: Documents = {
    "\n  query Attendance($id: ID!) {\n    liveClass(id: $id) { id attendance { identity user { id fullName } joinedAt leftAt secondsPresent } }\n  }\n": types.AttendanceDocument,
    "\n  query CourseAttendanceCsv($id: ID!) { course(id: $id) { id attendanceReport { csv { url } } } }\n": types.CourseAttendanceCsvDocument,
    "\n  mutation RequestDocumentUpload($input: RequestDocumentUploadInput!) {\n    requestDocumentUpload(input: $input) { uploadId uploadUrl expiresAt }\n  }\n": types.RequestDocumentUploadDocument,
    "\n  mutation CompleteDocumentUpload($uploadId: ID!) { completeDocumentUpload(uploadId: $uploadId) { ...DocumentFields } }\n": types.CompleteDocumentUploadDocument,
    "\n  query DocumentDownloadUrl($id: ID!) { document(id: $id) { id downloadUrl } }\n": types.DocumentDownloadUrlDocument,
    "\n  mutation CreateShareLink($documentId: ID!, $expiresAt: DateTime!, $password: String) {\n    createShareLink(documentId: $documentId, expiresAt: $expiresAt, password: $password) { id url expiresAt hasPassword }\n  }\n": types.CreateShareLinkDocument,
    "\n  mutation RespondToEvent($eventId: ID!, $status: ParticipationStatus!, $occurrence: DateTime) {\n    respondToEvent(eventId: $eventId, status: $status, occurrence: $occurrence) { status }\n  }\n": types.RespondToEventDocument,
    "\n  mutation JoinLiveClass($id: ID!) { joinLiveClass(id: $id) { token livekitUrl roomName canPublish expiresAt } }\n": types.JoinLiveClassDocument,
    "\n  mutation ApproveLeave($id: ID!, $comment: String) { approveLeave(id: $id, comment: $comment) { ...LeaveRequestFields } }\n": types.ApproveLeaveDocument,
    "\n  mutation RejectLeave($id: ID!, $reason: String) { rejectLeave(id: $id, reason: $reason) { ...LeaveRequestFields } }\n": types.RejectLeaveDocument,
    "\n  mutation RequestLeave($input: RequestLeaveInput!) {\n    requestLeave(input: $input) { ...LeaveRequestFields }\n  }\n": types.RequestLeaveDocument,
    "\n  query PendingLeave($first: Int!, $after: String) {\n    leaveRequestsConnection(toDecide: true, first: $first, after: $after) {\n      edges { node { ...LeaveRequestFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.PendingLeaveDocument,
    "\n  mutation RescheduleLiveClass($id: ID!, $input: UpdateLiveClassInput!) {\n    updateLiveClass(id: $id, input: $input) { ...LiveClassFields }\n  }\n": types.RescheduleLiveClassDocument,
    "\n  mutation CancelLiveClass($id: ID!) { cancelLiveClass(id: $id) { ...LiveClassFields } }\n": types.CancelLiveClassDocument,
    "\n  mutation EndLiveClass($id: ID!) { endLiveClass(id: $id) { ...LiveClassFields } }\n": types.EndLiveClassDocument,
    "\n  mutation CancelLeave($id: ID!) { cancelLeave(id: $id) { ...LeaveRequestFields } }\n": types.CancelLeaveDocument,
    "\n  query RecordingUrls($liveClassId: ID!) { liveClass(id: $liveClassId) { id recordings { id url urlExpiresAt } } }\n": types.RecordingUrlsDocument,
    "\n  query RoomModeration($id: ID!) {\n    liveClass(id: $id) {\n      id\n      roomParticipants { identity name moderator canPublish promoted handRaisedAt user { id fullName } tracks { sid source muted } }\n    }\n  }\n": types.RoomModerationDocument,
    "\n  query MyRaisedHand($id: ID!) { liveClass(id: $id) { id raisedHands { raisedAt } } }\n": types.MyRaisedHandDocument,
    "\n  mutation RaiseHand($id: ID!) { raiseHand(liveClassId: $id) { id raisedHands { raisedAt } } }\n": types.RaiseHandDocument,
    "\n  mutation LowerHand($id: ID!, $userId: ID) { lowerHand(liveClassId: $id, userId: $userId) { id raisedHands { raisedAt } } }\n": types.LowerHandDocument,
    "\n  mutation PromoteParticipant($id: ID!, $userId: ID!) { promoteParticipant(liveClassId: $id, userId: $userId) { identity } }\n": types.PromoteParticipantDocument,
    "\n  mutation DemoteParticipant($id: ID!, $userId: ID!) { demoteParticipant(liveClassId: $id, userId: $userId) { identity } }\n": types.DemoteParticipantDocument,
    "\n  mutation MuteMicrophone($id: ID!, $userId: ID!) { muteParticipantTrack(liveClassId: $id, userId: $userId, source: MICROPHONE) { identity } }\n": types.MuteMicrophoneDocument,
    "\n  mutation RemoveParticipant($id: ID!, $userId: ID!) { removeParticipant(liveClassId: $id, userId: $userId) { id } }\n": types.RemoveParticipantDocument,
    "\n  mutation ScheduleLiveClass($input: ScheduleLiveClassInput!) {\n    scheduleLiveClass(input: $input) { ...LiveClassFields }\n  }\n": types.ScheduleLiveClassDocument,
    "\n  mutation RevokeShareLink($id: ID!) { revokeShareLink(id: $id) { id revokedAt } }\n": types.RevokeShareLinkDocument,
    "\n  fragment LiveClassFields on LiveClass {\n    id title description status scheduledAt endsAt durationMinutes startedAt endedAt record\n  }\n": types.LiveClassFieldsFragmentDoc,
    "\n  fragment CourseEventFields on CalendarEvent {\n    id title start end allDay location eventType isCancelled\n    participants { status isOrganizer user { id fullName } }\n  }\n": types.CourseEventFieldsFragmentDoc,
    "\n  fragment DocumentFields on Document {\n    id filename mimeType size createdAt downloadUrl version\n    uploadedBy { id fullName }\n    shareLinks { id url expiresAt hasPassword revokedAt status }\n  }\n": types.DocumentFieldsFragmentDoc,
    "\n  fragment LeaveRequestFields on LeaveRequest {\n    id startDate endDate status leaveType reason reviewComment updatedAt\n    employee { id fullName }\n    reviewedBy { id fullName }\n  }\n": types.LeaveRequestFieldsFragmentDoc,
    "\n  query CoursePage($id: ID!) {\n    course(id: $id) {\n      id\n      fullname\n      summary\n      viewerRole\n      teachers { id fullName }\n      liveClasses { ...LiveClassFields }\n      recordings { id status durationSeconds sizeBytes url urlExpiresAt createdAt liveClass { id title } }\n      calendarEvents { ...CourseEventFields }\n      documents { ...DocumentFields }\n    }\n  }\n": types.CoursePageDocument,
    "\n  subscription LiveClassChanged($courseId: ID!) {\n    liveClassStatusChanged(courseId: $courseId) { ...LiveClassFields }\n  }\n": types.LiveClassChangedDocument,
    "\n  query MyCourses { myCourses { ...CourseCardFields } }\n": types.MyCoursesDocument,
    "\n  query Courses { courses { ...CourseCardFields } }\n": types.CoursesDocument,
    "\n  fragment CourseCardFields on Course {\n    id\n    fullname\n    shortname\n    summary\n    viewerRole\n    teachers { id fullName }\n    liveClasses(status: [SCHEDULED, WAITING, LIVE]) { id title status scheduledAt startedAt }\n  }\n": types.CourseCardFieldsFragmentDoc,
    "\n  query MyLeave($me: ID!, $from: DateTime, $to: DateTime, $latestFirst: Boolean, $first: Int!, $after: String) {\n    companyTimeZone\n    leaveRequestsConnection(employeeId: $me, from: $from, to: $to, latestFirst: $latestFirst, first: $first, after: $after) {\n      edges { node { ...LeaveRequestFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.MyLeaveDocument,
    "\n  subscription LeaveChanged { leaveRequestChanged { ...LeaveRequestFields } }\n": types.LeaveChangedDocument,
    "\n  query Week($from: DateTime!, $to: DateTime!) {\n    calendarEvents(from: $from, to: $to) {\n      start\n      end\n      recurrenceId\n      event { id title eventType allDay location sourceModule }\n      participants { status isOrganizer user { id } }\n    }\n  }\n": types.WeekDocument,
    "\n  subscription WeekChanged($from: DateTime!, $to: DateTime!) { calendarEventChanged(from: $from, to: $to) { id } }\n": types.WeekChangedDocument,
    "\n  mutation RotateCalendarFeedUrl { rotateCalendarFeedUrl }\n": types.RotateCalendarFeedUrlDocument,
    "\n  query DocumentShareLinks($id: ID!) {\n    document(id: $id) {\n      id\n      shareLinks { id url expiresAt hasPassword revokedAt downloadCount createdAt createdBy { id fullName } status }\n    }\n  }\n": types.DocumentShareLinksDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Attendance($id: ID!) {\n    liveClass(id: $id) { id attendance { identity user { id fullName } joinedAt leftAt secondsPresent } }\n  }\n"): typeof import('./graphql').AttendanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CourseAttendanceCsv($id: ID!) { course(id: $id) { id attendanceReport { csv { url } } } }\n"): typeof import('./graphql').CourseAttendanceCsvDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestDocumentUpload($input: RequestDocumentUploadInput!) {\n    requestDocumentUpload(input: $input) { uploadId uploadUrl expiresAt }\n  }\n"): typeof import('./graphql').RequestDocumentUploadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteDocumentUpload($uploadId: ID!) { completeDocumentUpload(uploadId: $uploadId) { ...DocumentFields } }\n"): typeof import('./graphql').CompleteDocumentUploadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DocumentDownloadUrl($id: ID!) { document(id: $id) { id downloadUrl } }\n"): typeof import('./graphql').DocumentDownloadUrlDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateShareLink($documentId: ID!, $expiresAt: DateTime!, $password: String) {\n    createShareLink(documentId: $documentId, expiresAt: $expiresAt, password: $password) { id url expiresAt hasPassword }\n  }\n"): typeof import('./graphql').CreateShareLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RespondToEvent($eventId: ID!, $status: ParticipationStatus!, $occurrence: DateTime) {\n    respondToEvent(eventId: $eventId, status: $status, occurrence: $occurrence) { status }\n  }\n"): typeof import('./graphql').RespondToEventDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinLiveClass($id: ID!) { joinLiveClass(id: $id) { token livekitUrl roomName canPublish expiresAt } }\n"): typeof import('./graphql').JoinLiveClassDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveLeave($id: ID!, $comment: String) { approveLeave(id: $id, comment: $comment) { ...LeaveRequestFields } }\n"): typeof import('./graphql').ApproveLeaveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectLeave($id: ID!, $reason: String) { rejectLeave(id: $id, reason: $reason) { ...LeaveRequestFields } }\n"): typeof import('./graphql').RejectLeaveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestLeave($input: RequestLeaveInput!) {\n    requestLeave(input: $input) { ...LeaveRequestFields }\n  }\n"): typeof import('./graphql').RequestLeaveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PendingLeave($first: Int!, $after: String) {\n    leaveRequestsConnection(toDecide: true, first: $first, after: $after) {\n      edges { node { ...LeaveRequestFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').PendingLeaveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RescheduleLiveClass($id: ID!, $input: UpdateLiveClassInput!) {\n    updateLiveClass(id: $id, input: $input) { ...LiveClassFields }\n  }\n"): typeof import('./graphql').RescheduleLiveClassDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelLiveClass($id: ID!) { cancelLiveClass(id: $id) { ...LiveClassFields } }\n"): typeof import('./graphql').CancelLiveClassDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndLiveClass($id: ID!) { endLiveClass(id: $id) { ...LiveClassFields } }\n"): typeof import('./graphql').EndLiveClassDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelLeave($id: ID!) { cancelLeave(id: $id) { ...LeaveRequestFields } }\n"): typeof import('./graphql').CancelLeaveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecordingUrls($liveClassId: ID!) { liveClass(id: $liveClassId) { id recordings { id url urlExpiresAt } } }\n"): typeof import('./graphql').RecordingUrlsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RoomModeration($id: ID!) {\n    liveClass(id: $id) {\n      id\n      roomParticipants { identity name moderator canPublish promoted handRaisedAt user { id fullName } tracks { sid source muted } }\n    }\n  }\n"): typeof import('./graphql').RoomModerationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyRaisedHand($id: ID!) { liveClass(id: $id) { id raisedHands { raisedAt } } }\n"): typeof import('./graphql').MyRaisedHandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RaiseHand($id: ID!) { raiseHand(liveClassId: $id) { id raisedHands { raisedAt } } }\n"): typeof import('./graphql').RaiseHandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LowerHand($id: ID!, $userId: ID) { lowerHand(liveClassId: $id, userId: $userId) { id raisedHands { raisedAt } } }\n"): typeof import('./graphql').LowerHandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PromoteParticipant($id: ID!, $userId: ID!) { promoteParticipant(liveClassId: $id, userId: $userId) { identity } }\n"): typeof import('./graphql').PromoteParticipantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DemoteParticipant($id: ID!, $userId: ID!) { demoteParticipant(liveClassId: $id, userId: $userId) { identity } }\n"): typeof import('./graphql').DemoteParticipantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MuteMicrophone($id: ID!, $userId: ID!) { muteParticipantTrack(liveClassId: $id, userId: $userId, source: MICROPHONE) { identity } }\n"): typeof import('./graphql').MuteMicrophoneDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveParticipant($id: ID!, $userId: ID!) { removeParticipant(liveClassId: $id, userId: $userId) { id } }\n"): typeof import('./graphql').RemoveParticipantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScheduleLiveClass($input: ScheduleLiveClassInput!) {\n    scheduleLiveClass(input: $input) { ...LiveClassFields }\n  }\n"): typeof import('./graphql').ScheduleLiveClassDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeShareLink($id: ID!) { revokeShareLink(id: $id) { id revokedAt } }\n"): typeof import('./graphql').RevokeShareLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LiveClassFields on LiveClass {\n    id title description status scheduledAt endsAt durationMinutes startedAt endedAt record\n  }\n"): typeof import('./graphql').LiveClassFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CourseEventFields on CalendarEvent {\n    id title start end allDay location eventType isCancelled\n    participants { status isOrganizer user { id fullName } }\n  }\n"): typeof import('./graphql').CourseEventFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DocumentFields on Document {\n    id filename mimeType size createdAt downloadUrl version\n    uploadedBy { id fullName }\n    shareLinks { id url expiresAt hasPassword revokedAt status }\n  }\n"): typeof import('./graphql').DocumentFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LeaveRequestFields on LeaveRequest {\n    id startDate endDate status leaveType reason reviewComment updatedAt\n    employee { id fullName }\n    reviewedBy { id fullName }\n  }\n"): typeof import('./graphql').LeaveRequestFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CoursePage($id: ID!) {\n    course(id: $id) {\n      id\n      fullname\n      summary\n      viewerRole\n      teachers { id fullName }\n      liveClasses { ...LiveClassFields }\n      recordings { id status durationSeconds sizeBytes url urlExpiresAt createdAt liveClass { id title } }\n      calendarEvents { ...CourseEventFields }\n      documents { ...DocumentFields }\n    }\n  }\n"): typeof import('./graphql').CoursePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveClassChanged($courseId: ID!) {\n    liveClassStatusChanged(courseId: $courseId) { ...LiveClassFields }\n  }\n"): typeof import('./graphql').LiveClassChangedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyCourses { myCourses { ...CourseCardFields } }\n"): typeof import('./graphql').MyCoursesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Courses { courses { ...CourseCardFields } }\n"): typeof import('./graphql').CoursesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CourseCardFields on Course {\n    id\n    fullname\n    shortname\n    summary\n    viewerRole\n    teachers { id fullName }\n    liveClasses(status: [SCHEDULED, WAITING, LIVE]) { id title status scheduledAt startedAt }\n  }\n"): typeof import('./graphql').CourseCardFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyLeave($me: ID!, $from: DateTime, $to: DateTime, $latestFirst: Boolean, $first: Int!, $after: String) {\n    companyTimeZone\n    leaveRequestsConnection(employeeId: $me, from: $from, to: $to, latestFirst: $latestFirst, first: $first, after: $after) {\n      edges { node { ...LeaveRequestFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').MyLeaveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LeaveChanged { leaveRequestChanged { ...LeaveRequestFields } }\n"): typeof import('./graphql').LeaveChangedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Week($from: DateTime!, $to: DateTime!) {\n    calendarEvents(from: $from, to: $to) {\n      start\n      end\n      recurrenceId\n      event { id title eventType allDay location sourceModule }\n      participants { status isOrganizer user { id } }\n    }\n  }\n"): typeof import('./graphql').WeekDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WeekChanged($from: DateTime!, $to: DateTime!) { calendarEventChanged(from: $from, to: $to) { id } }\n"): typeof import('./graphql').WeekChangedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateCalendarFeedUrl { rotateCalendarFeedUrl }\n"): typeof import('./graphql').RotateCalendarFeedUrlDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DocumentShareLinks($id: ID!) {\n    document(id: $id) {\n      id\n      shareLinks { id url expiresAt hasPassword revokedAt downloadCount createdAt createdBy { id fullName } status }\n    }\n  }\n"): typeof import('./graphql').DocumentShareLinksDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
