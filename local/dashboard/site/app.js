// The dashboard: reads the management API from the page's own origin (the local runner serves both; `npm run dashboard`
// signs and forwards), renders the page the address names, and reads it again every few seconds.
import { createJobPage, submitCreateJob } from './actions/create-job.js';
import { executionButtons, jobButtons, openAction } from './actions/job-actions.js';
import { allPages, api, query, serviceNow } from './api.js';
import { fleetRoute, renderFleet, searchAddress } from './fleet/reads.js';
import { jobPage } from './job-page.js';
import { jobExtras } from './job-reads.js';
import { errorPage, executionPage, jobsPage, timeText } from './views.js';

const REFRESH_MS = 2000;
const JOBS_SHOWN = 25;
const EXECUTIONS_PER_PAGE = 25;
/** Pages of counts points read for a chart (250 each): the latest 1,000. */
const POINT_PAGES = 4;
/** Things, groups and templates the Create job form lists to pick from. */
const PICKS_SHOWN = 100;

/** The page the address names: `#/`, `#/new`, `#/jobs/<id>?status=<s>`, `#/jobs/<id>/things/<thing>`, a registry page. */
function routeOf(hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search);
  if (parts[0] === 'new') return { view: 'new' };
  const fleet = fleetRoute(parts, params);
  if (fleet) return fleet;
  if (parts[0] === 'jobs' && parts[1] && parts[2] === 'things' && parts[3])
    return { view: 'execution', jobId: parts[1], thingName: parts[3] };
  if (parts[0] === 'jobs' && parts[1]) return { view: 'job', jobId: parts[1], status: params.get('status') ?? '' };
  return { view: 'jobs' };
}

/** What the page shows, for its action buttons: the job, or the execution, as last shown. */
let context;

/** The executions table's pages: the tokens that led to each page so far (reset when the job or the filter changes). */
const paging = { key: '', tokens: [undefined] };

/** The page's HTML for `route`; what its action buttons act on goes into `read.context`. */
async function render(route, read) {
  if (['things', 'thing', 'groups', 'types', 'templates'].includes(route.view)) return renderFleet(route);
  if (route.view === 'new') {
    const [things, groups, templates] = await Promise.all([
      api(`/things${query({ maxResults: PICKS_SHOWN })}`).then((body) => body.things ?? []),
      api(`/thing-groups${query({ maxResults: PICKS_SHOWN })}`).then((body) => body.thingGroups ?? []),
      api(`/job-templates${query({ maxResults: PICKS_SHOWN })}`).then((body) => body.jobTemplates ?? []),
    ]);
    // A form is not redrawn under the operator's typing.
    read.still = true;
    return createJobPage(things, groups, templates);
  }
  if (route.view === 'jobs') {
    const { jobs = [] } = await api(`/jobs${query({ maxResults: JOBS_SHOWN })}`);
    const described = await Promise.all(
      jobs.map((summary) =>
        api(`/jobs/${encodeURIComponent(summary.jobId)}`).then(
          (body) => body.job,
          () => undefined,
        ),
      ),
    );
    return jobsPage(jobs.map((summary, i) => ({ summary, job: described[i] })));
  }
  if (route.view === 'job') {
    const key = `${route.jobId}?${route.status}`;
    if (paging.key !== key) Object.assign(paging, { key, tokens: [undefined] });
    const token = paging.tokens.at(-1);
    const id = encodeURIComponent(route.jobId);
    const [{ job }, points, executions] = await Promise.all([
      api(`/jobs/${id}`),
      allPages(`/history/jobs/${id}`, 'points', { maxResults: 250 }, POINT_PAGES),
      api(`/jobs/${id}/things${query({ status: route.status, maxResults: EXECUTIONS_PER_PAGE, nextToken: token })}`),
    ]);
    paging.next = executions.nextToken;
    read.context = { job };
    const extra = await jobExtras(job, executions);
    const pager = { page: paging.tokens.length };
    return jobPage(job, points.reverse(), executions, route.status, pager, jobButtons(job), extra);
  }
  const [execution, history] = await Promise.all([
    api(`/things/${encodeURIComponent(route.thingName)}/jobs/${encodeURIComponent(route.jobId)}`).then(
      (body) => body.execution,
      (error) => (String(error.message).startsWith('404') ? undefined : Promise.reject(error)),
    ),
    allPages(`/history/things/${encodeURIComponent(route.thingName)}`, 'history', {
      jobId: route.jobId,
      maxResults: 250,
    }),
  ]);
  read.context = { jobId: route.jobId, thingName: route.thingName, execution };
  return executionPage(route.jobId, route.thingName, execution, history, executionButtons(execution));
}

