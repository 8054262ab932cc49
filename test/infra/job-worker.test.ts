import { describe, expect, it } from 'vitest';
import { JOB_WORKER_TIMEOUT } from '../../infra/constructs/job-worker';
import { functionIdOf, JOB_WORKER, ROUTES } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const { apiTemplate } = synthStacks();
const { resources, ofType, statementsOf, actionsOf, functionStartingWith } = templateResources(apiTemplate);
const workerId = () => functionStartingWith(`JobWorker${JOB_WORKER.id}`);
const queueId = () => ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('JobWorkerQueue'))![0];
const deadLettersId = () => ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('JobWorkerDeadLetters'))![0];
const mapping = () =>
  ofType('AWS::Lambda::EventSourceMapping').find(([id]) => id.startsWith('JobWorker'))![1].Properties;
const environmentOf = (id: string) => resources[id]!.Properties.Environment.Variables as Record<string, unknown>;
const sendsToQueue = (id: string) =>
  statementsOf(id).some(
    (s) => actionsOf([s]).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(queueId()),
  );

describe('JobWorker', () => {
  it('takes its messages from the job work queue, one at a time, reporting each failed one', () => {
    expect(mapping()).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      FunctionName: { Ref: workerId() },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('sets a message aside in the dead-letter queue after a bounded number of failed runs', () => {
    expect(resources[queueId()]!.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId(), 'Arn'] },
      maxReceiveCount: JOB_WORKER.maxReceiveCount,
    });
  });

  it('hands a message out again only after six times the worker may run', () => {
    expect(resources[queueId()]!.Properties.VisibilityTimeout).toBe(JOB_WORKER_TIMEOUT.toSeconds() * 6);
  });

  it('keeps both queues encrypted', () => {
    for (const id of [queueId(), deadLettersId()]) expect(resources[id]!.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('is invoked every minute by a schedule that asks again for stalled work', () => {
    const rule = ofType('AWS::Events::Rule').find(([id]) => id.startsWith('JobWorker'))![1].Properties;
    expect(rule.ScheduleExpression).toBe(`rate(${JOB_WORKER.resumeEveryMinutes} minute)`);
    expect((rule.Targets as { Arn: unknown }[]).map((t) => t.Arn)).toEqual([{ 'Fn::GetAtt': [workerId(), 'Arn'] }]);
  });

  it('has an alarm on the dead-letter queue', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([id]) => id.startsWith('JobWorkerDeadLettersAlarm'));
    expect(alarms.map(([, a]) => JSON.stringify(a.Properties.Dimensions))).toEqual([
      expect.stringContaining(deadLettersId()),
    ]);
  });

  it('is granted exactly its table actions, on the table and the two indexes it reads', () => {
    const table = statementsOf(workerId()).find((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))!;
    expect(actionsOf([table]).sort()).toEqual([...JOB_WORKER.tableActions].sort());
    const indexes = JSON.stringify(table.Resource).match(/\/index\/[a-zA-Z]+/g);
    expect(indexes?.sort()).toEqual(JOB_WORKER.queryIndexes.map((i) => `/index/${i}`).sort());
  });

  it('may queue the rest of a job itself', () => {
    expect(sendsToQueue(workerId())).toBe(true);
    expect(JSON.stringify(environmentOf(workerId())[ENVIRONMENT.workQueueUrl])).toContain(queueId());
  });

  it('lets exactly the routes that start job work send to its queue, and tells them where it is', () => {
    for (const route of ROUTES.filter((r) => r.api === 'management')) {
      // The function's own logical ID: its construct ID and CDK's 8-character hash (DescribeJob is not
      // DescribeJobExecution).
      const id = ofType('AWS::Lambda::Function').find(
        ([fid]) => fid.startsWith(functionIdOf(route)) && fid.length === functionIdOf(route).length + 8,
      )![0];
      expect({
        route: route.operation,
        sends: sendsToQueue(id),
        told: ENVIRONMENT.workQueueUrl in environmentOf(id),
      }).toEqual({
        route: route.operation,
        sends: route.requestsWork === true,
        told: route.requestsWork === true,
      });
    }
  });

  it('runs for at most its time limit', () => {
    expect(resources[workerId()]!.Properties.Timeout).toBe(JOB_WORKER_TIMEOUT.toSeconds());
  });
});
