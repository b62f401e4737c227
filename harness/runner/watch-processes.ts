import { ShakedownError } from '../errors.ts';
import type { ToxiproxyServer } from '../toxiproxy/index.ts';
import type { FakesProcess } from './fakes-process.ts';
import { describeExit, type SutProcess } from './sut-process.ts';

/** Notices a dependency process dying mid-run (within ~1 s) and turns it into an error with its output tail. */
export function watchProcesses(p: { sut?: SutProcess; fakes: FakesProcess; toxiproxy: ToxiproxyServer }) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const died = new Promise<ShakedownError>((resolve) => {
    void p.sut?.exited.then((exit) => {
      if (!stopped)
        resolve(new ShakedownError('SUT_EXITED_DURING_RUN', `The SUT died during the run: ${describeExit('it', exit, p.sut!.tail())}`));
    });
    void p.fakes.exited.then((exit) => {
      if (!stopped)
        resolve(
          new ShakedownError(
            'FAKES_EXITED',
            `The fakes process died during the run (${exit.signal ?? `code ${exit.code}`}).\n${p.fakes.tail()}`,
          ),
        );
    });
    let due = 0; // when the next poll should run (performance.now()); how late it runs measures the harness's own load
    const poll = async () => {
      if (stopped) return;
      const started = performance.now();
      try {
        const res = await fetch(`${p.toxiproxy.url}/version`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
      } catch (error) {
        if (!stopped) {
          // a harness out of CPU or open files fails this check too: name it instead of blaming Toxiproxy
          const lag_ms = Math.round(Math.max(started - due, performance.now() - started - 1000));
          const code = (error as { cause?: { code?: string } }).cause?.code;
          const out_of_files = code === 'EMFILE' || code === 'ENFILE';
          // refused or reset: nothing answers on the port, Toxiproxy is gone whatever the harness's load
          const overloaded = out_of_files || (code !== 'ECONNREFUSED' && code !== 'ECONNRESET' && lag_ms > 500);
          resolve(
            overloaded
              ? new ShakedownError(
                  'HARNESS_OVERLOADED',
                  `The harness itself is overloaded (${out_of_files ? 'out of open files' : `its event loop ran ${lag_ms} ms late`}), so it could not reach the Toxiproxy server at ${p.toxiproxy.url}: lower load.rate or load.connections (or raise the open-file limit, ulimit -n).`,
                )
              : new ShakedownError(
                  'TOXIPROXY_DIED',
                  `The Toxiproxy server at ${p.toxiproxy.url} stopped answering during the run: ${(error as Error).message}`,
                ),
          );
          return;
        }
      }
      due = performance.now() + 500;
      timer = setTimeout(poll, 500);
    };
    due = performance.now() + 500;
    timer = setTimeout(poll, 500);
  });
  return {
    died,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** DELETEs the named proxies in parallel, each bounded to 1 s; for the forced exit (a missing proxy is fine). */
export async function deleteProxiesNow(url: string, names: string[]): Promise<void> {
  await Promise.allSettled(
    names.map(async (name) => {
      const res = await fetch(`${url}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE', signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
    }),
  );
}
