import { BackendError } from './backendErrors.ts';

/**
 * Validates and normalises the `squeeze.backend.endpoint` setting into the base URL that
 * `/completions`, `/chat/completions` and `/models` are appended to.
 *
 * - only http: and https:, with a host;
 * - no user name or password in the URL (they would end up in logs; use squeeze.backend.apiKey);
 * - no query string or fragment;
 * - a bare origin (`http://127.0.0.1:11434`) gets `/v1`, because all four supported servers serve the
 *   OpenAI-compatible API there (Ollama's native API lives under `/api`);
 * - a pasted full route (`.../v1/chat/completions`) is cut back to its base;
 * - any other path is kept as given (proxies such as `/openai/v1`).
 */
const ROUTE_SUFFIXES = ['/chat/completions', '/completions', '/models'];

export function normalizeEndpoint(raw: string): string {
  const trimmed = raw.trim();
  const shown = redactUrl(trimmed);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid(shown, `"${shown}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(shown, `only http and https are supported, not ${url.protocol}`);
  if (url.username || url.password) throw invalid(shown, 'it contains a user name or password; put the key in squeeze.backend.apiKey instead');
  if (url.search || url.hash) throw invalid(shown, 'it must not have a query string or fragment');
  if (!url.hostname) throw invalid(shown, 'it has no host');
  let path = url.pathname.replace(/\/+$/, '');
  for (const suffix of ROUTE_SUFFIXES) {
    if (path.endsWith(suffix)) path = path.slice(0, -suffix.length);
  }
  if (path === '') path = '/v1';
  return `${url.protocol}//${url.host}${path}`;
}

/** Joins the normalised base and a route such as `/models`. */
export function endpointUrl(base: string, route: string): string {
  return base + route;
}

/** Removes credentials from a URL-ish string before it is shown; leaves non-URLs as they are. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

function invalid(url: string, reason: string): BackendError {
  return new BackendError('INVALID_ENDPOINT', { url, detail: reason });
}
