/** Ports more than one part of the rules uses. */

/**
 * One job, as stores and rules name it: a jobId and which job of that ID (a job deleted and created again is another
 * incarnation, with counts of its own).
 */
export interface JobRef {
  jobId: string;
  incarnation: string;
}

export interface JobDocumentSource {
  /** The immutable document of that incarnation of the job; ResourceNotFoundException if it is gone. */
  getDocument(jobId: string, jobIncarnation: string): Promise<string>;
  /**
   * The same, or undefined if that incarnation of the job is gone (deleted, or replaced by a new job of the same
   * jobId).
   */
  findDocument(jobId: string, jobIncarnation: string): Promise<string | undefined>;
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
