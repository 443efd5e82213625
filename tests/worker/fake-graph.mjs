// A fake Graph API (Meta's WhatsApp Cloud API) on 127.0.0.1: it records every
// request, checks the bearer token, answers sends in Meta's shapes, answers any
// error code it is told to (`next(metaError(131047))`), pages its template list,
// and signs webhooks with an app secret. Shapes from ../../../shared/spec/meta-cloud-api.md
// and Meta's reference.
import { createServer } from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';

/** Meta's error answer for `code`: `{ status, body }` as a `next` step. */
export function metaError(code, { status = 400, subcode, details, message, type = 'OAuthException', headers } = {}) {
  const error = {
    message: message ?? `(#${code}) ${MESSAGES[code] ?? 'Error'}`,
    type,
    code,
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    error_data: { messaging_product: 'whatsapp', details: details ?? MESSAGES[code] ?? 'Error' },
    fbtrace_id: `A${randomBytes(9).toString('base64url')}`,
  };
  return { status, body: { error }, headers };
}

/** Meta's titles for the codes the proxy meets (its error-codes page). */
const MESSAGES = {
  1: 'An unknown error occurred',
  2: 'Service temporarily unavailable',
  4: 'Application request limit reached',
  10: 'Permission denied',
  100: 'Invalid parameter',
  190: 'Invalid OAuth access token - Cannot parse access token',
  200: 'Permission error',
  80007: 'Rate limit issues',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
  131050: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132012: 'Parameter format does not match format in the created template',
  132015: 'Template is paused',
  132016: 'Template is disabled',
};

/** Meta's HTTP status for a code, as Graph answers it. */
export function metaStatus(code) {
  if (code === 190) return 401;
  if (code === 10 || code === 200) return 403;
  if (code === 132001) return 404;
  if (code === 1 || code === 131000) return 500;
  if (code === 2) return 503;
  return 400;
}

/**
 * `token`: the access token it accepts. `templates`: its template list, served
 * `pageSize` at a time. `next(...steps)` queues answers for the next sends (a step
 * is `{ status, body, headers }` or 'hang'); `sends()` the send requests it got,
 * each with `version`, `phoneNumberId`, `json` and `headers`.
 */
export async function fakeGraph({ token, templates = [], pageSize = 100, appSecret } = {}) {
  let list = templates;
  const seen = [];
  const queue = [];
  const media = new Map();
  let n = 0;
  const sockets = new Set();
  const json = (res, status, body, headers = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => { chunks.push(c); });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const url = new URL(req.url, 'http://graph.local');
      const entry = { method: req.method, url: req.url, path: url.pathname, query: url.searchParams, headers: req.headers, body, raw, at: performance.now() };
      seen.push(entry);
      if (req.headers.authorization !== `Bearer ${token}`) {
        json(res, 401, metaError(190).body, { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token"' });
        return;
      }
      const send = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(url.pathname);
      if (send && req.method === 'POST') {
        entry.version = send[1];
        entry.phoneNumberId = decodeURIComponent(send[2]);
        try { entry.json = JSON.parse(body); } catch { entry.json = undefined; }
        if (entry.json?.status === 'read') {
          json(res, 200, { success: true });
          return;
        }
        const step = queue.length ? queue.shift() : { status: 200 };
        entry.step = step;
        if (step === 'hang') return;
        const to = entry.json?.to;
        const answer = step.body ?? {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: String(to ?? '').replace(/\D/g, '') }],
          messages: [{ id: `wamid.GRAPH${++n}` }],
        };
        json(res, step.status ?? 200, answer, step.headers);
        return;
      }
      // Media: an upload (multipart) gets an id; an id reads back or is deleted.
      if (/^\/v\d+\.\d+\/[^/]+\/media$/.test(url.pathname) && req.method === 'POST') {
        const id = String(4_000_000_000_000 + (++n));
        media.set(id, { type: req.headers['content-type'], size: raw.length });
        json(res, 200, { id });
        return;
      }
      const mediaId = /^\/v\d+\.\d+\/(\d+)$/.exec(url.pathname)?.[1];
      if (mediaId && media.has(mediaId)) {
        if (req.method === 'DELETE') {
          media.delete(mediaId);
          json(res, 200, { success: true });
        } else {
          json(res, 200, { messaging_product: 'whatsapp', url: `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${mediaId}`, mime_type: 'image/jpeg', sha256: 'ab'.repeat(32), file_size: media.get(mediaId).size, id: mediaId });
        }
        return;
      }
      const templatesPath = /^\/(v\d+\.\d+)\/([^/]+)\/message_templates$/.exec(url.pathname);
      if (templatesPath && req.method === 'GET') {
        const start = Number(url.searchParams.get('after') ?? 0);
        const size = Math.min(pageSize, Number(url.searchParams.get('limit') ?? 25));
        const data = list.slice(start, start + size);
        const end = start + data.length;
        const paging = { cursors: { before: String(start), after: String(end) } };
        if (end < list.length) paging.next = `https://graph.facebook.com${url.pathname}?after=${end}`;
        json(res, 200, { data, paging });
        return;
      }
      json(res, 400, { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: 'Anone' } });
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    sends: () => seen.filter((s) => s.phoneNumberId !== undefined && s.json?.status !== 'read'),
    reads: () => seen.filter((s) => s.json?.status === 'read'),
    templateFetches: () => seen.filter((s) => s.path.endsWith('/message_templates')),
    setTemplates: (l) => { list = l; },
    next: (...steps) => queue.push(...steps),
    reset: () => { seen.length = 0; queue.length = 0; },
    /** A webhook body and its `X-Hub-Signature-256`, signed with the app secret. */
    sign: (payload) => {
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      return { text, signature: `sha256=${createHmac('sha256', appSecret).update(text).digest('hex')}` };
    },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }),
  };
}
