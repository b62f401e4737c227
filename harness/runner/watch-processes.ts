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
    const poll = async () => {
      if (stopped) return;
      try {
        const res = await fetch(`${p.toxiproxy.url}/version`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
      } catch (error) {
        if (!stopped) {
          resolve(
            new ShakedownError(
              'TOXIPROXY_DIED',
              `The Toxiproxy server at ${p.toxiproxy.url} stopped answering during the run: ${(error as Error).message}`,
            ),
          );
          return;
        }
      }
      timer = setTimeout(poll, 500);
    };
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
