// A job's page: its progress (with the targets not yet released), counts over time, document, configuration, and
// executions with their retry attempt and status details.
import { rowButton } from './actions/job-actions.js';
import { countsChart } from './chart.js';
import {
  COUNT_FIELDS,
  countsOf,
  esc,
  executionLink,
  labelOf,
  legend,
  progressBar,
  STATUSES,
  statusBadge,
  thingOfArn,
  timeText,
} from './views.js';

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
function executionsTable(jobId, executions, filter, paging, details) {
  const options = ['', ...STATUSES]
    .map((s) => `<option value="${s}"${s === filter ? ' selected' : ''}>${s ? labelOf(s) : 'All statuses'}</option>`)
    .join('');
  const rows = executions.executionSummaries.map(({ thingArn, jobExecutionSummary: e }) => {
    const thing = thingOfArn(thingArn);
    return `<tr data-thing="${esc(thing)}">
      <td data-label="Thing"><a href="${executionLink(jobId, thing)}">${esc(thing)}</a></td>
      <td data-label="Status">${statusBadge(e.status)}</td>
      <td data-label="Execution" class="numeric">${e.executionNumber ?? ''}</td>
      <td data-label="Queued">${esc(timeText(e.queuedAt))}</td>
      <td data-label="Started">${esc(timeText(e.startedAt))}</td>
      <td data-label="Last updated">${esc(timeText(e.lastUpdatedAt))}</td>
      <td data-label="Retry attempt" class="numeric">${e.retryAttempt ?? ''}</td>
      <td data-label="Status details" class="details">${detailsText(details.get(thing))}</td>
      <td data-label="Action">${rowButton(thing, e.status)}</td>
    </tr>`;
  });
  return `<div class="toolbar">
      <label for="status-filter">Status</label>
      <select id="status-filter" data-action="filter">${options}</select>
    </div>
    <table class="cards" aria-label="Executions">
      <thead><tr><th scope="col">Thing</th><th scope="col">Status</th><th scope="col" class="numeric">Execution</th><th scope="col">Queued</th><th scope="col">Started</th><th scope="col">Last updated</th><th scope="col" class="numeric">Retry attempt</th><th scope="col">Status details</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
      <tbody>${rows.join('') || `<tr><td colspan="9" class="muted">No executions${filter ? ` ${esc(labelOf(filter).toLowerCase())}` : ''}.</td></tr>`}</tbody>
    </table>
    <div class="pager">
      <button type="button" data-action="previous"${paging.page > 1 ? '' : ' disabled'}>Previous</button>
      <span class="muted">page ${paging.page}</span>
      <button type="button" data-action="next"${executions.nextToken ? '' : ' disabled'}>Next</button>
    </div>`;
}

/** An execution's statusDetails, as its device last reported them. */
const detailsText = (detailsMap) =>
  detailsMap && Object.keys(detailsMap).length ? `<code>${esc(JSON.stringify(detailsMap))}</code>` : '';

/**
 * A job: its counts and bar, its counts over time, its document, its configuration, and its executions. `extra`: the
 * document as stored, each shown execution's statusDetails by thing, and the targets not yet released.
 */
export function jobPage(job, points, executions, filter, paging, actions, extra) {
  const counts = countsOf(job.jobProcessDetails);
  const processing = job.jobProcessDetails?.processingTargets;
  return `<p><a href="#/">← Jobs</a></p>
  <h1>${esc(job.jobId)} ${statusBadge(job.status)}</h1>
  ${job.description ? `<p>${esc(job.description)}</p>` : ''}
  ${actions}
  <section id="progress" class="card" aria-labelledby="progress-heading">
    <h2 id="progress-heading">Progress</h2>
    ${progressBar(counts, true, extra.unreleased)}
    ${legend(counts, extra.unreleased)}
    ${processing?.length ? `<p class="muted">Still creating executions for ${processing.length} target(s).</p>` : ''}
  </section>
  <section aria-labelledby="chart-heading">
    <h2 id="chart-heading">Counts over time</h2>
    <div class="card chart">${countsChart(points, {
      STATUSES,
      COUNT_FIELDS,
      labelOf,
      esc,
      timeText,
      releases: Boolean(job.jobExecutionsRolloutConfig),
    })}</div>
  </section>
  <section aria-labelledby="document-heading">
    <h2 id="document-heading">Document</h2>
    <div class="card"><pre class="document">${esc(extra.document ?? '')}</pre></div>
  </section>
  <section aria-labelledby="config-heading">
    <h2 id="config-heading">Configuration</h2>
    <div class="card">${configuration(job)}</div>
  </section>
  <section aria-labelledby="executions-heading">
    <h2 id="executions-heading">Executions</h2>
    ${executionsTable(job.jobId, executions, filter, paging, extra.details)}
  </section>`;
}
