import { requestOfTopic, thingOfTopic } from './device-topics';

/**
 * What a client may publish and subscribe to on the local broker: AWS IoT's
 * reserved-topic rules under the policy every device gets here (the client ID
 * names the thing, `${iot:ClientId}`), and AWS IoT's message size.
 */

/** AWS IoT Core's limit on a PUBLISH payload ("AWS IoT Core message broker limits and quotas"). */
export const MAX_PAYLOAD_BYTES = 128 * 1024;

/**
 * The largest packet the broker reads: a 128 KiB payload plus room for its fixed header, the longest jobs topic (a
 * 128-character thing name, a 64-character job ID), the packet ID and a few MQTT 5 properties. aedes refuses a bigger
 * one on the length its fixed header declares, before reading the rest, so nobody can make the runner buffer it.
 */
export const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 1024;

/** The jobs events: any client may listen (an operator's tool, a test), none may publish there (the service does). */
const isEventsFilter = (topic: string) =>
  topic === '$aws/events/#' || topic.startsWith('$aws/events/job/') || topic.startsWith('$aws/events/jobExecution/');

const isJobsTopic = (topic: string) => /^\$aws\/things\/[^/]+\/jobs\//.test(topic);

/**
 * Why a client may not publish on a topic, or undefined if it may: only under its own `$aws/things/<thing>/`, and
 * under its `jobs/` only the request topics (`get`, `start-next`, `<jobId>/get`, `<jobId>/update`). The rest of
 * `jobs/` (`notify`, `notify-next`, the `/accepted` and `/rejected` replies) is the service's to publish on: AWS IoT
 * lists them as subscribe-only reserved topics.
 */
export function publishRefusal(clientId: string | undefined, topic: string): string | undefined {
  if (clientId === undefined || thingOfTopic(topic) !== clientId)
    return `client ${clientId} may publish only under $aws/things/${clientId}/`;
  if (isJobsTopic(topic) && !requestOfTopic(topic))
    return `${topic} is published by the service; a client may publish only the jobs request topics`;
  return undefined;
}

/** Whether a client may subscribe to a topic filter: its own thing's topics, and the jobs events. */
export const maySubscribe = (clientId: string | undefined, filter: string): boolean =>
  (clientId !== undefined && thingOfTopic(filter) === clientId) || isEventsFilter(filter);
