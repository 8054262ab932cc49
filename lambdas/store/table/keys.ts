import type { JobRef } from '../../jobs/shared/ports';
import { JOBS_TABLE } from './table-design';

const THING_PREFIX = 'THING#';
const JOB_PREFIX = 'JOB#';
const JOB_SORT_KEY = 'JOB';
const THING_SORT_KEY = 'THING';
const GROUP_PREFIX = 'GROUP#';
const GROUP_SORT_KEY = 'GROUP';
const TREE_PREFIX = 'TREE#';
const TREE_PREFIX_VALUE = TREE_PREFIX;
/** The registry index's list of things. */
const THING_LIST = 'THINGS';
const COUNTED_PREFIX = 'COUNTED#';
const WORK_SORT_KEY = 'WORK';
const TARGET_PAGE_PREFIX = 'TARGETS#';
/**
 * After a page's number in a job's target list: a thing that joined a continuous job's group later, one entry each ('J'
 * sorts after every digit).
 */
const JOINED_MARK = 'J#';
const CONTINUOUS_PREFIX = 'CONTINUOUS#';
/** The partition of DeleteThing's marks: one item per thing deleted lately, sorted by name. */
const DELETED_THINGS = 'DELETED_THINGS';

/** FNV-1a: a stable, even spread of things over an index's shards. */
function shardOf(thingName: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < thingName.length; i++) hash = Math.imul(hash ^ thingName.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shardCount;
}

const twoDigits = (n: number) => String(n).padStart(2, '0');
const tenDigits = (n: number) => String(n).padStart(10, '0');
const HISTORY_PREFIX = 'HISTORY#';
const COUNTS_POINT_PREFIX = 'COUNTS#';
/** Job creation times sort as text. */
const sortableTime = (ms: number) => String(ms).padStart(15, '0');
const JOB_LIST_PARTITION = 'JOBS';
const PRINCIPAL_PREFIX = 'PRINCIPAL#';