const view = document.getElementById('view');
const refreshed = document.getElementById('refreshed');
let shown = '';
let generation = 0;
let timer;
/** The service's time, as last read, and the wall clock then: the header's clock runs on from it between reads. */
let clockRead;
/** Whether the last read failed: what the page shows is older than the clock says. */
let stale = false;

function showClock(now) {
  if (now !== undefined) clockRead = { service: now, wall: Date.now() };
  if (!clockRead) {
    refreshed.textContent = stale ? 'not updated' : 'loading…';
    return;
  }
  const seconds = Math.floor((clockRead.service + Date.now() - clockRead.wall) / 1000);
  refreshed.textContent = `service time ${timeText(seconds)}${stale ? ' (not updated)' : ''}`;
  refreshed.setAttribute('datetime', new Date(seconds * 1000).toISOString());
}
setInterval(() => showClock(), 1000);

/** Whether the operator is in a field of one of the page's forms (typing a search, say). */
const typing = () =>
  Boolean(
    document.activeElement?.matches('form input, form textarea, form select') && view.contains(document.activeElement),
  );

/** Renders the current address; a page whose HTML did not change is left as it is (focus and scroll stay). */
async function refresh(moved = false) {
  clearTimeout(timer);
  const mine = ++generation;
  const address = location.hash;
  let html;
  const read = {};
  try {
    html = await render(routeOf(address), read);
    stale = false;
    showClock(await serviceNow());
  } catch (error) {
    html = errorPage(error.message);
    stale = true;
    showClock();
  }
  // A newer refresh (the address changed meanwhile) owns the page.
  if (mine !== generation) return;
  view.dataset.reads = String(Number(view.dataset.reads ?? 0) + 1);
  if (!moved && html !== shown && typing()) {
    // Redrawn now, the field would lose what the operator is typing: the page is read again in a moment.
    timer = setTimeout(() => void refresh(), REFRESH_MS);
    return;
  }
  context = read.context;
  // Which address the page now shows: until it is this one, a form on screen may belong to the address before.
  view.dataset.address = address;
  if (html !== shown) {
    view.innerHTML = html;
    shown = html;
    view.dataset.ready = 'true';
    if (moved) view.focus();
  }
  if (!read.still) timer = setTimeout(() => void refresh(), REFRESH_MS);
}

view.addEventListener('change', (event) => {
  if (event.target.dataset.action !== 'filter') return;
  const route = routeOf(location.hash);
  location.hash = `#/jobs/${encodeURIComponent(route.jobId)}${event.target.value ? `?status=${event.target.value}` : ''}`;
});

view.addEventListener('click', (event) => {
  const button = event.target.closest('button');
  // A row's button acts on its own thing's execution of the page's job.
  const acted =
    button?.dataset.thing && context?.job ? { jobId: context.job.jobId, thingName: button.dataset.thing } : context;
  if (button?.dataset.op && openAction(button.dataset.op, acted, () => refresh())) return;
  const action = button?.dataset.action;
  if (action === 'next' && paging.next) paging.tokens.push(paging.next);
  else if (action === 'previous' && paging.tokens.length > 1) paging.tokens.pop();
  else return;
  void refresh();
});

view.addEventListener('submit', (event) => {
  const form = event.target.dataset.form;
  if (form !== 'create-job' && form !== 'search-things') return;
  event.preventDefault();
  if (form === 'search-things') location.hash = searchAddress(event.target);
  else void submitCreateJob(event.target);
});

window.addEventListener('hashchange', () => void refresh(true));
void refresh();
