/** Fields several pages and components read, so that they all hold the same shape. */
import { graphql } from '../gql';

export const LiveClassFields = graphql(`
  fragment LiveClassFields on LiveClass {
    id title description status scheduledAt endsAt durationMinutes startedAt endedAt record
  }
`);

export const CourseEventFields = graphql(`
  fragment CourseEventFields on CalendarEvent {
    id title start end allDay location eventType isCancelled
    participants { status isOrganizer user { id fullName } }
  }
`);

export const DocumentFields = graphql(`
  fragment DocumentFields on Document {
    id filename mimeType size createdAt downloadUrl version
    uploadedBy { id fullName }
    shareLinks { id url expiresAt hasPassword revokedAt status }
  }
`);

export const LeaveRequestFields = graphql(`
  fragment LeaveRequestFields on LeaveRequest {
    id startDate endDate status leaveType reason reviewComment updatedAt
    employee { id fullName }
    reviewedBy { id fullName }
  }
`);
