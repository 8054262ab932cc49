// What each page shows, as HTML text from the management API's answers: no fetching here.

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
  UNRELEASED: 'Not yet released',
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
export const totalOf = (counts) => STATUSES.reduce((sum, status) => sum + counts[status], 0);

/**
 * A bar with one segment per status, as wide as its share of the job's executions, and one for the targets a rollout
 * rate has not released yet (`unreleased`); its label says the numbers.
 */
export function progressBar(counts, large = false, unreleased = 0) {
  const total = totalOf(counts) + unreleased;
  const shown = [...STATUSES.filter((status) => counts[status] > 0), ...(unreleased > 0 ? ['UNRELEASED'] : [])];
  const numberOf = (s) => (s === 'UNRELEASED' ? unreleased : counts[s]);
  const released = shown.filter((s) => s !== 'UNRELEASED');
  const label =
    total === 0
      ? 'no executions yet'
      : `${totalOf(counts)} executions${released.length ? `: ${released.map((s) => `${counts[s]} ${labelOf(s).toLowerCase()}`).join(', ')}` : ''}${
          unreleased ? `; ${unreleased} targets not yet released` : ''
        }`;
  const segments = shown.map(
    (s) =>
      `<span class="segment" data-status="${s}" style="width:${((numberOf(s) / total) * 100).toFixed(4)}%" title="${numberOf(s)} ${esc(labelOf(s).toLowerCase())}"></span>`,
  );
  return `<div class="progress${large ? ' large' : ''}" role="img" aria-label="${esc(label)}">${segments.join('')}</div>`;
}

export function legend(counts, unreleased = 0) {
  const entries = [
    ...STATUSES.filter((s) => counts[s] > 0).map((s) => [s, counts[s]]),
    ...(unreleased > 0 ? [['UNRELEASED', unreleased]] : []),
  ];
  return `<ul class="legend">${entries
    .map(
      ([s, n]) =>
        `<li data-status="${s}"><span class="swatch" aria-hidden="true"></span>${labelOf(s)} <strong class="count">${n}</strong></li>`,
    )
    .join('')}</ul>`;
}

export const statusBadge = (status) => `<span class="status" data-job-status="${esc(status)}">${esc(status)}</span>`;
export const jobLink = (jobId) => `#/jobs/${encodeURIComponent(jobId)}`;
export const executionLink = (jobId, thingName) => `${jobLink(jobId)}/things/${encodeURIComponent(thingName)}`;
export const thingOfArn = (arn) => arn.slice(arn.indexOf(':thing/') + ':thing/'.length);

/** The jobs list: each job's status, and a progress bar of its executions. */
export function jobsPage(jobs) {
  if (!jobs.length)
    return `<h1>Jobs</h1><p class="muted">No jobs yet. <a href="#/new">Create one</a>, or with <code>aws iot create-job</code>.</p>`;
  const rows = jobs.map(({ summary, job }) => {
    const counts = countsOf(job?.jobProcessDetails);
    return `<tr data-job-id="${esc(summary.jobId)}">
      <td data-label="Job"><a href="${jobLink(summary.jobId)}">${esc(summary.jobId)}</a></td>
      <td data-label="Status">${statusBadge(summary.status)}</td>
      <td data-label="Targets">${esc(summary.targetSelection ?? '')}</td>
      <td data-label="Created">${esc(timeText(summary.createdAt))}</td>
      <td data-label="Executions" class="numeric">${totalOf(counts)}</td>
      <td data-label="Progress">${progressBar(counts)}</td>
    </tr>`;
  });
  return `<h1>Jobs</h1>
  <table class="cards" aria-label="Jobs, newest first">
    <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Targets</th><th scope="col">Created</th><th scope="col" class="numeric">Executions</th><th scope="col">Progress</th></tr></thead>
    <tbody>${rows.join('')}</tbody>
  </table>`;
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
