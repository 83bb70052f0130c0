// The endpoint page's chart: delivery attempts per time bucket, stacked by outcome, with the
// bucket's p95 latency as a line — an inline SVG drawn from the stats API's `series`.

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Every bucket of the window, oldest first, with zeros where the API left one out. */
export function buckets(stats, now = Date.now()) {
  const width = stats.bucket_seconds * 1000;
  const first = Math.floor(new Date(stats.since).getTime() / width) * width;
  const byStart = new Map(stats.series.map((b) => [new Date(b.start).getTime(), b]));
  const all = [];
  for (let t = first; t <= now; t += width) {
    const b = byStart.get(t);
    all.push({ start: t, succeeded: b?.succeeded ?? 0, failed: b?.failed ?? 0, p95: b?.p95_ms ?? null });
  }
  return all;
}

/** The chart as an <svg> element for `stats` (the stats API's answer). */
export function attemptsChart(stats) {
  const data = buckets(stats);
  const W = 720, H = 220, left = 44, right = 52, top = 14, bottom = 28;
  const plotW = W - left - right, plotH = H - top - bottom;
  // Four grid steps of whole numbers: counts and milliseconds round up to a multiple of 4.
  const maxCount = Math.ceil(Math.max(4, ...data.map((d) => d.succeeded + d.failed)) / 4) * 4;
  const maxLatency = Math.ceil(Math.max(4, ...data.map((d) => d.p95 ?? 0)) / 4) * 4;
  const step = plotW / Math.max(1, data.length);
  const barW = Math.max(1, step * 0.8);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "data-test": "chart" });
  root.append(svg("title", {}, `Attempts per ${stats.bucket_seconds / 3600} h over the last ${stats.window_hours} h, by outcome, with p95 latency`));
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (plotH * i) / 4;
    root.append(svg("line", { x1: left, x2: left + plotW, y1: y, y2: y, class: "grid" }));
    root.append(svg("text", { x: left - 6, y: y + 4, class: "axis", "text-anchor": "end" }, Math.round((maxCount * i) / 4)));
    root.append(svg("text", { x: left + plotW + 6, y: y + 4, class: "axis latency" }, `${Math.round((maxLatency * i) / 4)} ms`));
  }
  const points = [];
  data.forEach((d, i) => {
    const x = left + i * step + (step - barW) / 2;
    const okH = (plotH * d.succeeded) / maxCount, failH = (plotH * d.failed) / maxCount;
    const label = `${new Date(d.start).toLocaleString()}: ${d.succeeded} succeeded, ${d.failed} failed${d.p95 === null ? "" : `, p95 ${Math.round(d.p95)} ms`}`;
    const bar = (y, height, kind) => {
      const rect = svg("rect", { x, y, width: barW, height, class: kind });
      rect.append(svg("title", {}, label));
      root.append(rect);
    };
    if (d.succeeded) bar(top + plotH - okH, okH, "ok");
    if (d.failed) bar(top + plotH - okH - failH, failH, "fail");
    if (d.p95 !== null) points.push(`${x + barW / 2},${top + plotH - (plotH * d.p95) / maxLatency}`);
  });
  if (points.length > 1) root.append(svg("polyline", { points: points.join(" "), class: "p95" }));
  else if (points.length === 1) {
    const [cx, cy] = points[0].split(",");
    root.append(svg("circle", { cx, cy, r: 3, class: "p95-dot" }));
  }
  const labels = Math.min(6, data.length);
  for (let i = 0; i < labels; i++) {
    const index = Math.round((i * (data.length - 1)) / Math.max(1, labels - 1));
    const d = new Date(data[index].start);
    const text = stats.bucket_seconds >= 86400 ? d.toLocaleDateString() : `${d.toLocaleDateString(undefined, { month: "short", day: "numeric" })} ${String(d.getHours()).padStart(2, "0")}:00`;
    root.append(svg("text", { x: left + index * step + step / 2, y: H - 8, class: "axis", "text-anchor": "middle" }, text));
  }
  return root;
}
