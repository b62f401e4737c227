import { ShakedownError } from '../errors.ts';
import type { ToxicStream } from '../scenario/index.ts';
import { toxiproxyRequest, ToxiproxyRefusedError } from './toxiproxy-api.ts';

/**
 * A toxic to add. `type` and `attributes` as Toxiproxy 2.12 defines them: latency
 * {latency, jitter} ms, bandwidth {rate} KB/s, slow_close {delay} ms, timeout {timeout} ms, reset_peer
 * {timeout} ms, slicer {average_size, size_variation} bytes {delay} µs, limit_data {bytes}.
 * `toxicity` (0..1, default 1) is rolled once per connection, not per request.
 */
export type ToxicSpec = {
  name: string;
  type: string;
  stream: ToxicStream;
  toxicity?: number;
  attributes: Record<string, number>;
};

export type ToxicState = { name: string; type: string; stream: ToxicStream; toxicity: number; attributes: Record<string, number> };

/** A proxy as the server reports it now; `name` is the name given to createProxy (without the prefix). */
export type ProxyState = { name: string; listen: string; upstream: string; enabled: boolean; toxics: ToxicState[] };

export type ProxyManager = {
  url: string;
  /** Creates a proxy listening on 127.0.0.1:<port the server chose> that forwards to `upstream` ('host:port'). */
  createProxy(name: string, upstream: string): Promise<{ name: string; listen: string }>;
  addToxic(proxyName: string, toxic: ToxicSpec): Promise<ToxicState>;
  removeToxic(proxyName: string, toxicName: string): Promise<void>;
  /** `enabled: false` closes the listener (connections are refused): a dependency "down" on the timeline. */
  setEnabled(proxyName: string, enabled: boolean): Promise<void>;
  get(proxyName: string): Promise<ProxyState>;
  /** The current state of every proxy this manager created (one GET /proxies). */
  stats(): Promise<ProxyState[]>;
  /** Removes the toxics it added and deletes the proxies it created; never throws, returns the problems. */
  cleanup(): Promise<string[]>;
};

export type ProxyManagerOptions = {
  /** Prepended to every proxy name on the server, so runs sharing one server do not collide. Default: ''. */
  namePrefix?: string;
  /** Bound on each API request. Default: 5000. */
  requestTimeoutMs?: number;
};

type RawProxy = { name: string; listen: string; upstream: string; enabled: boolean; toxics?: ToxicState[] };

/**
 * Manages the proxies of one run on the Toxiproxy API at `url`, and remembers what it created so that
 * cleanup() deletes exactly that. Errors are ShakedownError `TOXIPROXY_REFUSED` (with the server's text and
 * HTTP status), `TOXIPROXY_REQUEST_FAILED` (no answer in time) or `TOXIPROXY_INVALID_REQUEST` (bad input).
 */
