import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { DeviceAccess } from './constructs/device-access';

/**
 * The AwsSolutions findings this design answers otherwise, each with its
 * reason. Kept in one place so a new finding shows up as a failing infra test
 * instead of being waved through.
 */
export function suppressAnsweredFindings(
  deviceApi: HttpApi,
  deviceAccess: DeviceAccess,
  streamReaderRoles: IRole[],
  failedBatches: IQueue,
  workDeadLetters: IQueue,
  failedMembershipChanges: IQueue,
): void {
  NagSuppressions.addResourceSuppressions(
    deviceApi,
    [
      {
        id: 'AwsSolutions-APIG4',
        reason:
          deviceAccess.mode === 'mtls'
            ? 'Devices are authenticated by mutual TLS on the custom domain (the execute-api endpoint is disabled), and every handler binds the request to the thing named by the client certificate.'
            : 'The deployer chose deviceAccess=open explicitly: a throwaway sandbox without device authentication, as the README warns.',
      },
    ],
    true,
  );
  for (const role of streamReaderRoles) {
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'dynamodb:ListStreams names no resource in IAM; the event source mapping needs it on "*". Reading records is granted on the table stream only.',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }
  NagSuppressions.addResourceSuppressions(workDeadLetters, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the job work queue's dead-letter queue; the worker's schedule asks again for the jobs of its messages, which stay for inspection.",
    },
  ]);
  NagSuppressions.addResourceSuppressions(failedMembershipChanges, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination (of the membership reactor's stream batches, after retries for as long as the stream keeps them); its messages stay for inspection.",
    },
  ]);
  NagSuppressions.addResourceSuppressions(failedBatches, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination (of the counts aggregator's stream batches); its messages are read by the recount, and one it cannot handle stays for the next run.",
    },
  ]);
}
