// What each page shows, as HTML text from the management API's answers: no fetching here.
import { countsChart } from './chart.js';

/** Execution statuses, finished ones first: the order of a progress bar's segments and of its legend. */
export const STATUSES = [
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'TIMED_OUT',
  'CANCELED',
  'REMOVED',
  'IN_PROGRESS',
  'QUEUED',
];

/** DescribeJob's jobProcessDetails field of each status. */
export const COUNT_FIELDS = {
  SUCCEEDED: 'numberOfSucceededThings',
  FAILED: 'numberOfFailedThings',
  REJECTED: 'numberOfRejectedThings',
  TIMED_OUT: 'numberOfTimedOutThings',
  CANCELED: 'numberOfCanceledThings',
  REMOVED: 'numberOfRemovedThings',
  IN_PROGRESS: 'numberOfInProgressThings',
  QUEUED: 'numberOfQueuedThings',
};

const LABELS = {
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  REJECTED: 'Rejected',
  TIMED_OUT: 'Timed out',
  CANCELED: 'Canceled',
  REMOVED: 'Removed',
  IN_PROGRESS: 'In progress',
  QUEUED: 'Queued',
};
export const labelOf = (status) => LABELS[status] ?? status;

export const esc = (value) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

/** Epoch seconds (the management API's) as a readable UTC time. */
export const timeText = (seconds) =>
  seconds === undefined
    ? ''
    : new Date(seconds * 1000)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');

export const countsOf = (details) =>
  Object.fromEntries(STATUSES.map((status) => [status, Math.max(0, details?.[COUNT_FIELDS[status]] ?? 0)]));
const totalOf = (counts) => STATUSES.reduce((sum, status) => sum + counts[status], 0);

/** A bar with one segment per status, as wide as its share of the job's executions; its label says the numbers. */
export function progressBar(counts, large = false) {
  const total = totalOf(counts);
  const shown = STATUSES.filter((status) => counts[status] > 0);
  const label =
    total === 0
      ? 'no executions yet'
      : `${total} executions: ${shown.map((s) => `${counts[s]} ${labelOf(s).toLowerCase()}`).join(', ')}`;
  const segments = shown.map(
    (s) =>
      `<span class="segment" data-status="${s}" style="width:${((counts[s] / total) * 100).toFixed(4)}%" title="${counts[s]} ${esc(labelOf(s).toLowerCase())}"></span>`,
  );
  return `<div class="progress${large ? ' large' : ''}" role="img" aria-label="${esc(label)}">${segments.join('')}</div>`;
}

export function legend(counts) {
  return `<ul class="legend">${STATUSES.filter((s) => counts[s] > 0)
    .map(
      (s) =>
        `<li data-status="${s}"><span class="swatch" aria-hidden="true"></span>${labelOf(s)} <strong class="count">${counts[s]}</strong></li>`,
    )
    .join('')}</ul>`;
}

const statusBadge = (status) => `<span class="status" data-job-status="${esc(status)}">${esc(status)}</span>`;
const jobLink = (jobId) => `#/jobs/${encodeURIComponent(jobId)}`;
const executionLink = (jobId, thingName) => `${jobLink(jobId)}/things/${encodeURIComponent(thingName)}`;
export const thingOfArn = (arn) => arn.slice(arn.indexOf(':thing/') + ':thing/'.length);

/** The jobs list: each job's status, and a progress bar of its executions. */
export function jobsPage(jobs) {
  if (!jobs.length)
    return `<h1>Jobs</h1><p class="muted">No jobs yet. <a href="#/new">Create one</a>, or with <code>aws iot create-job</code>.</p>`;
  const rows = jobs.map(({ summary, job }) => {
    const counts = countsOf(job?.jobProcessDetails);
    return `<tr data-job-id="${esc(summary.jobId)}">
      <td><a href="${jobLink(summary.jobId)}">${esc(summary.jobId)}</a></td>
      <td>${statusBadge(summary.status)}</td>
      <td>${esc(summary.targetSelection ?? '')}</td>
      <td>${esc(timeText(summary.createdAt))}</td>
      <td class="numeric">${totalOf(counts)}</td>
      <td>${progressBar(counts)}</td>
    </tr>`;
  });
  return `<h1>Jobs</h1>
  <table aria-label="Jobs, newest first">
    <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Targets</th><th scope="col">Created</th><th scope="col" class="numeric">Executions</th><th scope="col">Progress</th></tr></thead>
    <tbody>${rows.join('')}</tbody>
  </table>`;
}

