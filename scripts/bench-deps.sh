#!/usr/bin/env bash
# The system packages `npm run bench` compares against: Debian's nginx is the content node's stream
# baseline (bench/content-node.bench.ts; without it the bench falls back to a node static server and
# its result says so). The browser bench drives Debian's chromium, as the test suite does.
set -euo pipefail
missing=()
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
# the package starts its own server on port 80; the bench starts a private one with its own config
systemctl disable --now nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1 || true
