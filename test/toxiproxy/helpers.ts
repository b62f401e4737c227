import { request, createServer as createHttpServer } from 'node:http';
import { connect, createServer as createNetServer, type Server } from 'node:net';

/** A node:http upstream on 127.0.0.1:0 that answers every request with `hello from upstream <path>`. */
export async function startUpstream(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createHttpServer((req, res) => {
    res.setHeader('connection', 'close');
    res.end(`hello from upstream ${req.url}`);
  });
  const port = await listen(server);
  return { port, close: () => closeServer(server) };
}

/** A TCP server on 127.0.0.1:0 (or a unix socket) that accepts connections and never answers. */
export async function startSilentServer(socketPath?: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = socketPath ? await new Promise<number>((resolve) => server.listen(socketPath, () => resolve(0))) : await listen(server);
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

/** GET http://127.0.0.1:<port><path> on a fresh connection; resolves with status, body and elapsed ms. */
export function httpGet(port: number, path = '/'): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from 127.0.0.1:${port} within 5000 ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the error code of a TCP connect to 127.0.0.1:<port> ('connected' when it succeeds). */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Names of the proxies on the server at `url`. */
export async function proxyNames(url: string): Promise<string[]> {
  const response = await fetch(`${url}/proxies`, { signal: AbortSignal.timeout(5_000) });
  return Object.keys((await response.json()) as Record<string, unknown>);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
