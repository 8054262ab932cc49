/**
 * Who made a change to an execution: written on the execution item with each
 * change (`changedBy`), so that the history, read off the table's stream, can
 * say who did what without anything on the request path beyond that attribute.
 */
export const ACTOR_KINDS = [
  /** The thing itself, through the device API (HTTP or MQTT). */
  'device',
  /** A caller of the management API: CreateJob, CancelJob, CancelJobExecution, DeleteJob, DeleteThing... */
  'operator',
  /** A step or in-progress timer that ran out (the sweeper, or the device request that met it first). */
  'timer',
  /** A job's rollout rate releasing the execution. */
  'rollout',
  /** A job's abort criteria, met. */
  'abort',
  /** A job's retry config giving a failed or timed-out execution its next attempt. */
  'retry',
  /** A continuous job's group: the thing joined it (created) or left it (removed). */
  'group',
  /** A scheduled job's endTime. */
  'schedule',
  /** The service itself: an execution whose job is gone, removed from its thing's queue. */
  'service',
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Actor {
  kind: ActorKind;
  /** The device's thing name, or the operator's identity (an IAM ARN deployed; the access key ID locally). */
  name?: string;
  /** The API request that made the change, when one did. */
  requestId?: string;
  /** A cancel with force. */
  force?: boolean;
}

/** What the transport knows of an API request: its ID and, for the management API, who signed it. */
export interface RequestOrigin {
  requestId?: string;
  /** The IAM identity that signed a management request (deployed: its ARN; locally: its access key ID). */
  callerIdentity?: string;
}

export const deviceActor = (thingName: string, origin: RequestOrigin): Actor => ({
  kind: 'device',
  name: thingName,
  ...(origin.requestId ? { requestId: origin.requestId } : {}),
});

export const operatorActor = (origin: RequestOrigin, extra: { force?: boolean } = {}): Actor => ({
  kind: 'operator',
  ...(origin.callerIdentity ? { name: origin.callerIdentity } : {}),
  ...(origin.requestId ? { requestId: origin.requestId } : {}),
  ...(extra.force ? { force: true } : {}),
});

export const TIMER_ACTOR: Actor = { kind: 'timer' };
export const SERVICE_ACTOR: Actor = { kind: 'service' };
export const GROUP_ACTOR: Actor = { kind: 'group' };
export const RETRY_ACTOR: Actor = { kind: 'retry' };
export const ROLLOUT_ACTOR: Actor = { kind: 'rollout' };
