#!/usr/bin/env bash
# Compiles and runs the README's usage example in a new CDK app that installs
# the library from `npm pack`, as a user would. Needs `npm run build` first.
# Works offline: every package comes from the npm cache that `npm ci` filled.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
version() { node -p "require('$root/node_modules/$1/package.json').version"; }

cd "$work"
cat > package.json <<JSON
{ "name": "readme-usage-app", "version": "0.0.0", "private": true }
JSON
npm install --offline --no-audit --no-fund --loglevel=error \
  "./$tarball" \
  "aws-cdk-lib@$(version aws-cdk-lib)" "constructs@$(version constructs)" \
  "cdk8s@$(version cdk8s)" "cdk8s-plus-28@$(version cdk8s-plus-28)" \
  "typescript@$(version typescript)" "@types/node@$(version @types/node)"
cp "$root/examples/readme-usage.ts" app.ts
cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true, "types": ["node"] }, "files": ["app.ts"] }
JSON
npx tsc -p tsconfig.json
CDK_OUTDIR="$work/cdk.out" CDK_VALIDATION=false node app.js
test -s dist/uploads.k8s.yaml
grep -q 'serviceAccountName: upload' dist/uploads.k8s.yaml
echo "README usage compiles and synthesizes against $tarball"
