import { describe, expect, it } from 'vitest';
import { dashboardFile } from '../../local/dashboard/site-files';

describe("the dashboard's files", () => {
  it('serves the page at /dashboard/, and sends /dashboard there', async () => {
    const page = await dashboardFile('/dashboard/');
    expect(page).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    expect(String(page!.body)).toContain('<script type="module" src="app.js">');
    expect(await dashboardFile('/dashboard')).toMatchObject({ statusCode: 308, headers: { location: '/dashboard/' } });
  });

  it.each(['app.js', 'api.js', 'views.js', 'chart.js', 'style.css', 'forms.css', 'actions/dialog.js'])(
    'serves %s with its type',
    async (name) => {
      const file = await dashboardFile(`/dashboard/${name}`);
      expect(file?.statusCode).toBe(200);
      expect(file?.headers['content-type']).toMatch(name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      // Its buttons act: no other page may frame it.
      expect(file?.headers).toMatchObject({
        'content-security-policy': "frame-ancestors 'none'",
        'x-frame-options': 'DENY',
      });
    },
  );

  it('serves nothing else under it (no path is joined from a request), and leaves other paths to the API', async () => {
    expect((await dashboardFile('/dashboard/../../package.json'))?.statusCode).toBe(404);
    expect((await dashboardFile('/dashboard/site-files.ts'))?.statusCode).toBe(404);
    expect(await dashboardFile('/jobs')).toBeUndefined();
  });
});
