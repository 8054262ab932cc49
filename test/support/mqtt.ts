import type { MqttClient } from 'mqtt';

export interface MqttAnswer {
  accepted: boolean;
  body: Record<string, any>;
}

/**
 * Publishes a jobs request and waits for its answer on `/accepted` or `/rejected` (subscribed first), within a
 * deadline.
 */
export async function mqttRequest(
  client: MqttClient,
  topic: string,
  payload: Record<string, unknown>,
  ms = 10_000,
): Promise<MqttAnswer> {
  await client.subscribeAsync([`${topic}/accepted`, `${topic}/rejected`]);
  const answer = new Promise<MqttAnswer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${topic} within ${ms} ms`)), ms);
    const onMessage = (t: string, message: Buffer) => {
      if (t !== `${topic}/accepted` && t !== `${topic}/rejected`) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve({ accepted: t.endsWith('/accepted'), body: JSON.parse(message.toString()) as Record<string, any> });
    };
    client.on('message', onMessage);
  });
  await client.publishAsync(topic, JSON.stringify(payload));
  return answer;
}

/** Every message on the topics given, in arrival order, from now on. */
export function recordMessages(
  client: MqttClient,
  topics: (topic: string) => boolean,
): { topic: string; payload: Record<string, any> }[] {
  const seen: { topic: string; payload: Record<string, any> }[] = [];
  client.on('message', (topic: string, message: Buffer) => {
    if (topics(topic)) seen.push({ topic, payload: JSON.parse(message.toString()) as Record<string, any> });
  });
  return seen;
}
