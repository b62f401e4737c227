/**
 * Defaults for finding, starting and talking to Toxiproxy, in one frozen object.
 * The version and image are the ones scripts/setup.sh and docker-compose.yml pin.
 */
export const TOXIPROXY_DEFAULTS = Object.freeze({
  version: '2.12.0',
  image: 'ghcr.io/shopify/toxiproxy:2.12.0',
  goPackage: 'github.com/Shopify/toxiproxy/v2/cmd/server',
  goVersionVariable: 'github.com/Shopify/toxiproxy/v2.Version',
  /** Bound on the Docker engine probe (GET /_ping). */
  dockerCheckTimeoutMs: 3_000,
  /** How long a started binary may take before GET /version answers. */
  startTimeoutMs: 5_000,
  /** How many times to start the binary again when another process took the free port first. */
  startAttempts: 3,
  /** stop(): SIGTERM, then SIGKILL after this long. */
  stopGraceMs: 2_000,
  /** Bound on every request to the Toxiproxy API. */
  requestTimeoutMs: 5_000,
  /** Bound on `go install` (a cold module cache downloads and compiles for about a minute). */
  goInstallTimeoutMs: 5 * 60_000,
  /** Lines of server output kept for error messages. */
  outputTailLines: 20,
});
