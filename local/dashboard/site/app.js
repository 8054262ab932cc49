// The dashboard: reads the management API from the page's own origin (the local runner serves both; `npm run dashboard`
// signs and forwards), renders the page the address names, and reads it again every few seconds.
import { errorPage, executionPage, jobPage, jobsPage } from './views.js';

const REFRESH_MS = 2000;
const JOBS_SHOWN = 25;
const EXECUTIONS_PER_PAGE = 25;
/** Pages of counts points read for a chart (250 each): the latest 1,000. */
const POINT_PAGES = 4;

async function api(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${response.status} ${body.message ?? response.statusText} (GET ${path})`);
  return body;
}

const query = (params) => {
  const text = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')).toString();
  return text ? `?${text}` : '';
};

async function allPages(path, field, params, pages = Infinity) {
  const items = [];
  let nextToken;
  for (let page = 0; page < pages; page++) {
    const body = await api(`${path}${query({ ...params, nextToken })}`);
    items.push(...(body[field] ?? []));
    nextToken = body.nextToken;
    if (!nextToken) break;
  }
  return items;
}

/** The page the address names: `#/`, `#/jobs/<id>?status=<s>`, `#/jobs/<id>/things/<thing>`. */
function routeOf(hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search);
  if (parts[0] === 'jobs' && parts[1] && parts[2] === 'things' && parts[3])
    return { view: 'execution', jobId: parts[1], thingName: parts[3] };
  if (parts[0] === 'jobs' && parts[1]) return { view: 'job', jobId: parts[1], status: params.get('status') ?? '' };
  return { view: 'jobs' };
}

/** The executions table's pages: the tokens that led to each page so far (reset when the job or the filter changes). */
const paging = { key: '', tokens: [undefined] };

async function render(route) {
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
    return jobPage(job, points.reverse(), executions, route.status, { page: paging.tokens.length });
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
  return executionPage(route.jobId, route.thingName, execution, history);
}

const view = document.getElementById('view');
const refreshed = document.getElementById('refreshed');
let shown = '';
let generation = 0;
let timer;

/** Renders the current address; a page whose HTML did not change is left as it is (focus and scroll stay). */
async function refresh(moved = false) {
  clearTimeout(timer);
  const mine = ++generation;
  let html;
  try {
    html = await render(routeOf(location.hash));
    refreshed.textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    html = errorPage(error.message);
    refreshed.textContent = 'not updated';
  }
  // A newer refresh (the address changed meanwhile) owns the page.
  if (mine !== generation) return;
  if (html !== shown) {
    view.innerHTML = html;
    shown = html;
    view.dataset.ready = 'true';
    if (moved) view.focus();
  }
  timer = setTimeout(() => void refresh(), REFRESH_MS);
}

view.addEventListener('change', (event) => {
  if (event.target.dataset.action !== 'filter') return;
  const route = routeOf(location.hash);
  location.hash = `#/jobs/${encodeURIComponent(route.jobId)}${event.target.value ? `?status=${event.target.value}` : ''}`;
});

view.addEventListener('click', (event) => {
  const action = event.target.closest('button')?.dataset.action;
  if (action === 'next' && paging.next) paging.tokens.push(paging.next);
  else if (action === 'previous' && paging.tokens.length > 1) paging.tokens.pop();
  else return;
  void refresh();
});

window.addEventListener('hashchange', () => void refresh(true));
void refresh();
