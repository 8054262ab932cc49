// The settings a job is created or updated with (rollout rate, abort criterion, timeout; retry and schedule when
// created), as form fields and back as the API's config objects: only what was filled in is sent.
import { esc } from '../views.js';
import { fieldValue, numberOf } from './dialog.js';

const FAILURE_TYPES = ['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'];

const field = (name, label, value, attributes = '') =>
  `<label for="f-${name}">${esc(label)}</label><input id="f-${name}" name="${name}" value="${esc(value ?? '')}" ${attributes}>`;
const select = (name, label, options, value) =>
  `<label for="f-${name}">${esc(label)}</label><select id="f-${name}" name="${name}">${options
    .map((o) => `<option${o === value ? ' selected' : ''}>${esc(o)}</option>`)
    .join('')}</select>`;
const NUMBER = 'type="number" inputmode="numeric" min="0"';

/** Rollout rate, abort criterion and timeout, filled with the job's current ones (`job` may be undefined). */
export function commonSettings(job) {
  const criterion = job?.abortConfig?.criteriaList?.[0];
  return `<fieldset><legend>Rollout</legend><div class="fields">
      ${field('maximumPerMinute', 'Releases per minute', job?.jobExecutionsRolloutConfig?.maximumPerMinute, `${NUMBER} max="1000"`)}
    </div></fieldset>
    <fieldset><legend>Abort when</legend><div class="fields">
      ${select('abortFailureType', 'Failure type', FAILURE_TYPES, criterion?.failureType)}
      ${field('abortThresholdPercentage', 'Threshold (%)', criterion?.thresholdPercentage, `${NUMBER} max="100" step="any"`)}
      ${field('abortMinExecuted', 'After at least (things)', criterion?.minNumberOfExecutedThings, NUMBER)}
    </div></fieldset>
    <fieldset><legend>Timeout</legend><div class="fields">
      ${field('inProgressTimeoutInMinutes', 'In progress for at most (minutes)', job?.timeoutConfig?.inProgressTimeoutInMinutes, NUMBER)}
    </div></fieldset>`;
}

/** Retry and schedule: CreateJob's only. */
export function createOnlySettings() {
  return `<fieldset><legend>Retry</legend><div class="fields">
      ${select('retryFailureType', 'Failure type', FAILURE_TYPES, 'FAILED')}
      ${field('numberOfRetries', 'Retries', '', `${NUMBER} max="10"`)}
    </div></fieldset>
    <fieldset><legend>Schedule (the service's time, UTC)</legend><div class="fields">
      ${field('startTime', 'Start', '', 'type="datetime-local"')}
      ${field('endTime', 'End', '', 'type="datetime-local"')}
      ${select('endBehavior', 'At the end', ['STOP_ROLLOUT', 'CANCEL', 'FORCE_CANCEL'], 'STOP_ROLLOUT')}
    </div></fieldset>`;
}

/** The rollout, abort and timeout configs the form asks for, by the API's field names. */
export function commonConfig(form) {
  const config = {};
  const maximumPerMinute = numberOf(form, 'maximumPerMinute');
  if (maximumPerMinute !== undefined) config.jobExecutionsRolloutConfig = { maximumPerMinute };
  const thresholdPercentage = numberOf(form, 'abortThresholdPercentage');
  if (thresholdPercentage !== undefined)
    config.abortConfig = {
      criteriaList: [
        {
          failureType: fieldValue(form, 'abortFailureType'),
          action: 'CANCEL',
          thresholdPercentage,
          minNumberOfExecutedThings: numberOf(form, 'abortMinExecuted') ?? 1,
        },
      ],
    };
  const inProgressTimeoutInMinutes = numberOf(form, 'inProgressTimeoutInMinutes');
  if (inProgressTimeoutInMinutes !== undefined) config.timeoutConfig = { inProgressTimeoutInMinutes };
  return config;
}

/** The retry and scheduling configs the form asks for. */
export function createOnlyConfig(form) {
  const config = {};
  const numberOfRetries = numberOf(form, 'numberOfRetries');
  if (numberOfRetries !== undefined)
    config.jobExecutionsRetryConfig = {
      criteriaList: [{ failureType: fieldValue(form, 'retryFailureType'), numberOfRetries }],
    };
  const startTime = fieldValue(form, 'startTime');
  const endTime = fieldValue(form, 'endTime');
  if (startTime || endTime)
    config.schedulingConfig = {
      ...(startTime ? { startTime } : {}),
      ...(endTime ? { endTime } : {}),
      endBehavior: fieldValue(form, 'endBehavior'),
    };
  return config;
}
