// The management API, as the page calls it: on the page's own origin (the local runner serves both; `npm run dashboard`
// signs and forwards), JSON in and out. A refusal reads as the AWS CLI would print it: status, error type, message.

/** The service's time at the last answer, as the page last learned it (see serviceNow). */
const serviceClock = { offsetMs: 0 };

/** An answer of the API that is not a 2xx, with what the service said. */
export class ApiError extends Error {
  constructor(status, type, message, request) {
    super(`${status} ${type ? `${type}: ` : ''}${message} (${request})`);
    this.status = status;
    this.type = type;
  }
}

/** The error type of a restJson1 answer: its x-amzn-ErrorType header (API Gateway's own refusals too), or its body's. */
const errorTypeOf = (response, body) =>
  (response.headers.get('x-amzn-errortype') ?? body.__type ?? body.code ?? '').split(':')[0].split('#').pop();

export async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { message: text };
  }
  const date = response.headers.get('date');
  if (date && !clockServed) serviceClock.offsetMs = Date.parse(date) - Date.now();
  if (!response.ok)
    // API Gateway's own refusals (IAM's AccessDenied) say Message; the service's say message.
    throw new ApiError(
      response.status,
      errorTypeOf(response, parsed),
      parsed.message ?? parsed.Message ?? response.statusText,
      `${method} ${path}`,
    );
  return parsed;
}

export const api = (path) => call('GET', path);

export const query = (params) => {
  const text = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')).toString();
  return text ? `?${text}` : '';
};

/**
 * The `field` items of up to `pages` pages, each read by `read(nextToken)` (undefined for the first), and whether a
 * page was left unread. A page that holds none but carries a nextToken is read on, as the CLI's paginator does.
 */
export async function pagesOf(read, field, pages = Infinity) {
  const items = [];
  let nextToken;
  for (let page = 0; page < pages; page++) {
    const body = await read(nextToken);
    items.push(...(body[field] ?? []));
    nextToken = body.nextToken;
    if (!nextToken) break;
  }
  return { items, more: Boolean(nextToken) };
}

/** A list operation's `field` items, over its pages (GET, its nextToken in the query). */
export const allPages = async (path, field, params, pages = Infinity) =>
  (await pagesOf((nextToken) => api(`${path}${query({ ...params, nextToken })}`), field, pages)).items;

/** Whether the runner serves its controllable clock: learned on the first read, asked again only while it does. */
let clockServed = true;

/**
 * The service's time now, in epoch milliseconds: the local runner's controllable clock (`/_local/clock`) when it serves
 * one, or else the Date of the API's last answer (a deployed stack, or a runner on the wall clock), carried on.
 */
export async function serviceNow() {
  if (clockServed) {
    try {
      const { now } = await api('/_local/clock');
      serviceClock.offsetMs = now * 1000 - Date.now();
    } catch {
      clockServed = false;
    }
  }
  return Date.now() + serviceClock.offsetMs;
}
