/** Ports more than one part of the rules uses. */

export interface JobDocumentSource {
  /** The immutable document of that incarnation of the job. */
  getDocument(jobId: string, jobIncarnation: string): Promise<string>;
}

/** One page of a list, and the opaque token of the next (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageQuery {
  maxResults: number;
  nextToken?: string;
}