/** Key builders: the only place that knows how items are addressed. */
export const keys = {
  thingPartition: (thingName: string) => `${THING_PREFIX}${thingName}`,
  /** A registered thing, in its own partition beside its executions. */
  thing: (thingName: string) => ({ pk: `${THING_PREFIX}${thingName}`, sk: THING_SORT_KEY }),
  thingList: THING_LIST,
  /**
   * DeleteThing's mark that a thing was deleted, written before the thing is
   * deleted and kept a day: what a fan-out reads, one query per page, instead
   * of looking up each thing it wrote. The sort key is prefixed, so a thing
   * named like a sort key (`JOB`) is never taken for one.
   */
  deletedThing: (thingName: string) => ({ pk: DELETED_THINGS, sk: `${THING_PREFIX}${thingName}` }),
  deletedThings: DELETED_THINGS,
  /** A thing type, with its count of things. */
  thingType: (typeName: string) => ({ pk: `THINGTYPE#${typeName}`, sk: 'THINGTYPE' }),
  /** The registry index's list of thing types, by name. */
  thingTypeList: 'THINGTYPES',
  /** A static thing group. */
  thingGroup: (groupName: string) => ({ pk: `${GROUP_PREFIX}${groupName}`, sk: GROUP_SORT_KEY }),
  /**
   * A thing's membership of the one group it may be in of a tree: one item per thing and tree, so the rule holds by
   * key.
   */
  membership: (thingName: string, rootGroupName: string) => ({
    pk: `${THING_PREFIX}${thingName}`,
    sk: `${TREE_PREFIX}${rootGroupName}`,
  }),
  membershipPrefix: TREE_PREFIX_VALUE,
  /** The registry index's lists of groups, and of one group's members. */
  groupList: 'GROUPS',
  membersOf: (groupName: string) => `MEMBERS#${groupName}`,
  /** A dynamic group's listing, in the one partition the upkeep reads whole; and the count of them (AWS's quota). */
  dynamicGroupListing: (groupName: string) => ({ pk: 'DYNAMIC_GROUPS', sk: `${GROUP_PREFIX}${groupName}` }),
  dynamicGroupCount: { pk: 'DYNAMIC_GROUPS', sk: 'COUNT' },
  execution: (thingName: string, jobId: string) => ({ pk: `${THING_PREFIX}${thingName}`, sk: `${JOB_PREFIX}${jobId}` }),
  job: (jobId: string) => ({ pk: `${JOB_PREFIX}${jobId}`, sk: JOB_SORT_KEY }),
  /** A job's work off the request path (fan-out, cascades), beside its job item. */
  jobWork: (jobId: string) => ({ pk: `${JOB_PREFIX}${jobId}`, sk: WORK_SORT_KEY }),
  /** Page `n` (from 1) of the things a job incarnation's fan-out took on. */
  targetPage: (job: JobRef, n: number) => ({
    pk: `${JOB_PREFIX}${job.jobId}`,
    sk: `${TARGET_PAGE_PREFIX}${job.incarnation}#${String(n).padStart(8, '0')}`,
  }),
  targetPagesOf: (incarnation: string) => `${TARGET_PAGE_PREFIX}${incarnation}#`,
  /**
   * The entry of one thing a continuous job took on after its fan-out read its group (it joined later), in the same
   * list as the pages.
   */
  joinedTarget: (job: JobRef, thingName: string) => ({
    pk: `${JOB_PREFIX}${job.jobId}`,
    sk: `${TARGET_PAGE_PREFIX}${job.incarnation}#${JOINED_MARK}${thingName}`,
  }),
  joinedTargetsOf: (incarnation: string) => `${TARGET_PAGE_PREFIX}${incarnation}#${JOINED_MARK}`,
  /**
   * A continuous job incarnation that targets a group, in the group's own partition: what a membership change looks up.
   */
  continuousTarget: (groupName: string, job: JobRef) => ({
    pk: `${CONTINUOUS_PREFIX}${groupName}`,
    sk: `${JOB_PREFIX}${job.jobId}#${job.incarnation}`,
  }),
  continuousTargetsOf: (groupName: string) => `${CONTINUOUS_PREFIX}${groupName}`,
  /** A job template. */
  jobTemplate: (templateId: string) => ({ pk: `JOBTEMPLATE#${templateId}`, sk: 'JOBTEMPLATE' }),
  /** The registry index's list of job templates, by ID. */
  templateList: 'JOBTEMPLATES',
  /** The registry index's list of jobs with work left. */
  workList: 'WORK',
  /**
   * The counts aggregator's marker of one stream change it has counted. Each in
   * its own partition: a job of 100,000 devices writes its markers all over
   * the table, not into one hot key.
   */
  countedChange: (changeId: string) => ({ pk: `${COUNTED_PREFIX}${changeId}`, sk: COUNTED_PREFIX }),
  /** The deadline-index partition an execution's timer lives in; all of a thing's timers share one. */
  timerShard: (thingName: string) => twoDigits(shardOf(thingName, JOBS_TABLE.deadlineIndex.shardCount)),
  allTimerShards: () => Array.from({ length: JOBS_TABLE.deadlineIndex.shardCount }, (_, i) => twoDigits(i)),
  /** The executionsByJob partition an execution sits in. */
  jobShard: (jobId: string, thingName: string) =>
    `${jobId}#${twoDigits(shardOf(thingName, JOBS_TABLE.jobExecutionsIndex.shardCount))}`,
  allJobShards: (jobId: string) =>
    Array.from({ length: JOBS_TABLE.jobExecutionsIndex.shardCount }, (_, i) => `${jobId}#${twoDigits(i)}`),
  jobListPartition: JOB_LIST_PARTITION,
  /** A job's sort key in the `jobs` index: newest last, so the index read backwards lists newest first. */
  jobListKey: (createdAt: number, jobId: string) => `${sortableTime(createdAt)}#${jobId}`,
  /**
   * One entry of an execution's history, in its thing's history partition
   * (not the thing's own: history outlives a deleted thing, and DeleteThing's
   * query of the thing's partition never meets it). Sorted by job, then job
   * incarnation (made in creation order), execution number, version and time;
   * everything in the key comes from the change itself, so the same change
   * read twice is the same item.
   */
  historyEntry: (entry: {
    thingName: string;
    jobId: string;
    jobIncarnation: string;
    executionNumber: number;
    versionNumber: number;
    at: number;
    event: string;
  }) => ({
    pk: `${HISTORY_PREFIX}${entry.thingName}`,
    sk:
      `${entry.jobId}#${entry.jobIncarnation}#${tenDigits(entry.executionNumber)}#${tenDigits(entry.versionNumber)}` +
      `${entry.event === 'DELETED' ? '#DELETED' : `#${sortableTime(entry.at)}`}`,
  }),
  /**
   * A job incarnation's counts at one second, beside its job item: the job's
   * progress over time. Seconds sort as text; a job deleted and created again
   * starts a list of its own.
   */
  countsPoint: (point: { jobId: string; jobIncarnation: string; at: number }) => ({
    pk: `${JOB_PREFIX}${point.jobId}`,
    sk: `${COUNTS_POINT_PREFIX}${point.jobIncarnation}#${sortableTime(Math.floor(point.at / 1000))}`,
  }),
  countsPointsOf: (jobIncarnation: string) => `${COUNTS_POINT_PREFIX}${jobIncarnation}#`,
  historyPartition: (thingName: string) => `${HISTORY_PREFIX}${thingName}`,
  /** The sort-key prefix of one job's entries in a thing's history. */
  historyOfJob: (jobId: string) => `${jobId}#`,
  /**
   * A device certificate, by its ID (the SHA-256 of its DER, hex): its status and the things it is attached to, what a
   * device request over mutual TLS reads.
   */
  certificate: (certificateId: string) => ({ pk: `CERT#${certificateId}`, sk: 'CERT' }),
  /** A CA certificate, by its ID, with its count of registered certificates. */
  caCertificate: (certificateId: string) => ({ pk: `CACERT#${certificateId}`, sk: 'CACERT' }),
  /** The registry index's lists of certificates and CA certificates, by creation date. */
  certificateList: 'CERTS',
  caCertificateList: 'CACERTS',
  certificateListKey: (createdAt: number, certificateId: string) => `${sortableTime(createdAt)}#${certificateId}`,
  /** A certificate attached to a thing, in the thing's partition (ListThingPrincipals). */
  thingPrincipal: (thingName: string, certificateId: string) => ({
    pk: `${THING_PREFIX}${thingName}`,
    sk: `${PRINCIPAL_PREFIX}${certificateId}`,
  }),
  thingPrincipalPrefix: 'PRINCIPAL#',
  /** Fleet indexing's configuration: one item for the deployment (AWS keeps one per account and region). */
  indexingConfiguration: { pk: 'CONFIG#INDEXING', sk: 'CONFIG' },
};

