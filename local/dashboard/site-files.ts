import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

/**
 * Where the dashboard is served, on the management API's own origin (a path AWS does not use), so its calls need no
 * CORS.
 */
export const DASHBOARD_PATH = '/dashboard/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The site's files, by name: nothing else under the folder is served (no path is ever joined from a request). */
const FILES = [
  'index.html',
  'app.js',
  'api.js',
  'views.js',
  'job-page.js',
  'job-reads.js',
  'chart.js',
  'style.css',
  'status-colors.css',
  'forms.css',
  'narrow.css',
  'fleet/reads.js',
  'fleet/views.js',
  'actions/dialog.js',
  'actions/create-job.js',
  'actions/job-actions.js',
  'actions/settings-fields.js',
] as const;

export interface StaticFile {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/**
 * The dashboard's page for a request path, if it is one: `/dashboard` and
 * `/dashboard/` give the page, `/dashboard/<file>` one of its files, any
 * other path under it a 404; a path outside it is not the dashboard's.
 */
export async function dashboardFile(pathname: string): Promise<StaticFile | undefined> {
  if (pathname === DASHBOARD_PATH.slice(0, -1))
    return { statusCode: 308, headers: { location: DASHBOARD_PATH }, body: '' };
  if (!pathname.startsWith(DASHBOARD_PATH)) return undefined;
  const name = pathname.slice(DASHBOARD_PATH.length) || 'index.html';
  if (!(FILES as readonly string[]).includes(name))
    return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `No ${pathname} here` };
  const body = await readFile(new URL(`./site/${name}`, import.meta.url));
  // The page is a few kilobytes and changes with the code: always the current one.
  return {
    statusCode: 200,
    headers: {
      'content-type': CONTENT_TYPES[extname(name)]!,
      'cache-control': 'no-cache',
      // Its buttons act: no page of another origin may frame it and trick a click (clickjacking).
      'content-security-policy': "frame-ancestors 'none'",
      'x-frame-options': 'DENY',
    },
    body,
  };
}
