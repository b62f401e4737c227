/**
 * The one loopback rule: load goes only to loopback addresses unless the user passed --allow-remote-target.
 * The CLI (before anything starts), the runner (the SUT's URL, once known) and the load engine (every runLoad)
 * all apply this rule, so a host that passes one check passes them all.
 */
import { isIP } from 'node:net';
import { ShakedownError } from '../errors.ts';

/** Whether a host name or address is loopback: `localhost` and `*.localhost` (RFC 6761), 127.0.0.0/8, `::1`, `::ffff:127.x.x.x`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h) || /^::ffff:7f[0-9a-f]{2}:/.test(h);
  return false;
}

/** The message for a refused non-loopback host (the CLI's and the runner's error; the load engine lists it among its problems). */
export function remoteTargetRefusal(host: string): string {
  return `Refusing to send load to ${host}: it is not a loopback address. Shakedown loads only 127.0.0.0/8, localhost or ::1 unless you pass --allow-remote-target.`;
}

/**
 * @throws ShakedownError INVALID_TARGET (exit 2) for a URL that does not parse
 * @throws ShakedownError REMOTE_TARGET_REFUSED (exit 2) for a non-loopback target without `allowRemote`
 */
export function assertLoopbackTarget(url: string, allowRemote: boolean): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new ShakedownError('INVALID_TARGET', `The SUT URL ${url} is not a valid URL.`, { exitCode: 2 });
  }
  if (!allowRemote && !isLoopbackHost(host)) throw new ShakedownError('REMOTE_TARGET_REFUSED', remoteTargetRefusal(host), { exitCode: 2 });
}
