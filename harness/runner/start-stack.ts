/**
 * Start-up of everything a run needs before load: Toxiproxy and the fakes (together), one proxy per dependency
 * in front of its fake, the SUT (a command, or a URL that is already up), the loopback check on the SUT's URL,
 * and readiness. Every part that started is registered with the teardown at once and written into `parts`, so
 * a failure half-way leaves the caller knowing what to stop and what to read.
 *
 * @throws ShakedownError on any start-up failure (the first one), or the signal's reason when interrupted
 */
import { resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { assertLoopbackTarget } from '../load/loopback.ts';
import type { RunResult } from '../results/result-types.ts';
import type { ResolvedScenario } from '../scenario/index.ts';
import type { DependencyAddress } from '../scenario/types.ts';
import { createProxyManager, resolveToxiproxy, type ProxyManager, type ToxiproxyServer } from '../toxiproxy/index.ts';
import { evaluateEnv } from './evaluate-env.ts';
import { startFakes, type FakesProcess } from './fakes-process.ts';
import { freePort, portAnswers } from './network.ts';
import { onForcedExit, trackGroup } from './process-groups.ts';
import type { RunGuard } from './run-guard.ts';
import { startSut, waitReady, type SutProcess } from './sut-process.ts';
import type { Teardown } from './teardown.ts';
import { deleteProxiesNow } from './watch-processes.ts';

/** What has started so far; filled in as each part comes up. */
export interface StackParts {
  toxiproxy?: ToxiproxyServer;
  fakes?: FakesProcess;
  sut?: SutProcess;
  /** The URL of the SUT the run started (set with `sut`). */
  sutUrl?: string;
  /** Per dependency: its fake and proxy URLs; the request counters are filled at the end of the run. */
  dependencies: RunResult['dependencies'];
}

export interface Stack {
  toxiproxy: ToxiproxyServer;
  fakes: FakesProcess;
  proxies: ProxyManager;
  sut: SutProcess | undefined;
  sutUrl: string;
}

export interface StartStackOptions {
  scenario: Pick<ResolvedScenario, 'dependencies' | 'system'>;
  scenarioFile: string;
  seed: number;
  cwd: string;
  allowRemoteTarget: boolean;
  signal: AbortSignal;
  teardown: Teardown;
  /** The run's lock and watchdog: every process group and proxy is recorded there as it starts. */
  guard: RunGuard;
  info: (message: string) => void;
  /** Records a start-up milestone (`toxiproxy_ready`, `fakes_ready`, `proxies_ready`, `sut_ready`). */
  mark: (milestone: string) => void;
}

export async function startStack(o: StartStackOptions, parts: StackParts): Promise<Stack> {
  const { scenario, teardown, guard, info, mark, signal } = o;
  const checkAbort = () => {
    if (signal.aborted) throw signal.reason;
  };
  // Toxiproxy and the fakes do not depend on each other: started together (B7: ~0.3–0.7 s of the command to
  // the first request was one waiting for the other). Whichever started is stopped by the teardown even when
  // the other failed; the first failure is thrown.
  const [toxiproxyStart, fakesStart] = await Promise.allSettled([
    resolveToxiproxy({ log: info, seed: o.seed, env: { ...process.env, ...guard.env } }).then((server) => {
      if (server.pid) trackGroup(server.pid);
      guard.addGroup(server.pid);
      guard.setToxiproxy(server.url, server.source !== 'env');
      mark('toxiproxy_ready');
      return server;
    }),
    startFakes({ seed: o.seed, fakes: scenario.dependencies }, { env: guard.env }).then((started) => {
      guard.addGroup(started.pid);
      mark('fakes_ready');
      return started;
    }),
  ]);
  if (toxiproxyStart.status === 'fulfilled') {
    const server = toxiproxyStart.value;
    teardown.add('stop Toxiproxy', () => server.stop());
    info(`Toxiproxy ${server.version} at ${server.url} (${server.source})`);
    parts.toxiproxy = server;
  }
  if (fakesStart.status === 'fulfilled') {
    const started = fakesStart.value;
    teardown.add('stop fakes', () => started.stop());
    info(`fakes process started (pid ${started.pid})`);
    parts.fakes = started;
  }
  if (toxiproxyStart.status === 'rejected') throw toxiproxyStart.reason;
  if (fakesStart.status === 'rejected') throw fakesStart.reason;
  const toxiproxy = toxiproxyStart.value;
  const fakes = fakesStart.value;
  checkAbort();

  // Named by the random run id, never the pid: two containers (both pid 1) may share one Toxiproxy server.
  const prefix = `shakedown-${guard.runId}-`;
  const proxies = createProxyManager(toxiproxy.url, { namePrefix: prefix });
  // A second Ctrl-C skips the teardown: this deletes the run's proxies (and so their toxics) anyway; after
  // kill -9 the watchdog deletes them from the lock file.
  const names = Object.keys(scenario.dependencies).map((name) => `${prefix}${name}`);
  guard.addProxies(names);
  teardown.add(
    'forget the forced-exit cleanup',
    onForcedExit(() => deleteProxiesNow(toxiproxy.url, names)),
  );
  teardown.add('delete proxies', async () => {
    const problems = await proxies.cleanup();
    if (problems.length) throw new Error(problems.join('; '));
  });
  const addresses: Record<string, DependencyAddress> = {};
  for (const [name, spec] of Object.entries(scenario.dependencies)) {
    const fake = fakes.fakes[name];
    const proxy = await proxies.createProxy(name, fake.url.replace(/^http:\/\//, ''));
    const [host, port] = [proxy.listen.split(':')[0], Number(proxy.listen.split(':').at(-1))];
    addresses[name] = { url: `http://${host}:${port}`, host, port };
    parts.dependencies[name] = {
      kind: spec.kind,
      fake_url: fake.url,
      proxy_url: addresses[name].url,
      requests: 0,
      by_status: {},
      by_mode: {},
      by_path: {},
    };
    info(`${name} (${spec.kind}) fake ${fake.url} behind proxy ${addresses[name].url}`);
  }
  mark('proxies_ready');
  checkAbort();

  const system = scenario.system;
  let sutUrl = system.url!;
  if (system.kind === 'command') {
    const port = await freePort();
    const extra = evaluateEnv(system.env, addresses, o.scenarioFile);
    sutUrl = system.url ?? `http://127.0.0.1:${port}`;
    // A fixed system.url whose port already answers is someone else's server: the run would load it instead.
    if (system.url && (await portAnswers(sutUrl))) {
      throw new ShakedownError(
        'PORT_IN_USE',
        `${o.scenarioFile}: port ${new URL(sutUrl).port} is already in use by another process before the SUT started (system.url ${sutUrl}). Stop that process or change system.url.`,
      );
    }
    const sut = await startSut(system.command!, {
      // An absolute system.cwd is used as is; a relative one is taken from the folder the CLI ran in.
      cwd: system.cwd ? resolve(o.cwd, system.cwd) : o.cwd,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SHAKEDOWN_SEED: String(o.seed), ...extra, ...guard.env },
    });
    guard.addGroup(sut.pid);
    parts.sut = sut;
    parts.sutUrl = sutUrl;
    teardown.add('stop SUT', () => sut.stop());
    info(`SUT started (pid ${sut.pid}): ${system.command!.join(' ')}`);
  }
  assertLoopbackTarget(sutUrl, o.allowRemoteTarget);
  const readyMs = await waitReady(`${sutUrl}${system.ready.path}`, { ...system.ready, sut: parts.sut, signal });
  info(`SUT ready at ${sutUrl} after ${Math.round(readyMs)} ms`);
  mark('sut_ready');
  checkAbort();
  return { toxiproxy, fakes, proxies, sut: parts.sut, sutUrl };
}