const TARGETS_SHOWN = 10;
/** A job's targets, one per line: the first few of a long list, and how many more. */
const targetsText = (targets = []) =>
  [
    ...targets.slice(0, TARGETS_SHOWN),
    ...(targets.length > TARGETS_SHOWN ? [`… and ${targets.length - TARGETS_SHOWN} more`] : []),
  ].join('\n');

const CONFIG_FIELDS = [
  'targets',
  'targetSelection',
  'timeoutConfig',
  'jobExecutionsRolloutConfig',
  'abortConfig',
  'jobExecutionsRetryConfig',
  'schedulingConfig',
  'jobTemplateArn',
];

function configuration(job) {
  const times = [
    ['created', timeText(job.createdAt)],
    ['last updated', timeText(job.lastUpdatedAt)],
    ...(job.completedAt ? [['completed', timeText(job.completedAt)]] : []),
    ...(job.reasonCode || job.comment
      ? [['canceled because', [job.reasonCode, job.comment].filter(Boolean).join(': ')]]
      : []),
  ];
  const fields = CONFIG_FIELDS.filter((name) => job[name] !== undefined).map((name) => [
    name,
    name === 'targets'
      ? targetsText(job.targets)
      : typeof job[name] === 'string'
        ? job[name]
        : JSON.stringify(job[name], null, 2),
  ]);
  return `<dl class="config">${[...times, ...fields].map(([name, value]) => `<dt>${esc(name)}</dt><dd><pre>${esc(value)}</pre></dd>`).join('')}</dl>`;
}

/** The executions of one page, with the filter and the pager around them. */
function executionsTable(jobId, executions, filter, paging) {
  const options = ['', ...STATUSES]
    .map((s) => `<option value="${s}"${s === filter ? ' selected' : ''}>${s ? labelOf(s) : 'All statuses'}</option>`)
    .join('');
  const rows = executions.executionSummaries.map(({ thingArn, jobExecutionSummary: e }) => {
    const thing = thingOfArn(thingArn);
    return `<tr data-thing="${esc(thing)}">
      <td><a href="${executionLink(jobId, thing)}">${esc(thing)}</a></td>
      <td>${statusBadge(e.status)}</td>
      <td class="numeric">${e.executionNumber ?? ''}</td>
      <td>${esc(timeText(e.queuedAt))}</td>
      <td>${esc(timeText(e.startedAt))}</td>
      <td>${esc(timeText(e.lastUpdatedAt))}</td>
    </tr>`;
  });
  return `<div class="toolbar">
      <label for="status-filter">Status</label>
      <select id="status-filter" data-action="filter">${options}</select>
    </div>
    <table aria-label="Executions">
      <thead><tr><th scope="col">Thing</th><th scope="col">Status</th><th scope="col" class="numeric">Execution</th><th scope="col">Queued</th><th scope="col">Started</th><th scope="col">Last updated</th></tr></thead>
      <tbody>${rows.join('') || `<tr><td colspan="6" class="muted">No executions${filter ? ` ${esc(labelOf(filter).toLowerCase())}` : ''}.</td></tr>`}</tbody>
    </table>
    <div class="pager">
      <button type="button" data-action="previous"${paging.page > 1 ? '' : ' disabled'}>Previous</button>
      <span class="muted">page ${paging.page}</span>
      <button type="button" data-action="next"${executions.nextToken ? '' : ' disabled'}>Next</button>
    </div>`;
}

