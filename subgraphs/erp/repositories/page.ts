/** A window of a list, already validated by the service. */
export interface Page {
  first: number;
  offset: number;
}
