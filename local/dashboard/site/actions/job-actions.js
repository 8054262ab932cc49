// What the buttons of a job's page and of an execution's page do: each opens a dialog, and its confirming button makes
// one call of the management API, the one the AWS CLI makes for the same operation.
import { call } from '../api.js';
import { esc } from '../views.js';
import { fieldValue, openDialog } from './dialog.js';
import { commonConfig, commonSettings } from './settings-fields.js';

const jobPath = (jobId) => `/jobs/${encodeURIComponent(jobId)}`;
const executionPath = (thingName, jobId) =>
  `/things/${encodeURIComponent(thingName)}/jobs/${encodeURIComponent(jobId)}`;

const REASON_FIELDS = `<div class="fields">
    <label for="f-reasonCode">Reason code</label><input id="f-reasonCode" name="reasonCode" maxlength="128" pattern="[\\p{Upper}\\p{Digit}_]+">
    <label for="f-comment">Comment</label><textarea id="f-comment" name="comment" maxlength="2028" rows="2"></textarea>
  </div>`;

function cancelJob({ job }, force, done) {
  openDialog({
    title: `${force ? 'Force cancel' : 'Cancel'} job ${job.jobId}?`,
    intro: force
      ? 'Every execution still queued <strong>or in progress</strong> is canceled: a device in the middle of it is not asked first.'
      : 'Executions still queued are canceled; those in progress carry on to their end.',
    fields: REASON_FIELDS,
    confirm: force ? 'Force cancel' : 'Cancel job',
    destructive: true,
    done,
    submit: async (form) => {
      const body = { reasonCode: fieldValue(form, 'reasonCode'), comment: fieldValue(form, 'comment') };
      const answer = await call('PUT', `${jobPath(job.jobId)}/cancel${force ? '?force=true' : ''}`, body);
      return `CancelJob${force ? ' (force)' : ''}: ${answer.jobId ?? job.jobId} is being canceled.`;
    },
  });
}

function deleteJob({ job }, _force, done) {
  openDialog({
    title: `Delete job ${job.jobId}?`,
    intro: 'The job and all its executions are deleted; this cannot be undone.',
    fields: `<div class="fields"><input type="checkbox" id="f-force" name="force"><label for="f-force">Also while executions are in progress (force)</label></div>`,
    confirm: 'Delete job',
    destructive: true,
    done: () => {
      location.hash = '#/';
      return done();
    },
    submit: async (form) => {
      await call('DELETE', `${jobPath(job.jobId)}${fieldValue(form, 'force') ? '?force=true' : ''}`);
      return `DeleteJob: ${job.jobId} is being deleted.`;
    },
  });
}

function updateJob({ job }, _force, done) {
  openDialog({
    title: `Update job ${job.jobId}`,
    intro: 'A setting left empty is left as it is; the abort criterion given replaces the job’s.',
    fields: `<div class="fields"><label for="f-description">Description</label><input id="f-description" name="description" value="${esc(job.description ?? '')}" maxlength="2028"></div>${commonSettings(job)}`,
    confirm: 'Update job',
    done,
    submit: async (form) => {
      const description = fieldValue(form, 'description');
      await call('PATCH', jobPath(job.jobId), {
        ...(description !== undefined && description !== job.description ? { description } : {}),
        ...commonConfig(form),
      });
      return `UpdateJob: ${job.jobId} updated.`;
    },
  });
}

function cancelExecution({ jobId, thingName, execution }, force, done) {
  openDialog({
    title: `${force ? 'Force cancel' : 'Cancel'} the execution of ${jobId} on ${thingName}?`,
    intro: force
      ? 'The execution is canceled even though its device is working on it.'
      : 'A queued execution is canceled; one in progress needs Force cancel execution.',
    confirm: force ? 'Force cancel execution' : 'Cancel execution',
    destructive: true,
    done,
    submit: async () => {
      await call('PUT', `${executionPath(thingName, jobId)}/cancel${force ? '?force=true' : ''}`, {
        ...(execution?.versionNumber ? { expectedVersion: execution.versionNumber } : {}),
      });
      return `CancelJobExecution${force ? ' (force)' : ''}: ${thingName} in ${jobId} canceled.`;
    },
  });
}

const ACTIONS = {
  'cancel-job': (context, done) => cancelJob(context, false, done),
  'force-cancel-job': (context, done) => cancelJob(context, true, done),
  'delete-job': (context, done) => deleteJob(context, false, done),
  'update-job': (context, done) => updateJob(context, false, done),
  'cancel-execution': (context, done) => cancelExecution(context, false, done),
  'force-cancel-execution': (context, done) => cancelExecution(context, true, done),
};

/** Opens the dialog of the button's action; false when the button is not one of these. */
export function openAction(name, context, done) {
  const action = ACTIONS[name];
  if (!action || !context) return false;
  action(context, done);
  return true;
}

/** A job's buttons, by what its status allows (the API refuses the rest anyway, and the dialog would say so). */
export function jobButtons(job) {
  const open = job.status === 'IN_PROGRESS' || job.status === 'SCHEDULED';
  const buttons = [
    ...(open
      ? [
          ['update-job', 'Update job', ''],
          ['cancel-job', 'Cancel job', 'danger'],
          ['force-cancel-job', 'Force cancel', 'danger'],
        ]
      : []),
    ...(job.status === 'DELETION_IN_PROGRESS' ? [] : [['delete-job', 'Delete job', 'danger']]),
  ];
  return buttonsOf(buttons);
}

/** An execution's buttons: cancel while queued, force cancel while queued or in progress. */
export function executionButtons(execution) {
  if (!execution || !['QUEUED', 'IN_PROGRESS'].includes(execution.status)) return '';
  return buttonsOf([
    ...(execution.status === 'QUEUED' ? [['cancel-execution', 'Cancel execution', 'danger']] : []),
    ['force-cancel-execution', 'Force cancel execution', 'danger'],
  ]);
}

const buttonsOf = (buttons) =>
  buttons.length
    ? `<div class="actions">${buttons.map(([action, label, kind]) => `<button type="button" data-op="${action}"${kind ? ` class="${kind}"` : ''}>${esc(label)}</button>`).join('')}</div>`
    : '';

/**
 * The button on an execution's row of a job's table: Cancel while queued, Force cancel while in progress (what
 * CancelJobExecution allows without and with force). It acts on the row's thing in the page's job.
 */
export function rowButton(thingName, status) {
  const [op, label] =
    status === 'QUEUED'
      ? ['cancel-execution', 'Cancel']
      : status === 'IN_PROGRESS'
        ? ['force-cancel-execution', 'Force cancel']
        : [];
  if (!op) return '';
  return `<button type="button" class="danger small" data-op="${op}" data-thing="${esc(thingName)}" aria-label="${esc(`${label} the execution on ${thingName}`)}">${label}</button>`;
}
