// Every request the dashboard makes: to this server's API only, with the signed-in token as X-Auth-Token.
// The token lives in sessionStorage (this tab, until it closes): never in a URL, never in a cookie.

const TOKEN_KEY = 'netmeter.token';
const API = '/v2.0/metering';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function remember(secret) {
  sessionStorage.setItem(TOKEN_KEY, secret);
}

export function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** GET path?params (a value that is an array repeats the parameter), answered JSON. */
export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of [value].flat()) {
      if (one !== undefined && one !== null && one !== '') {
        query.append(name, one);
      }
    }
  }
  const url = query.size ? `${path}?${query}` : path;
  const response = await fetch(url, {
    headers: { 'X-Auth-Token': token() ?? '', Accept: 'application/json' },
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'error',
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.NeutronError?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return body;
}

/** Every item of a Neutron list, following its next links (kept on this server: only their path is used). */
async function list(plural, params) {
  const items = [];
  let path = `${API}/${plural}`;
  let query = params;
  for (;;) {
    const page = await get(path, query);
    items.push(...page[plural.replaceAll('-', '_')]);
    const next = (page[`${plural.replaceAll('-', '_')}_links`] ?? []).find((link) => link.rel === 'next');
    if (!next) {
      return items;
    }
    const url = new URL(next.href, location.href);
    path = url.pathname;
    query = Object.fromEntries([...new Set(url.searchParams.keys())].map((k) => [k, url.searchParams.getAll(k)]));
  }
}

export const caller = async () => (await get(`${API}/caller`)).caller;
export const labels = () => list('metering-labels', { fields: ['id', 'name', 'project_id'] });
export const routers = () => list('routers', { fields: ['id', 'name', 'project_id'] });
export const usage = async (params) => (await get(`${API}/usage`, params)).usage;
export const billingCycle = async (project) =>
  (await get(`${API}/billing_cycles/${encodeURIComponent(project)}`)).billing_cycle;
export const statement = async (project, period) =>
  (await get(`${API}/statements`, { project_id: project, period })).statement;
export const agents = () => get(`${API}/agents`);
