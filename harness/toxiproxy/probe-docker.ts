import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TOXIPROXY_DEFAULTS } from './defaults.ts';

export type DockerProbe = { ok: true; endpoint: string } | { ok: false; endpoint?: string; reason: string };

/**
 * Asks the Docker engine `GET /_ping` with a hard timeout, before testcontainers is involved: testcontainers
 * waits without bound on a socket that accepts and never answers.
 *
 * Endpoint: `DOCKER_HOST` (`unix://` or `tcp://`) when set, else the first existing of /var/run/docker.sock,
 * $XDG_RUNTIME_DIR/docker.sock (rootless) and ~/.docker/run/docker.sock (Docker Desktop).
 * Never throws; `reason` says what was found.
 */
export async function probeDocker(options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<DockerProbe> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? TOXIPROXY_DEFAULTS.dockerCheckTimeoutMs;
  const target = dockerTarget(env);
  if ('reason' in target) return { ok: false, reason: target.reason };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: DockerProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = request({ ...target.connect, path: '/_ping', method: 'GET', headers: { host: 'docker' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        settle(
          res.statusCode === 200
            ? { ok: true, endpoint: target.endpoint }
            : {
                ok: false,
                endpoint: target.endpoint,
                reason: `${target.endpoint} answered GET /_ping with HTTP ${res.statusCode} ${body.trim()}`,
              },
        ),
      );
    });
    const timer = setTimeout(
      () => settle({ ok: false, endpoint: target.endpoint, reason: `${target.endpoint} did not answer GET /_ping within ${timeoutMs} ms` }),
      timeoutMs,
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle({ ok: false, endpoint: target.endpoint, reason: `${target.endpoint}: ${error.code ?? error.message}` }),
    );
    req.end();
  });
}

type DockerTarget = { endpoint: string; connect: { socketPath: string } | { host: string; port: number } } | { reason: string };

function dockerTarget(env: NodeJS.ProcessEnv): DockerTarget {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) {
      const socketPath = dockerHost.slice('unix://'.length);
      if (!existsSync(socketPath)) return { reason: `DOCKER_HOST=${dockerHost}: no such socket` };
      return { endpoint: dockerHost, connect: { socketPath } };
    }
    if (dockerHost.startsWith('tcp://')) {
      const address = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      return { endpoint: dockerHost, connect: { host: address.hostname, port: Number(address.port || 2375) } };
    }
    return { reason: `DOCKER_HOST=${dockerHost}: only unix:// and tcp:// can be checked` };
  }
  const candidates = ['/var/run/docker.sock'];
  if (env.XDG_RUNTIME_DIR) candidates.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  candidates.push(join(env.HOME ?? homedir(), '.docker', 'run', 'docker.sock'));
  const socketPath = candidates.find((candidate) => existsSync(candidate));
  if (!socketPath) return { reason: `no Docker socket (DOCKER_HOST unset; looked for ${candidates.join(', ')})` };
  return { endpoint: `unix://${socketPath}`, connect: { socketPath } };
}
