import { esc } from './html.js';

interface Edge { from: string; to: string; label: string }

/** The states and transitions of a flat xstate machine config (targets without `#`/`.` prefixes). */
export function machineGraph(config: { states?: Record<string, { on?: Record<string, unknown> }> }): { states: string[]; edges: Edge[] } {
  const states = Object.keys(config.states ?? {});
  const edges: Edge[] = [];
  for (const [from, node] of Object.entries(config.states ?? {})) {
    for (const [event, def] of Object.entries(node.on ?? {})) {
      const list = Array.isArray(def) ? def : [def];
      for (const t of list) {
        const target = typeof t === 'string' ? t : (t as { target?: string | string[] } | undefined)?.target;
        const to = (Array.isArray(target) ? target[0] : target)?.replace(/^[.#]/, '').replace(/^\w+\./, '') ?? from;
        const guard = typeof t === 'object' && t && 'guard' in t ? (t as { guard?: unknown }).guard : undefined;
        const g = typeof guard === 'string' ? ` [${guard}]` : guard ? ' [guarded]' : '';
        if (to !== from && !edges.some((e) => e.from === from && e.to === to && e.label.startsWith(event))) edges.push({ from, to, label: `${event}${g}` });
      }
    }
  }
  return { states, edges };
}

/**
 * Draw a flat statechart as SVG: states on a circle, transitions as labelled arrows, the current
 * state filled. No client-side code, no external assets.
 */
export function statechartSvg(title: string, config: Parameters<typeof machineGraph>[0], current: string | null): string {
  const { states, edges } = machineGraph(config);
  const W = 760;
  const H = 420;
  const cx = W / 2;
  const cy = H / 2 + 10;
  const rx = 270;
  const ry = 150;
  const pos = new Map(states.map((s, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(states.length, 1);
    return [s, { x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) }];
  }));
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(title)}">`);
  parts.push('<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#66707f"/></marker></defs>');
  parts.push(`<text x="12" y="22" font-size="15" font-weight="600">${esc(title)}</text>`);
  edges.forEach((e, i) => {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) return;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const off = 14 * ((i % 2) ? 1 : -1);
    const nx = (-dy / len) * off;
    const ny = (dx / len) * off;
    const x1 = a.x + (dx / len) * 62 + nx;
    const y1 = a.y + (dy / len) * 22 + ny;
    const x2 = b.x - (dx / len) * 62 + nx;
    const y2 = b.y - (dy / len) * 22 + ny;
    parts.push(`<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#9aa3b0" marker-end="url(#arr)"/>`);
    parts.push(`<text x="${((x1 + x2) / 2 + nx).toFixed(1)}" y="${((y1 + y2) / 2 + ny).toFixed(1)}" font-size="10" fill="#4a5361" text-anchor="middle">${esc(e.label)}</text>`);
  });
  for (const s of states) {
    const p = pos.get(s) as { x: number; y: number };
    const on = s === current;
    parts.push(`<g data-state="${esc(s)}"${on ? ' data-current="true"' : ''}><rect x="${(p.x - 62).toFixed(1)}" y="${(p.y - 20).toFixed(1)}" width="124" height="40" rx="10" fill="${on ? '#1f6feb' : '#ffffff'}" stroke="${on ? '#1f6feb' : '#66707f'}" stroke-width="${on ? 3 : 1.5}"/>`);
    parts.push(`<text x="${p.x.toFixed(1)}" y="${(p.y + 5).toFixed(1)}" font-size="13" text-anchor="middle" fill="${on ? '#fff' : '#1d2330'}">${esc(s)}</text></g>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
