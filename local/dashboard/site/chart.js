// A job's counts over time as an SVG step chart: one line per status, from the points of GET /history/jobs/{jobId}.

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { left: 40, right: 12, top: 12, bottom: 28 };
/** Executions a point counts, whatever their status: what the rollout has released by then. */
const releasedAt = (point, fields) => Object.values(fields).reduce((sum, field) => sum + (point[field] ?? 0), 0);

/**
 * What was released in the minute to the latest point: the released count then, less the count of the last point a
 * minute or more before it (or the first). Undefined when nothing was ever released after the first point.
 */
function releaseRate(points, fields) {
  const latest = points.at(-1);
  const before = points.findLast((point) => point.at <= latest.at - 60) ?? points[0];
  if (points.every((point) => releasedAt(point, fields) === releasedAt(points[0], fields))) return undefined;
  return { released: releasedAt(latest, fields), lastMinute: releasedAt(latest, fields) - releasedAt(before, fields) };
}

const COLORS = {
  SUCCEEDED: 'var(--succeeded)',
  FAILED: 'var(--failed)',
  REJECTED: 'var(--rejected)',
  TIMED_OUT: 'var(--timed-out)',
  CANCELED: 'var(--canceled)',
  REMOVED: 'var(--removed)',
  IN_PROGRESS: 'var(--in-progress)',
  QUEUED: 'var(--queued)',
};

/**
 * `points`: oldest first, each `{ at (epoch seconds), numberOf...Things }`. The same points draw the same chart (a
 * refresh with nothing new changes nothing). `releases`: the job has a rollout rate, so what it released is drawn too.
 */
export function countsChart(points, { STATUSES, COUNT_FIELDS, labelOf, esc, timeText, releases = false }) {
  if (!points.length) return '<p class="muted">No counts recorded yet.</p>';
  const first = points[0].at;
  // The latest counts carry on a little past their point, so a last step shows.
  const span = Math.max(points.at(-1).at - first, 1);
  const last = first + span * 1.05;
  const shown = STATUSES.filter((status) => points.some((point) => point[COUNT_FIELDS[status]] > 0));
  // Only a job with a rollout rate releases over time: another's executions are created as fast as they can be.
  const rate = releases ? releaseRate(points, COUNT_FIELDS) : undefined;
  const top = Math.max(
    1,
    ...points.map((point) => Math.max(...shown.map((status) => point[COUNT_FIELDS[status]] ?? 0))),
    ...(rate ? points.map((point) => releasedAt(point, COUNT_FIELDS)) : []),
  );
  const x = (at) => MARGIN.left + ((at - first) / (last - first)) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (n) => HEIGHT - MARGIN.bottom - (n / top) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const lines = shown.map((status) => {
    const field = COUNT_FIELDS[status];
    // A count holds until the next point: a step, not a slope.
    const steps = points.flatMap((point, i) => {
      const value = point[field] ?? 0;
      const next = points[i + 1]?.at ?? last;
      return [`${x(point.at).toFixed(1)},${y(value).toFixed(1)}`, `${x(next).toFixed(1)},${y(value).toFixed(1)}`];
    });
    return `<polyline data-status="${status}" fill="none" stroke="${COLORS[status]}" stroke-width="2" points="${steps.join(' ')}"><title>${esc(labelOf(status))}</title></polyline>`;
  });
  if (rate) {
    // A rollout that releases over time: how many it has released, as a dashed line over the statuses'.
    const steps = points.flatMap((point, i) => {
      const value = y(releasedAt(point, COUNT_FIELDS)).toFixed(1);
      return [`${x(point.at).toFixed(1)},${value}`, `${x(points[i + 1]?.at ?? last).toFixed(1)},${value}`];
    });
    lines.push(
      `<polyline data-status="RELEASED" fill="none" stroke="#202124" stroke-width="1.5" stroke-dasharray="5 3" points="${steps.join(' ')}"><title>Released</title></polyline>`,
    );
  }
  const latest = points.at(-1);
  const rateText = rate ? `${rate.released} released; ${rate.lastMinute} in the minute to ${timeText(latest.at)}` : '';
  const summary = `From ${timeText(first)} to ${timeText(latest.at)}, ${points.length} points; now ${shown.map((s) => `${latest[COUNT_FIELDS[s]] ?? 0} ${labelOf(s).toLowerCase()}`).join(', ')}.`;
  const recent = points.slice(-12).reverse();
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">
      <title id="chart-title">Executions by status over time</title>
      <desc id="chart-desc">${esc(summary)}</desc>
      <line class="axis" x1="${MARGIN.left}" y1="${y(0)}" x2="${WIDTH - MARGIN.right}" y2="${y(0)}"></line>
      <line class="axis" x1="${MARGIN.left}" y1="${y(top)}" x2="${WIDTH - MARGIN.right}" y2="${y(top)}" stroke-dasharray="3 3"></line>
      <text x="${MARGIN.left - 6}" y="${y(top) + 4}" text-anchor="end">${top}</text>
      <text x="${MARGIN.left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>
      <text x="${MARGIN.left}" y="${HEIGHT - 8}">${esc(timeText(first))}</text>
      <text x="${WIDTH - MARGIN.right}" y="${HEIGHT - 8}" text-anchor="end">${esc(timeText(last))}</text>
      ${lines.join('')}
    </svg>
    ${rateText ? `<p class="rate">Releases per minute: ${esc(rateText)}.</p>` : ''}
    <ul class="legend" aria-hidden="true">${shown.map((s) => `<li data-status="${s}"><span class="swatch"></span>${esc(labelOf(s))}</li>`).join('')}${
      rate ? '<li data-status="RELEASED"><span class="swatch"></span>Released (dashed)</li>' : ''
    }</ul>
    <details>
      <summary>The latest points as a table</summary>
      <div class="scroll"><table>
        <thead><tr><th scope="col">Time</th>${shown.map((s) => `<th scope="col" class="numeric">${esc(labelOf(s))}</th>`).join('')}</tr></thead>
        <tbody>${recent.map((point) => `<tr><td>${esc(timeText(point.at))}</td>${shown.map((s) => `<td class="numeric">${point[COUNT_FIELDS[s]] ?? 0}</td>`).join('')}</tr>`).join('')}</tbody>
      </table></div>
    </details>`;
}
