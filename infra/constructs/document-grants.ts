import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { NagSuppressions } from 'cdk-nag';
import type { RouteDefinition } from '../../lambdas/api/route-definition';
import { presignsDocumentUrls, readsDocumentSources } from '../../lambdas/api/route-families/document-access';

/** Where job documents and firmware live, and whose roles presign the URLs devices download them with. */
export interface DocumentAccess {
  /** Buckets a documentSource may name: CreateJob and CreateJobTemplate may read their objects (s3:GetObject). */
  documentBuckets?: readonly string[];
  /**
   * Roles a job's presignedUrlConfig may name (ARNs; IAM's `*` allowed, e.g. a path such as role/iot-jobs-ota/*): the
   * device functions that deliver documents may assume them (sts:AssumeRole) to presign with their credentials.
   */
  presignRoleArns?: readonly string[];
}

/**
 * Grants one route function what its documents need, and nothing when it needs nothing: s3:GetObject on the document
 * buckets' objects to the functions that read a documentSource, sts:AssumeRole on the presigning roles to those that
 * deliver documents to devices. Neither is granted unless the deployer names the buckets or roles.
 */
export function grantDocumentAccess(fn: NodejsFunction, served: readonly RouteDefinition[], access: DocumentAccess) {
  const partition = Stack.of(fn).partition;
  const buckets = access.documentBuckets ?? [];
  const roles = access.presignRoleArns ?? [];
  const suppressed: { reason: string; appliesTo: { regex: string }[] }[] = [];
  if (buckets.length && served.some(readsDocumentSources)) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: buckets.map((bucket) => `arn:${partition}:s3:::${bucket}/*`),
      }),
    );
    suppressed.push({
      reason:
        's3:GetObject is granted on the objects of the document buckets the deployer named (bucket/*): a documentSource may name any key in them, as AWS IoT reads it.',
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:s3:::.+\\/\\*$/g' }],
    });
  }
  if (roles.length && served.some(presignsDocumentUrls)) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [...roles] }));
    if (roles.some((role) => role.includes('*')))
      suppressed.push({
        reason:
          'sts:AssumeRole is granted on the presigning roles the deployer named, a pattern among them (a path of job roles); nothing else is assumed.',
        appliesTo: [{ regex: '/^Resource::arn:[^:]+:iam::.+$/g' }],
      });
  }
  if (suppressed.length && fn.role)
    NagSuppressions.addResourceSuppressions(
      fn.role,
      suppressed.map((s) => ({ id: 'AwsSolutions-IAM5', ...s })),
      true,
    );
}
