import type { OperationStats } from '../meters/summary';

interface Panel {
  title: string;
  unit: string;
  value: (side: OperationStats['service']) => number;
  /** A second line under each operation's name. */
  note?: (operation: OperationStats) => string;
}

const PANELS: Panel[] = [
  {
    title: 'Throughput (requests/s, higher is better)',
    unit: 'req/s',
    value: (s) => s.requestsPerSecond,
    note: (o) => `${o.throughputRatio.toFixed(2)} of the floor`,
  },
  { title: 'p99 latency (ms, lower is better)', unit: 'ms', value: (s) => s.p99Ms },
];

const COLORS = { service: '#1f77b4', floor: '#9e9e9e' };
const LABEL_WIDTH = 350;
const BAR_AREA = 470;
const BAR_HEIGHT = 14;
const ROW_HEIGHT = 2 * BAR_HEIGHT + 14;
const PANEL_GAP = 24;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (n: number) => (n >= 100 ? Math.round(n).toString() : n.toFixed(1));

/** Horizontal grouped bars, one pair per operation (the service against its DynamoDB floor), one panel per measure. */
export function drawChart(operations: readonly OperationStats[], subtitle: string): string {
  const width = LABEL_WIDTH + BAR_AREA + 90;
  const panelHeight = 28 + operations.length * ROW_HEIGHT;
  const top = 70;
  const height = top + PANELS.length * (panelHeight + PANEL_GAP);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="12" y="22" font-size="16" font-weight="bold">Device API on the local runner against its DynamoDB floor</text>`,
    `<text x="12" y="40" fill="#555">${escapeXml(subtitle)}</text>`,
    legend(12, 56),
  ];
  PANELS.forEach((panel, p) => {
    const y0 = top + p * (panelHeight + PANEL_GAP);
    const max = Math.max(
      ...operations.flatMap((o) => [panel.value(o.service), panel.value(o.floor)]).filter(Number.isFinite),
      1,
    );
    parts.push(`<text x="12" y="${y0 + 16}" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`);
    operations.forEach((operation, i) => {
      const y = y0 + 28 + i * ROW_HEIGHT;
      const note = panel.note?.(operation);
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + (note ? BAR_HEIGHT - 2 : BAR_HEIGHT + 4)}" text-anchor="end">${escapeXml(operation.label)}</text>`,
      );
      if (note)
        parts.push(
          `<text x="${LABEL_WIDTH - 8}" y="${y + 2 * BAR_HEIGHT - 1}" text-anchor="end" fill="#555">${escapeXml(note)}</text>`,
        );
      (['service', 'floor'] as const).forEach((side, s) => {
        const value = panel.value(operation[side]);
        const length = Number.isFinite(value) ? Math.max(1, (value / max) * BAR_AREA) : 0;
        const barY = y + s * BAR_HEIGHT;
        parts.push(
          `<rect x="${LABEL_WIDTH}" y="${barY}" width="${length.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${COLORS[side]}"/>`,
        );
        parts.push(
          `<text x="${LABEL_WIDTH + length + 4}" y="${barY + BAR_HEIGHT - 3}" fill="#333">${format(value)} ${panel.unit}</text>`,
        );
      });
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function legend(x: number, y: number): string {
  return [
    `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLORS.service}"/>`,
    `<text x="${x + 18}" y="${y}">service (device SDK → HTTP → handler → DynamoDB Local)</text>`,
    `<rect x="${x + 380}" y="${y - 10}" width="12" height="12" fill="${COLORS.floor}"/>`,
    `<text x="${x + 398}" y="${y}">floor (the same DynamoDB calls, sent directly)</text>`,
  ].join('\n');
}