/** The thing and job an execution item's key names. */
export function parseExecutionKey(key: { pk: string; sk: string }): { thingName: string; jobId: string } {
  return { thingName: key.pk.slice(THING_PREFIX.length), jobId: key.sk.slice(JOB_PREFIX.length) };
}

/**
 * The key prefixes of the items whose changes the counts aggregator reads (the stream's other records, markers and
 * certificates, it skips).
 */
export const COUNTED_ITEM_PREFIXES = { execution: THING_PREFIX, job: JOB_PREFIX } as const;

/** Is this item (or stream image) an execution, or a job? */
export const isExecutionItem = (item: Record<string, unknown> | undefined): boolean =>
  typeof item?.pk === 'string' &&
  item.pk.startsWith(THING_PREFIX) &&
  typeof item.sk === 'string' &&
  item.sk.startsWith(JOB_PREFIX);
/** Is this item (or stream image) a thing's membership of a group? */
export const isMembershipItem = (item: Record<string, unknown> | undefined): boolean =>
  typeof item?.pk === 'string' &&
  item.pk.startsWith(THING_PREFIX) &&
  typeof item.sk === 'string' &&
  item.sk.startsWith(TREE_PREFIX);
/** The sort-key prefix of membership items: what the membership reactor's stream filter matches. */
export const MEMBERSHIP_SORT_PREFIX = TREE_PREFIX;
/** A thing's item and a group's, by sort key: what the membership reactor's stream filter passes. */
export { GROUP_SORT_KEY, THING_SORT_KEY };
export const isJobItem = (item: Record<string, unknown> | undefined): boolean => item?.sk === JOB_SORT_KEY;
