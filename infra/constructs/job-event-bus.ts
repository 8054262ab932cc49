import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENVIRONMENT } from '../../lambdas/environment';

export interface JobEventBusProps {
  /** The function that puts the events (the counts aggregator, the stream's reader of job and execution changes). */
  publisher: IFunction & { addEnvironment(key: string, value: string): unknown };
  /**
   * `default`: the account's default bus; otherwise (the default) a bus of the stack's own, so rules about jobs sit
   * apart.
   */
  bus?: 'default' | 'own';
}

/**
 * Where AWS IoT Jobs' job and execution events go, deployed: an EventBridge
 * bus (detail-types "IoT Jobs Job Event" and "IoT Jobs Job Execution Event",
 * source `open-iot-jobs`). The publisher may put events on it and nothing else.
 */
export class JobEventBus extends Construct {
  readonly bus: IEventBus;

  constructor(scope: Construct, id: string, props: JobEventBusProps) {
    super(scope, id);
    this.bus =
      props.bus === 'default'
        ? EventBus.fromEventBusName(this, 'Bus', 'default')
        : new EventBus(this, 'Bus', { description: 'IoT Jobs: job and job execution events' });
    this.bus.grantPutEventsTo(props.publisher);
    props.publisher.addEnvironment(ENVIRONMENT.eventBusName, this.bus.eventBusName);
  }
}
