/**
 * What every answer must be, whatever was asked: never a 5xx; a 2xx or 3xx; or a 4xx that is the OAuth
 * error JSON (`{error, error_description}`), or for page routes an HTML page. A 429 (rate limits, login
 * throttling) also says when to come back (Retry-After). `describeFailure` returns why an answer breaks
 * the rule, or undefined.
 */
import { header, type RawRequest, type RawResponse } from './raw-http.ts';
import type { Surface } from './endpoints.ts';

function oauthErrorProblem(res: RawResponse): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch {
    return 'a JSON content type with a body that is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'a JSON body that is not an object';
  const { error, error_description: description } = body as Record<string, unknown>;
  if (typeof error !== 'string' || error === '') return 'no `error` string';
  // RFC 6749 §5.2 makes the description optional (oidc-provider omits it for request_not_supported and a
  // few others); when there is one, it is text.
  if (description !== undefined && typeof description !== 'string') return '`error_description` is not a string';
  return undefined;
}

export function describeFailure(surface: Surface, req: RawRequest, res: RawResponse): string | undefined {
  if (res.status >= 500 || res.status < 200) return `status ${res.status}`;
  if (res.status < 400) return undefined;
  if (res.status === 429 && !header(res, 'retry-after')) return '429 without Retry-After';
  // Node's HTTP parser, not the app, refuses a header block over 16 KiB (raw-http.ts).
  if (res.refusedByParser) return undefined;
  // A HEAD answer has no body to judge.
  if (req.method === 'HEAD') return undefined;
  const type = header(res, 'content-type') ?? '';
  if (/^application\/json\b/i.test(type)) return oauthErrorProblem(res);
  if (/^text\/html\b/i.test(type)) return surface === 'page' ? undefined : `an HTML ${res.status} from an API endpoint`;
  return `a ${res.status} with content type "${type}"`;
}

/** The request and answer, short enough to read in a failure message. */
export function summarize(req: RawRequest, res?: RawResponse): string {
  const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  const lines = [`${req.method} ${cut(req.path)}`, ...req.headers.map(([k, v]) => `${k}: ${cut(v, 200)}`)];
  if (res?.refusedByParser) return [...lines, '→ connection closed by the HTTP parser'].join('\n');
  if (req.chunked) lines.push('transfer-encoding: chunked');
  if (req.body) lines.push('', cut(req.body.toString('latin1')));
  if (res) lines.push('', `→ ${res.status} ${header(res, 'content-type') ?? ''}`, cut(res.body.toString('utf8'), 500));
  return lines.join('\n');
}
