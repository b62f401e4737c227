/**
 * Toxiproxy: find or provision a real server (resolveToxiproxy) and manage one run's proxies and toxics on it
 * (createProxyManager). @see /work/shared/DESIGN.md "Toxiproxy: real, found or provisioned, always cleaned up".
 */
export { resolveToxiproxy } from './resolve-toxiproxy.ts';
export type { ResolveToxiproxyOptions, ToxiproxyServer, ToxiproxySource } from './resolve-toxiproxy.ts';
export { createProxyManager } from './create-proxy-manager.ts';
export type { ProxyManager, ProxyManagerOptions, ProxyState, ToxicSpec, ToxicState, ToxicStream } from './create-proxy-manager.ts';
export { probeDocker } from './probe-docker.ts';
export type { DockerProbe } from './probe-docker.ts';
export { TOXIPROXY_DEFAULTS } from './defaults.ts';