/** A job: its counts and bar, its counts over time, its configuration, and its executions. */
export function jobPage(job, points, executions, filter, paging, actions = '') {
  const counts = countsOf(job.jobProcessDetails);
  const processing = job.jobProcessDetails?.processingTargets;
  return `<p><a href="#/">← Jobs</a></p>
  <h1>${esc(job.jobId)} ${statusBadge(job.status)}</h1>
  ${job.description ? `<p>${esc(job.description)}</p>` : ''}
  ${actions}
  <section id="progress" class="card" aria-labelledby="progress-heading">
    <h2 id="progress-heading">Progress</h2>
    ${progressBar(counts, true)}
    ${legend(counts)}
    ${processing?.length ? `<p class="muted">Still creating executions for ${processing.length} target(s).</p>` : ''}
  </section>
  <section aria-labelledby="chart-heading">
    <h2 id="chart-heading">Counts over time</h2>
    <div class="card chart">${countsChart(points, { STATUSES, COUNT_FIELDS, labelOf, esc, timeText })}</div>
  </section>
  <section aria-labelledby="config-heading">
    <h2 id="config-heading">Configuration</h2>
    <div class="card">${configuration(job)}</div>
  </section>
  <section aria-labelledby="executions-heading">
    <h2 id="executions-heading">Executions</h2>
    ${executionsTable(job.jobId, executions, filter, paging)}
  </section>`;
}

const actorText = (actor = {}) =>
  [actor.kind, actor.name, actor.timer && `${actor.timer} timer`, actor.force && 'force'].filter(Boolean).join(' ');

/** One execution: where it stands, and its history as a timeline. */
export function executionPage(jobId, thingName, execution, history, actions = '') {
  const entries = history.map(
    (entry) => `<li data-status="${esc(entry.status)}" data-event="${esc(entry.event)}">
      <div><span class="event">${esc(entry.event)}</span> <span class="muted">→ ${esc(entry.status)}, version ${entry.versionNumber}, execution ${entry.executionNumber}</span></div>
      <div><time datetime="${new Date(entry.at * 1000).toISOString()}">${esc(timeText(entry.at))}</time> by <span class="actor">${esc(actorText(entry.actor))}</span>${
        entry.actor?.requestId ? ` <span class="muted">(request ${esc(entry.actor.requestId)})</span>` : ''
      }</div>
      ${entry.statusDetails ? `<pre>${esc(JSON.stringify(entry.statusDetails))}</pre>` : ''}
    </li>`,
  );
  return `<p><a href="${jobLink(jobId)}">← ${esc(jobId)}</a></p>
  <h1>${esc(thingName)} <span class="muted">in</span> ${esc(jobId)} ${execution ? statusBadge(execution.status) : ''}</h1>
  ${actions}
  ${
    execution
      ? `<dl class="config"><dt>version</dt><dd>${execution.versionNumber}</dd><dt>execution</dt><dd>${execution.executionNumber}</dd><dt>queued</dt><dd>${esc(timeText(execution.queuedAt))}</dd>${
          execution.startedAt ? `<dt>started</dt><dd>${esc(timeText(execution.startedAt))}</dd>` : ''
        }<dt>status details</dt><dd><pre>${esc(JSON.stringify(execution.statusDetails?.detailsMap ?? {}))}</pre></dd></dl>`
      : '<p class="muted">This execution no longer exists; its history stays for the retention period.</p>'
  }
  <h2 id="timeline-heading">Timeline</h2>
  ${entries.length ? `<ol class="timeline" aria-labelledby="timeline-heading">${entries.join('')}</ol>` : '<p class="muted">No history recorded.</p>'}`;
}

export const errorPage = (message) =>
  `<h1>Something went wrong</h1><p class="error" role="alert">${esc(message)}</p><p><a href="#/">← Jobs</a></p>`;
