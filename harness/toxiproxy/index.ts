/**
 * Toxiproxy: find or provision a real server (resolveToxiproxy) and manage one run's proxies and toxics on it
 * (createProxyManager). A real server always (never a stand-in); every proxy a run creates is deleted on every
 * exit path, signals included (docs/architecture.md, "Toxiproxy").
 */
export { resolveToxiproxy } from './resolve-toxiproxy.ts';
export type { ResolveToxiproxyOptions, ToxiproxyServer, ToxiproxySource } from './resolve-toxiproxy.ts';
export { createProxyManager } from './create-proxy-manager.ts';
export type { ProxyManager, ProxyManagerOptions, ProxyState, ToxicSpec, ToxicState } from './create-proxy-manager.ts';
export { probeDocker } from './probe-docker.ts';
export type { DockerProbe } from './probe-docker.ts';
export { TOXIPROXY_DEFAULTS } from './defaults.ts';
