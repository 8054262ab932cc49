import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where a Chromium is: CHROMIUM_PATH, or Debian's `chromium` package (what .ci/run installs). */
export function chromiumPath(): string {
  const path =
    process.env.CHROMIUM_PATH ??
    ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
  if (!path)
    throw new Error(
      "No Chromium found: install Debian's chromium package (apt-get install chromium), or set CHROMIUM_PATH",
    );
  return path;
}

/** A real headless Chromium, driven by playwright-core (which downloads no browser of its own). */
export async function launchChromium(): Promise<Browser> {
  // As root (CI containers), Chromium's sandbox cannot start; the pages it opens here are our own.
  return await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

/**
 * Opens `hash` of the dashboard at `dashboardUrl` and waits until the page shows that address (not the one before:
 * a hash change re-renders a moment later, so a form found at once may still be the previous page's) and its heading.
 */
export async function openDashboard(page: Page, dashboardUrl: string, hash: string, heading: string): Promise<void> {
  await page.goto(`${dashboardUrl}${hash}`);
  await page.waitForFunction("document.getElementById('view')?.dataset.address === location.hash");
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
