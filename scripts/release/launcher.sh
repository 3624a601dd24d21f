#!/bin/sh
# domino-sbermarket-hook: the service's command line (serve, migrate, --version, ...) on the Node.js runtime shipped in
# this release (node/bin/node), whatever node the host has, if any. It may be called through a symlink (for example
# /usr/local/bin/domino-sbermarket-hook -> /opt/domino-sbermarket-hook/current/bin/domino-sbermarket-hook).
set -eu
self=$(readlink -f -- "$0")
root=$(cd -- "$(dirname -- "$self")/.." && pwd -P)
exec "$root/node/bin/node" "$root/packages/adapter-http/dist/cli/main.js" "$@"
