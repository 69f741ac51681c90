/** Where a live class is shown: its course's page in the web client, scrolled to the class. */
export function classUrl(classUrlBase: string, courseId: string, liveClassId: string): string {
  return `${classUrlBase}/courses/${encodeURIComponent(courseId)}#class-${encodeURIComponent(liveClassId)}`;
}
