// Small dependency-free SVG charts for bench/RESULTS.md.

const COLORS = ['#444', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

function frame(width, height, title, body) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${title}</text>
${body}
</svg>
`;
}

function axes(x0, y0, w, h, xTicks, yTicks, xLabel, yLabel) {
  const parts = [`<line x1="${x0}" y1="${y0}" x2="${x0 + w}" y2="${y0}" stroke="#000"/>`, `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 - h}" stroke="#000"/>`];
  for (const [px, label] of xTicks) parts.push(`<line x1="${px}" y1="${y0}" x2="${px}" y2="${y0 + 4}" stroke="#000"/><text x="${px}" y="${y0 + 16}" text-anchor="middle">${label}</text>`);
  for (const [py, label] of yTicks) parts.push(`<line x1="${x0 - 4}" y1="${py}" x2="${x0}" y2="${py}" stroke="#000"/><text x="${x0 - 6}" y="${py + 4}" text-anchor="end">${label}</text><line x1="${x0}" y1="${py}" x2="${x0 + w}" y2="${py}" stroke="#eee"/>`);
  parts.push(`<text x="${x0 + w / 2}" y="${y0 + 34}" text-anchor="middle">${xLabel}</text>`);
  parts.push(`<text transform="translate(${x0 - 44} ${y0 - h / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`);
  return parts.join('\n');
}

function legend(x, y, names) {
  return names.map((n, i) => `<rect x="${x}" y="${y + i * 16 - 9}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${x + 14}" y="${y + i * 16}">${n}</text>`).join('\n');
}

/** Latency distributions as CDFs: series = {name: samples[]} (ms). */
export function cdfChart(title, series) {
  const W = 640, H = 360, x0 = 70, y0 = 300, w = 420, h = 250;
  const all = Object.values(series).flat();
  const max = Math.max(...all) * 1.05;
  const sx = (v) => x0 + (v / max) * w;
  const sy = (p) => y0 - p * h;
  const lines = Object.entries(series).map(([, samples], i) => {
    const s = [...samples].sort((a, b) => a - b);
    const pts = s.map((v, j) => `${sx(v).toFixed(1)},${sy((j + 1) / s.length).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${pts}"/>`;
  });
  const xt = Array.from({ length: 6 }, (_, i) => [sx((max * i) / 5), `${Math.round((max * i) / 5)}`]);
  const yt = [0, 0.25, 0.5, 0.75, 1].map((p) => [sy(p), `${p * 100}%`]);
  return frame(W, H, title, [axes(x0, y0, w, h, xt, yt, 'wall time per call (ms)', 'share of calls'), ...lines, legend(x0 + w + 12, 60, Object.keys(series))].join('\n'));
}

/** Growth curves on a log-10 x axis: series = {name: [[x, y], ...]}. */
export function growthChart(title, xLabel, yLabel, series) {
  const W = 640, H = 360, x0 = 70, y0 = 300, w = 420, h = 250;
  const pts = Object.values(series).flat();
  const lx = pts.map(([x]) => Math.log10(x));
  const minX = Math.floor(Math.min(...lx)), maxX = Math.ceil(Math.max(...lx));
  const maxY = Math.max(...pts.map(([, y]) => y)) * 1.1 || 1;
  const sx = (x) => x0 + ((Math.log10(x) - minX) / Math.max(1, maxX - minX)) * w;
  const sy = (y) => y0 - (y / maxY) * h;
  const lines = Object.entries(series).map(([, p], i) => {
    const c = COLORS[i % COLORS.length];
    return `<polyline fill="none" stroke="${c}" stroke-width="2" points="${p.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>` +
      p.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${c}"/>`).join('');
  });
  const xt = Array.from({ length: maxX - minX + 1 }, (_, i) => [sx(10 ** (minX + i)), `10^${minX + i}`]);
  const yt = Array.from({ length: 5 }, (_, i) => [sy((maxY * i) / 4), (maxY * i / 4).toPrecision(2)]);
  return frame(W, H, title, [axes(x0, y0, w, h, xt, yt, xLabel, yLabel), ...lines, legend(x0 + w + 12, 60, Object.keys(series))].join('\n'));
}
