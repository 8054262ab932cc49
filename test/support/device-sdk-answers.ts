import type { iotjobs, mqtt } from 'aws-iot-device-sdk-v2';
import { Inbox, settledWithin } from './inbox';

/** An answer of the Device SDK's IotJobsClient to a request: from /accepted (with T) or from /rejected. */
export type Answer<T> = {
  accepted: boolean;
  error?: iotjobs.IotJobsError;
  response?: T | iotjobs.model.RejectedErrorResponse;
};

/** The callback an IotJobsClient subscription calls with each message of its topic. */
export type Handler<T> = (error?: iotjobs.IotJobsError, response?: T) => void;

/**
 * Subscribes to an operation's /accepted and /rejected topics with the client's own methods; both arrive in one inbox,
 * tagged, so a test waits for the answer whichever it is.
 */
export async function answersTo<T>(
  subscribeAccepted: (handler: Handler<T>) => Promise<mqtt.MqttSubscribeRequest>,
  subscribeRejected: (handler: Handler<iotjobs.model.RejectedErrorResponse>) => Promise<mqtt.MqttSubscribeRequest>,
): Promise<Inbox<Answer<T>>> {
  const inbox = new Inbox<Answer<T>>();
  await settledWithin(
    subscribeAccepted((error, response) => inbox.push({ accepted: true, error, response })),
    'subscribing to /accepted',
  );
  await settledWithin(
    subscribeRejected((error, response) => inbox.push({ accepted: false, error, response })),
    'subscribing to /rejected',
  );
  return inbox;
}
