/** Escape text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A trusted HTML fragment (already escaped). */
export interface Html {
  readonly html: string;
}

/** Mark a string as trusted HTML. */
export function raw(html: string): Html {
  return { html };
}

/** Tagged template: interpolations are escaped unless they are {@link Html} (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const part = (x: unknown): string => (x !== null && typeof x === 'object' && 'html' in (x as object) ? (x as Html).html : esc(x));
    out += Array.isArray(v) ? v.map(part).join('') : part(v);
    out += strings[i + 1] ?? '';
  });
  return { html: out };
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}
header a{color:#cfe3ff;text-decoration:none} header .who{margin-left:auto;opacity:.8}
main{max-width:1050px;margin:20px auto;padding:0 20px}
table{border-collapse:collapse;width:100%;background:#fff} th,td{padding:7px 9px;border-bottom:1px solid #e3e6eb;text-align:left;vertical-align:top}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace} pre{background:#fff;border:1px solid #e3e6eb;padding:10px;overflow:auto;white-space:pre-wrap;word-break:break-all}
.card{background:#fff;border:1px solid #e3e6eb;border-radius:6px;padding:14px 18px;margin:14px 0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;background:#e3e6eb}
.risk-dangerous,.st-denied{background:#ffd9d9}.risk-high,.st-blocked_until_approved,.st-pending{background:#ffe9c7}.risk-medium{background:#fff5c2}.st-approved,.risk-safe,.risk-none{background:#d8f5dc}
button{font:inherit;padding:6px 16px;border-radius:5px;border:1px solid #888;cursor:pointer} button.approve{background:#1f8f3a;color:#fff;border-color:#1f8f3a} button.deny{background:#b3261e;color:#fff;border-color:#b3261e}
form.inline{display:inline} .muted{color:#66707f} .ok{color:#1f8f3a} .bad{color:#b3261e}
input[type=text],input[type=password]{font:inherit;padding:5px 8px;width:260px}
`;

/** The page shell: header with navigation (and, signed in, the log-out form with the session's CSRF token), then the content. */
export function page(title: string, body: Html, who?: { name: string; csrf: string | null } | null): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · VAIBot</title><style>${STYLE}</style></head><body>
<header><strong>VAIBot</strong><a href="/approvals">Approvals</a><a href="/receipts">Receipts</a><a href="/machines">Statecharts</a>${
    who ? `<span class="who">${esc(who.name)} · <form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${esc(who.csrf ?? '')}"><button style="padding:1px 8px">Log out</button></form></span>` : ''
  }</header><main>${body.html}</main></body></html>`;
}
