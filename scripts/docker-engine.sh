#!/usr/bin/env bash
# A local Docker engine for the Docker tests (test/toxiproxy/docker-testcontainers.test.ts,
# test/compat/docker-compose-engine.test.ts), for CI machines that can run one as root but reach no container
# registry (../shared/DOCKER.md has the verified steps). Idempotent; everything under $SHAKEDOWN_DOCKER_DIR.
#   scripts/docker-engine.sh start   # prints DOCKER_HOST=unix://... on stdout when the engine and images are ready
#   scripts/docker-engine.sh stop    # stops the engine it started (by its pid file)
# start: Debian's docker.io and debootstrap (apt-get); dockerd with no bridge network (containers use host
# networking); images built locally under the tags the code names: ghcr.io/shopify/toxiproxy:2.12.0 (static
# toxiproxy-server and toxiproxy-cli, go install) and node:24-slim (a debootstrap Debian with this checkout's
# Node 24, the machine's npm and CA bundle); the compose plugin built from its Go module when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="${SHAKEDOWN_DOCKER_DIR:-/tmp/shakedown-docker}"
SOCK="unix://$D/docker.sock"
say() { echo "[docker-engine] $*" >&2; }

if [ "${1:-}" = "stop" ]; then
  if [ -f "$D/dockerd.pid" ] && kill "$(cat "$D/dockerd.pid")" 2>/dev/null; then
    say "stopped dockerd $(cat "$D/dockerd.pid")"
    for _ in $(seq 1 20); do [ -f "$D/dockerd.pid" ] || break; sleep 0.5; done
    umount "$D/exec/netns/default" 2>/dev/null || true # the engine's network namespace mount, else $D cannot be removed
  fi
  exit 0
fi
[ "${1:-}" = "start" ] || { echo "usage: scripts/docker-engine.sh start|stop" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { say "needs root (to run dockerd)"; exit 3; }
mkdir -p "$D"
export DOCKER_HOST="$SOCK" PATH="/usr/local/go/bin:$PATH"

if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  say "installing docker.io and debootstrap (apt-get)"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >&2
fi
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd ($D)"
  dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs --data-root="$D/data" \
    --exec-root="$D/exec" --pidfile="$D/dockerd.pid" -H "$SOCK" >"$D/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { say "dockerd did not answer: $(tail -n 5 "$D/dockerd.log")"; exit 3; }
fi

if ! docker image inspect ghcr.io/shopify/toxiproxy:2.12.0 >/dev/null 2>&1; then
  say "building ghcr.io/shopify/toxiproxy:2.12.0 (static toxiproxy-server and toxiproxy-cli)"
  mkdir -p "$D/toxiproxy"
  CGO_ENABLED=0 GOBIN="$D/toxiproxy" go install -ldflags "-X github.com/Shopify/toxiproxy/v2.Version=2.12.0" \
    github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0 github.com/Shopify/toxiproxy/v2/cmd/cli@v2.12.0 >&2
  mv "$D/toxiproxy/server" "$D/toxiproxy/toxiproxy" && mv "$D/toxiproxy/cli" "$D/toxiproxy/toxiproxy-cli"
  printf 'FROM scratch\nCOPY toxiproxy /toxiproxy\nCOPY toxiproxy-cli /toxiproxy-cli\nENTRYPOINT ["/toxiproxy"]\n' >"$D/toxiproxy/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t ghcr.io/shopify/toxiproxy:2.12.0 "$D/toxiproxy" >&2
fi

if ! docker image inspect node:24-slim >/dev/null 2>&1; then
  if ! docker image inspect local/debian:bookworm >/dev/null 2>&1; then
    mirror="$(grep -rhoE 'https?://deb\.debian\.org/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | head -n 1 || true)"
    say "debootstrap bookworm from ${mirror:-http://deb.debian.org/debian}"
    rm -rf "$D/rootfs"
    debootstrap --variant=minbase bookworm "$D/rootfs" "${mirror:-http://deb.debian.org/debian}" >"$D/debootstrap.log" 2>&1
    tar -C "$D/rootfs" -c . | docker import - local/debian:bookworm >&2
    rm -rf "$D/rootfs"
  fi
  say "building node:24-slim (Node $("$ROOT/.tools/node/bin/node" --version), npm $(npm --version))"
  rm -rf "$D/node" && mkdir -p "$D/node"
  cp -r "$ROOT/.tools/node" "$D/node/node"
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$D/node/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$D/node/ca-certificates.crt"
  cat >"$D/node/Dockerfile" <<'DOCKERFILE'
FROM local/debian:bookworm
COPY node /usr/local/node
COPY npm /usr/local/node/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s /usr/local/node/bin/node /usr/local/bin/node && printf '#!/bin/sh\nexec node /usr/local/node/lib/node_modules/npm/bin/npm-cli.js "$@"\n' > /usr/local/bin/npm && chmod +x /usr/local/bin/npm
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q --network host -t node:24-slim "$D/node" >&2
fi

if ! docker compose version >/dev/null 2>&1; then
  say "building the docker compose plugin v5.6.0 from its Go module (minutes)"
  dir="$(go mod download -json github.com/docker/compose/v5@v5.6.0 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  mkdir -p "$HOME/.docker/cli-plugins"
  (cd "$dir" && CGO_ENABLED=0 go build -o "$HOME/.docker/cli-plugins/docker-compose" ./cmd) >&2
fi
echo "DOCKER_HOST=$SOCK"
