import type { SimulationResult, TimelineRow } from './simulation';

/**
 * The simulation as a line chart (SVG): things per state over simulated minutes, with the abort and the retries marked.
 */

const WIDTH = 900;
const HEIGHT = 480;
const PAD = { left: 60, right: 180, top: 50, bottom: 50 };
const SERIES: { key: keyof TimelineRow; label: string; color: string }[] = [
  { key: 'released', label: 'released', color: '#1f77b4' },
  { key: 'succeeded', label: 'succeeded', color: '#2ca02c' },
  { key: 'failed', label: 'failed', color: '#d62728' },
  { key: 'timedOut', label: 'timed out', color: '#ff7f0e' },
  { key: 'canceled', label: 'canceled', color: '#7f7f7f' },
];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function drawSimulation(result: SimulationResult): string {
  const { rows, events, input } = result;
  const lastMinute = Math.max(1, rows[rows.length - 1]?.minute ?? 1);
  const top = Math.max(1, input.fleet.size);
  const x = (minute: number) => PAD.left + (minute / lastMinute) * (WIDTH - PAD.left - PAD.right);
  const y = (n: number) => HEIGHT - PAD.bottom - (n / top) * (HEIGHT - PAD.top - PAD.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<title>${escapeXml(`Rollout simulation: ${input.name}`)}</title>`);
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  parts.push(`<text x="${PAD.left}" y="24" font-size="16" font-weight="bold">${escapeXml(input.name)}</text>`);
  parts.push(
    `<text x="${PAD.left}" y="40" fill="#555">${escapeXml(`${input.fleet.size} things, ${Math.round(input.fleet.failureRate * 100)}% of attempts fail; things per state over simulated minutes`)}</text>`,
  );
  // Axes and grid.
  for (let i = 0; i <= 4; i++) {
    const n = Math.round((top * i) / 4);
    parts.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(n)}" y2="${y(n)}" stroke="#eee"/>`);
    parts.push(`<text x="${PAD.left - 8}" y="${y(n) + 4}" text-anchor="end">${n}</text>`);
  }
  const step = Math.max(1, Math.ceil(lastMinute / 10));
  for (let m = 0; m <= lastMinute; m += step)
    parts.push(`<text x="${x(m)}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${m}</text>`);
  parts.push(
    `<text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">simulated minutes</text>`,
  );
  parts.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#333"/>`);
  parts.push(
    `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${HEIGHT - PAD.bottom}" y2="${HEIGHT - PAD.bottom}" stroke="#333"/>`,
  );
  // Series, each with its label in the legend.
  SERIES.forEach((series, i) => {
    const points = rows
      .map((row) => `${x(row.minute).toFixed(1)},${y(row[series.key] as number).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline data-series="${series.key}" fill="none" stroke="${series.color}" stroke-width="2" points="${points}"/>`,
    );
    parts.push(
      `<rect x="${WIDTH - PAD.right + 16}" y="${PAD.top + i * 20}" width="12" height="12" fill="${series.color}"/>`,
    );
    parts.push(`<text x="${WIDTH - PAD.right + 34}" y="${PAD.top + i * 20 + 10}">${series.label}</text>`);
  });
  // Where the abort and the retries fired.
  for (const event of events.filter((e) => e.kind !== 'end')) {
    const ex = x(event.minute);
    if (event.kind === 'abort') {
      parts.push(
        `<line data-event="abort" x1="${ex}" x2="${ex}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#d62728" stroke-dasharray="6 4"/>`,
      );
      parts.push(`<text x="${ex + 4}" y="${PAD.top + 12}" fill="#d62728">abort at minute ${event.minute}</text>`);
    } else {
      parts.push(
        `<path data-event="retries" d="M ${ex} ${HEIGHT - PAD.bottom - 2} l -5 -9 l 10 0 z" fill="#9467bd"><title>${escapeXml(`${event.text} (minute ${event.minute})`)}</title></path>`,
      );
    }
  }
  if (events.some((e) => e.kind === 'retries')) {
    parts.push(
      `<path d="M ${WIDTH - PAD.right + 22} ${PAD.top + SERIES.length * 20 + 12} l -5 -9 l 10 0 z" fill="#9467bd"/>`,
    );
    parts.push(`<text x="${WIDTH - PAD.right + 34}" y="${PAD.top + SERIES.length * 20 + 10}">retries released</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
