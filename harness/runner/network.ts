/** Loopback rules: load goes only to loopback addresses unless the user says otherwise. */
import { connect, createServer } from 'node:net';
import { isIP } from 'node:net';
import { ShakedownError } from '../errors.ts';

/** Whether a host name or address is loopback: `localhost`, 127.0.0.0/8, `::1`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * @throws ShakedownError REMOTE_TARGET_REFUSED (exit 2) for a non-loopback target without the explicit flag
 */
export function assertLoopbackTarget(url: string, allowRemote: boolean): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new ShakedownError('INVALID_TARGET', `The SUT URL ${url} is not a valid URL.`, { exitCode: 2 });
  }
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new ShakedownError(
      'REMOTE_TARGET_REFUSED',
      `Refusing to send load to ${host}: it is not a loopback address. Shakedown loads only 127.0.0.0/8, localhost or ::1 unless you pass --allow-remote-target.`,
      { exitCode: 2 },
    );
  }
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections at the URL's host and port (bounded to 500 ms). */
export function portAnswers(url: string): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
