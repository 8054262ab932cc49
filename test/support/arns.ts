import { thingArn as thingArnIn } from '../../lambdas/jobs/shared/arns';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';

/** A thing ARN in the account and region the local runner assumes. */
export const thingArn = (thingName: string) => thingArnIn(DEFAULT_ARN_CONTEXT, thingName);
