import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A virtual key as the LiteLLM stand-in keeps it. */
export interface StandInKey {
  token: string;
  key_alias?: string | null;
  team_id?: string | null;
  metadata?: Record<string, unknown>;
  blocked?: boolean | null;
}

/** A team as the LiteLLM stand-in keeps it. */
export interface StandInTeam {
  team_id: string;
  team_alias?: string | null;
  metadata?: Record<string, unknown>;
  blocked?: boolean | null;
}

/**
 * A stand-in for LiteLLM's admin API (LiteLLM cannot run on these
 * machines): exactly the six endpoints the enforcer calls, as LiteLLM
 * documents them. `GET /key/list` (`return_full_object`, `page`, `size`;
 * `{ keys, total_count, current_page, total_pages }`), `GET /team/list` (an
 * array of teams), `POST /key/block` / `/key/unblock` (`{ key }`: the token
 * hash; answers the key) and `POST /team/block` / `/team/unblock`
 * (`{ team_id }`; answers the team). Every request needs
 * `Authorization: Bearer <master key>`; anything else is a 404.
 */
export async function startLiteLLMStandIn(options: {
  masterKey: string;
  keys: StandInKey[];
  teams: StandInTeam[];
}) {
  const keys = new Map(options.keys.map(k => [k.token, { ...k }]));
  const teams = new Map(options.teams.map(t => [t.team_id, { ...t }]));
  const requests: Array<{ method: string; path: string; body?: unknown }> = [];
  /** Paths (e.g. `/key/block`) answered 500 while listed. */
  const failing = new Set<string>();

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({ method: req.method ?? '', path: url.pathname, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${options.masterKey}`) {
        send(401, { error: { message: 'Authentication Error' } });
        return;
      }
      if (failing.has(url.pathname)) {
        send(500, { error: { message: 'Internal Server Error' } });
        return;
      }
      const route = `${req.method} ${url.pathname}`;
      if (route === 'GET /key/list') {
        if (url.searchParams.get('return_full_object') !== 'true') {
          // Without it LiteLLM lists token hashes only.
          send(200, { keys: [...keys.keys()], total_count: keys.size });
          return;
        }
        const page = Number(url.searchParams.get('page') ?? 1);
        const size = Number(url.searchParams.get('size') ?? 10);
        const all = [...keys.values()];
        send(200, {
          keys: all.slice((page - 1) * size, page * size),
          total_count: all.length,
          current_page: page,
          total_pages: Math.max(1, Math.ceil(all.length / size)),
        });
      } else if (route === 'GET /team/list') {
        send(200, [...teams.values()]);
      } else if (/^POST \/(key|team)\/(block|unblock)$/.test(route)) {
        // `{ key }` (the token hash) for keys, `{ team_id }` for teams.
        const [, kind, verb] = url.pathname.split('/');
        const item =
          kind === 'key' ? keys.get(body?.key) : teams.get(body?.team_id);
        if (!item) {
          send(404, { detail: `${kind === 'key' ? 'Key' : 'Team'} not found` });
          return;
        }
        item.blocked = verb === 'block';
        send(200, item);
      } else {
        send(404, { detail: 'Not Found' });
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    keys,
    teams,
    requests,
    failing,
    /** Tokens and team ids blocked now. */
    blocked: () => [
      ...[...keys.values()].filter(k => k.blocked).map(k => k.token),
      ...[...teams.values()].filter(t => t.blocked).map(t => t.team_id),
    ],
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
