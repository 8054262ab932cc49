/** A thing ARN in the account and region the local runner assumes. */
export const thingArn = (thingName: string) => `arn:aws:iot:us-east-1:123456789012:thing/${thingName}`;