export function createProxyManager(url: string, options: ProxyManagerOptions = {}): ProxyManager {
  const prefix = options.namePrefix ?? '';
  const timeoutMs = options.requestTimeoutMs;
  const created = new Map<string, { listen?: string; upstream: string }>();
  const addedToxics = new Map<string, Set<string>>();
  const serverName = (name: string) => `${prefix}${name}`;
  const proxyPath = (name: string) => `/proxies/${encodeURIComponent(serverName(name))}`;
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, what: string, body?: unknown) =>
    toxiproxyRequest(url, { method, path, what, body, timeoutMs });
  const toState = (raw: RawProxy): ProxyState => ({
    name: raw.name.slice(prefix.length),
    listen: raw.listen,
    upstream: raw.upstream,
    enabled: raw.enabled,
    toxics: raw.toxics ?? [],
  });

  const manager: ProxyManager = {
    url,
    async createProxy(name, upstream) {
      if (!/^[^\s:]+:\d{1,5}$/.test(upstream) && !/^\[[^\]]+\]:\d{1,5}$/.test(upstream)) {
        throw invalid(`createProxy("${name}"): upstream must be "host:port", got "${upstream}"`);
      }
      created.set(name, { upstream }); // before the request: a timed-out create may still have happened
      const raw = (await call('POST', '/proxies', `proxy "${serverName(name)}" to ${upstream}`, {
        name: serverName(name),
        listen: '127.0.0.1:0',
        upstream,
        enabled: true,
      })) as RawProxy;
      created.set(name, { listen: raw.listen, upstream });
      return { name, listen: raw.listen };
    },

    async addToxic(proxyName, toxic) {
      const toxicity = toxic.toxicity ?? 1;
      if (!(toxicity >= 0 && toxicity <= 1)) {
        throw invalid(`addToxic("${proxyName}", "${toxic.name}"): toxicity must be between 0 and 1, got ${toxic.toxicity}`);
      }
      if (toxic.stream !== 'upstream' && toxic.stream !== 'downstream') {
        throw invalid(`addToxic("${proxyName}", "${toxic.name}"): stream must be "upstream" or "downstream", got "${toxic.stream}"`);
      }
      const names = addedToxics.get(proxyName) ?? new Set<string>();
      addedToxics.set(proxyName, names);
      const alreadyOurs = names.has(toxic.name);
      names.add(toxic.name);
      try {
        return (await call('POST', `${proxyPath(proxyName)}/toxics`, `toxic "${toxic.name}" on proxy "${serverName(proxyName)}"`, {
          name: toxic.name,
          type: toxic.type,
          stream: toxic.stream,
          toxicity,
          attributes: toxic.attributes,
        })) as ToxicState;
      } catch (error) {
        // A refused toxic does not exist (or is someone else's): do not remove it at cleanup.
        if (error instanceof ToxiproxyRefusedError && !alreadyOurs) names.delete(toxic.name);
        throw error;
      }
    },

    async removeToxic(proxyName, toxicName) {
      await call(
        'DELETE',
        `${proxyPath(proxyName)}/toxics/${encodeURIComponent(toxicName)}`,
        `removal of toxic "${toxicName}" from proxy "${serverName(proxyName)}"`,
      );
      addedToxics.get(proxyName)?.delete(toxicName);
    },

    async setEnabled(proxyName, enabled) {
      // The update replaces enabled, listen and upstream together: send the listen address the server chose,
      // or it would move (or fail on) port 0 again.
      const known = created.get(proxyName);
      const current = known?.listen ? { listen: known.listen, upstream: known.upstream } : await manager.get(proxyName);
      await call('POST', proxyPath(proxyName), `enabled=${enabled} on proxy "${serverName(proxyName)}"`, {
        enabled,
        listen: current.listen,
        upstream: current.upstream,
      });
    },

    async get(proxyName) {
      return toState((await call('GET', proxyPath(proxyName), `a read of proxy "${serverName(proxyName)}"`)) as RawProxy);
    },

    async stats() {
      const all = (await call('GET', '/proxies', 'a read of all proxies')) as Record<string, RawProxy>;
      return [...created.keys()].flatMap((name) => {
        const raw = all[serverName(name)];
        return raw ? [toState(raw)] : [];
      });
    },

    async cleanup() {
      const problems: string[] = [];
      const tolerate = async (action: () => Promise<unknown>): Promise<boolean> => {
        try {
          await action();
          return true;
        } catch (error) {
          if (error instanceof ToxiproxyRefusedError && error.status === 404) return true; // already gone
          problems.push(error instanceof Error ? error.message : String(error));
          return false;
        }
      };
      for (const [proxyName, names] of addedToxics) {
        for (const toxicName of [...names]) {
          if (await tolerate(() => manager.removeToxic(proxyName, toxicName))) names.delete(toxicName);
        }
        if (names.size === 0) addedToxics.delete(proxyName);
      }
      for (const proxyName of [...created.keys()]) {
        const deleted = await tolerate(() => call('DELETE', proxyPath(proxyName), `deletion of proxy "${serverName(proxyName)}"`));
        if (deleted) {
          created.delete(proxyName);
          addedToxics.delete(proxyName);
        }
      }
      return problems;
    },
  };
  return manager;
}

function invalid(message: string): ShakedownError {
  return new ShakedownError('TOXIPROXY_INVALID_REQUEST', message, { exitCode: 2 });
}
