import type { AssociateTargetsInput } from '../../jobs/management/inputs';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { targetOfArn } from './create-job-request';
import { FREE_TEXT_PATTERN, optionalString, refuseUnsupported, requireObject, validateJobId } from './validation';

const MAX_COMMENT_CHARS = 2028;

/**
 * AssociateTargetsWithJob's input (botocore `iot`): thing group ARNs only, as AWS documents; a comment; no namespace
 * here.
 */
export function parseAssociateTargets(raw: RawRequest): AssociateTargetsInput {
  const jobId = validateJobId(raw.path.jobId);
  refuseUnsupported(raw.query, ['namespaceId']);
  const body = requireObject('request body', raw.body ?? {});
  if (!Array.isArray(body.targets) || body.targets.length === 0)
    throw new InvalidRequestException('targets: must be a list of at least one thing group ARN');
  const targets: string[] = [];
  const groupNames: string[] = [];
  body.targets.forEach((arn: unknown, index: number) => {
    const target = targetOfArn(`targets[${index}]`, arn);
    if (target.kind !== 'thinggroup')
      throw new InvalidRequestException(
        `targets[${index}]: AssociateTargetsWithJob takes thing group ARNs only, not a thing's`,
      );
    if (groupNames.includes(target.name)) return;
    groupNames.push(target.name);
    targets.push(arn as string);
  });
  const comment = optionalString('comment', body.comment, { min: 0, max: MAX_COMMENT_CHARS });
  if (comment && !FREE_TEXT_PATTERN.test(comment))
    throw new InvalidRequestException('comment: must not contain control characters');
  return { jobId, targets, groupNames, ...(comment !== undefined ? { comment } : {}) };
}
