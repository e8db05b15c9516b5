import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import type { Context } from 'hono';
import type { ChorusApp } from './http-types.ts';

/** Where `npm install` (vite build) puts the dashboard. */
export const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../../web/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
  /** Vite names files under assets/ by their content hash: they never change, so they are cached for a year. */
  isImmutable: boolean;
  isCompressible: boolean;
  gzip?: Buffer;
  brotli?: Buffer;
}

function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const urlPath = `/${path.relative(dir, full).split(path.sep).join('/')}`;
    const ext = path.extname(entry.name);
    const body = fs.readFileSync(full);
    files.set(urlPath, {
      body,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      isImmutable: urlPath.startsWith('/assets/'),
      isCompressible: COMPRESSIBLE.has(ext) && body.length > 1024,
    });
  }
  return files;
}

// Compressed once, on first request, and kept: the bundle is small and never changes while running.
function encode(file: StaticFile, acceptEncoding: string): { body: Buffer; encoding?: string } {
  if (!file.isCompressible) return { body: file.body };
  if (/\bbr\b/.test(acceptEncoding)) {
    file.brotli ??= brotliCompressSync(file.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } });
    return { body: file.brotli, encoding: 'br' };
  }
  if (/\bgzip\b/.test(acceptEncoding)) {
    file.gzip ??= gzipSync(file.body, { level: 9 });
    return { body: file.gzip, encoding: 'gzip' };
  }
  return { body: file.body };
}

function serve(c: Context, file: StaticFile): Response {
  const headers: Record<string, string> = {
    'content-type': file.type,
    'cache-control': file.isImmutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag: file.etag,
    vary: 'accept-encoding',
    // CSP, frame rules and nosniff: security-headers.ts, on every answer.
  };
  if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, headers);
  const { body, encoding } = encode(file, c.req.header('accept-encoding') ?? '');
  if (encoding) headers['content-encoding'] = encoding;
  return c.body(new Uint8Array(body), 200, headers);
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Chorus</title>
<body style="font:16px system-ui,sans-serif;margin:3rem"><h1>The dashboard is not built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm install</code>) and restart Chorus. The API works without it: <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * Serves the dashboard at GET /: built files as they are, and index.html for every other path
 * that is not the API, so the page's own routes (/settings/users…) load on a refresh.
 */
export function registerDashboard(app: ChorusApp, dir: string = DASHBOARD_DIR): void {
  const files = loadFiles(dir);
  const index = files.get('/index.html');
  app.get('/*', (c) => {
    const requested = c.req.path;
    if (requested.startsWith('/api/')) return c.notFound();
    const file = files.get(requested);
    if (file) return serve(c, file);
    // A missing file (an old asset name) is a 404, not the page.
    if (path.extname(requested) !== '') return c.notFound();
    return index ? serve(c, index) : c.html(NOT_BUILT, 503);
  });
}
