// A self-contained API reference at /docs, rendered from the same OpenAPI document as
// /api/openapi.json (no CDN: Chorus is self-hosted and may run offline).

interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
}

/** The OpenAPI shape this page reads. */
export interface OpenApiDocument {
  info: { title: string; version: string };
  paths?: Record<string, Record<string, OpenApiOperation>>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);

/** Renders the list of endpoints, grouped by tag, with a link to the machine-readable document. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const rows = Object.entries(doc.paths ?? {}).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  rows.sort((a, b) => (a.op.tags?.[0] ?? '').localeCompare(b.op.tags?.[0] ?? '') || a.path.localeCompare(b.path));
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.op.tags?.[0] ?? '')}</td><td><code>${r.method}</code></td><td><code>${escapeHtml(r.path)}</code></td><td>${escapeHtml(r.op.summary ?? r.op.description ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse}td,th{padding:.35rem .8rem;border-bottom:1px solid #ddd;text-align:left}code{font-size:14px}</style></head>
<body><h1>${escapeHtml(doc.info.title)} <small>v${escapeHtml(doc.info.version)}</small></h1>
<p>Every request needs <code>Authorization: Bearer &lt;key&gt;</code> (or the dashboard's session cookie). Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<table><thead><tr><th>resource</th><th>method</th><th>path</th><th>what</th></tr></thead><tbody>
${body}
</tbody></table></body></html>`;
}
