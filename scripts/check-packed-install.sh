#!/usr/bin/env bash
# Installs the packed library (`npm pack`) into new apps outside the repository,
# as users do, and checks what they get (issue 11). Offline: every package
# comes from the npm cache that `npm ci` filled, at the repository's versions.
# Needs `npm run build` first (the pack holds the compiled lib/).
#
#   (a) the README's minimal app, written from the README's own text (its
#       `npm install` lines and its file blocks), synthesized with `cdk synth`:
#       templates, and per-cluster YAML that passes the Kubernetes schema with
#       every namespace created before its contents; the README's other
#       TypeScript blocks type-check against it; an app that uses only the
#       AWS side loads no cdk8s.
#   (b) a cdk8s-only app with NO aws-cdk-lib installed renders ServiceAccounts
#       from bindings files (formats 2 and 1) through `cdk-eks-workload-identity/k8s`
#       and `/core`, compiled with TypeScript's node10 and NodeNext resolution.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { echo "== packed install: $*"; }

readme="${README:-$root/README.md}"
[ -f "$root/lib/index.js" ] || { echo "lib/index.js is missing: run 'npm run build' first" >&2; exit 1; }
tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
# A new app <dir> with the library and the named packages ("dep:name" / "dev:name"), installed offline.
install_app() {
  local dir="$1"; shift
  node "$root/scripts/offline-app.js" "$dir" "$tarball" "$@"
  (cd "$dir" && npm install --offline --no-audit --no-fund --loglevel=error)
}

# ---------------------------------------------------------------- (a) README app
step "(a) the README's minimal app"
app="$work/readme-app"
packages=()
while read -r kind name; do packages+=("$kind:$name"); done < <(node "$root/scripts/readme-app.js" packages "$readme")
echo "the README installs: ${packages[*]}"
install_app "$app" "${packages[@]}"
cd "$app"
node "$root/scripts/readme-app.js" files "$readme" "$app"

# Before the first deploy there is no outputs file: templates, but no YAML, and a line saying what to run.
npx cdk synth --quiet 2>&1 | tee "$work/synth.log"
ls cdk.out/*.template.json
grep -q 'Kubernetes manifests not written yet' "$work/synth.log" || { echo "the first synth did not say why no YAML was written" >&2; exit 1; }
[ ! -e dist ] || { echo "the first synth wrote dist/ without the deployed values" >&2; exit 1; }
# The deploy, as far as the app sees it: the outputs file (scripts/simulated-deploy-outputs.js), then synth again.
node "$root/scripts/simulated-deploy-outputs.js" cdk.out cdk-outputs.json
npx cdk synth --quiet 2>&1 | tee "$work/synth.log"
grep -q '  BUCKET_NAME: uploads-bucketname' dist/campus/*.yaml || { echo "dist/campus/ has no ConfigMap with the deployed bucket name" >&2; exit 1; }
(cd "$root" && npx ts-node -P tsconfig.dev.json scripts/check-manifests.ts "$app/dist")
# The README's `kubectl -n <ns> exec deploy/<name>` names a Deployment the app writes, in that namespace.
node -e "
  const fs = require('fs');
  const m = /kubectl -n ([a-z0-9-]+) exec deploy\/([a-z0-9-]+)/.exec(fs.readFileSync(process.argv[1], 'utf-8'));
  if (!m) throw new Error('the README has no kubectl exec deploy/<name> line');
  const yaml = fs.readdirSync('dist/campus').map(f => fs.readFileSync('dist/campus/' + f, 'utf-8')).join('\n---\n');
  const found = yaml.split(/^---$/m).some(doc => /^kind: Deployment$/m.test(doc) && new RegExp('^  name: ' + m[2] + '$', 'm').test(doc) && new RegExp('^  namespace: ' + m[1] + '$', 'm').test(doc));
  if (!found) throw new Error('the README execs into deploy/' + m[2] + ' in namespace ' + m[1] + ', but dist/campus/ has no such Deployment');
  console.log('the README\'s kubectl exec names Deployment ' + m[1] + '/' + m[2] + ', which the app writes');
" "$readme"

# The package's command draws the README app's identity map from what was just synthesized.
npx cdk-eks-workload-identity map --out "$work/map"
node -e "
  const map = require(process.argv[1]);
  const sa = map.clusters.flatMap(c => c.namespaces.flatMap(n => n.serviceAccounts.filter(s => s.roles.length > 0)));
  if (sa.length === 0) throw new Error('the identity map of the README app gives no ServiceAccount a role');
  console.log('identity map of the README app: ' + sa.length + ' ServiceAccounts with a role, ' + map.roles.length + ' roles');
" "$work/map/identity-map.json"
[ -s "$work/map/identity-map.html" ]

# Every other TypeScript block of the README (not quoted from a file the tests check) type-checks
# against the packed library, with the objects it takes as given declared (scripts/readme-app.js).
node "$root/scripts/readme-app.js" snippets "$readme" "$app" "$root/docs/clusters.md" "$root/docs/gitops.md" "$root/docs/guardrails.md" >/dev/null
npx tsc --noEmit --strict --skipLibCheck --target ES2022 --module commonjs --esModuleInterop --types node readme-snippets/*.ts
echo "the other TypeScript blocks of the README and the guides it quotes from type-check: $(ls readme-snippets | wc -l) blocks"

# An app that uses only the AWS side loads no cdk8s (the root index is lazy).
node -e "
  const start = process.hrtime.bigint();
  const { WorkloadIdentity, WorkloadCluster } = require('cdk-eks-workload-identity');
  if (typeof WorkloadIdentity !== 'function' || typeof WorkloadCluster !== 'function') throw new Error('AWS side not exported');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const loaded = Object.keys(require.cache).filter(f => /node_modules\/cdk8s(-plus-[0-9]+)?\//.test(f));
  if (loaded.length) throw new Error('the AWS side loaded cdk8s: ' + loaded.slice(0, 3).join(', '));
  console.log('AWS side only: no cdk8s module loaded (' + ms.toFixed(0) + ' ms to load it and aws-cdk-lib\\'s index)');
"

# The catalog's own entry point: its classes load from /catalog without cdk8s, and an import of it
# type-checks with TypeScript's node10 (typesVersions) and NodeNext (exports) resolution.
node -e "
  const catalog = require('cdk-eks-workload-identity/catalog');
  for (const name of ['KarpenterControllerIdentity', 'AwsLoadBalancerControllerIdentity', 'ExternalDnsIdentity', 'EbsCsiDriverIdentity', 'HostedZoneScope', 'HelmIdentity']) {
    if (typeof catalog[name] !== 'function') throw new Error(name + ' is not exported by cdk-eks-workload-identity/catalog');
  }
  const loaded = Object.keys(require.cache).filter(f => /node_modules\/cdk8s(-plus-[0-9]+)?\//.test(f));
  if (loaded.length) throw new Error('/catalog loaded cdk8s: ' + loaded.slice(0, 3).join(', '));
  console.log('/catalog: the catalog entries load on their own, no cdk8s');
"
mkdir -p catalog-entry
cat > catalog-entry/index.ts <<'TS'
import { CatalogIdentityProps, HostedZoneScope, KarpenterControllerIdentity } from 'cdk-eks-workload-identity/catalog';
export const entry: typeof KarpenterControllerIdentity = KarpenterControllerIdentity;
export const scope: (ids: string[]) => HostedZoneScope = ids => HostedZoneScope.fromHostedZoneIds(ids);
export type Props = CatalogIdentityProps;
TS
npx tsc --noEmit --strict --skipLibCheck --module commonjs --moduleResolution node10 --types node catalog-entry/index.ts
npx tsc --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext --types node catalog-entry/index.ts
echo "/catalog type-checks with node10 and NodeNext resolution"

# ------------------------------------------------------- (b) cdk8s only, no aws-cdk-lib
step "(b) a cdk8s-only app without aws-cdk-lib"
k8s="$work/cdk8s-only"
install_app "$k8s" dep:cdk8s dep:cdk8s-plus-28 dep:constructs dev:typescript dev:@types/node
cd "$k8s"
if node -e "require.resolve('aws-cdk-lib')" 2>/dev/null; then echo "aws-cdk-lib is installed in the cdk8s-only app" >&2; exit 1; fi

# Bindings files as the infrastructure repository hands them over: the current format (2), and the
# first format (1), which every version still reads.
cat > bindings.json <<'JSON'
{
  "version": 2,
  "bindings": [
    { "clusterName": "campus", "namespace": "uploads", "serviceAccountName": "upload", "mechanism": "POD_IDENTITY",
      "roleArn": "arn:aws:iam::123456789012:role/upload" },
    { "clusterName": "campus", "namespace": "reporting", "serviceAccountName": "report", "mechanism": "IRSA",
      "roleArn": "arn:aws:iam::123456789012:role/report", "irsa": { "stsRegionalEndpoints": true } }
  ]
}
JSON
cat > bindings-v1.json <<'JSON'
{
  "version": 1,
  "bindings": [
    { "clusterName": "campus", "namespace": "batch", "serviceAccountName": "nightly", "mechanism": "IRSA",
      "roleArn": "arn:aws:iam::123456789012:role/nightly",
      "serviceAccountAnnotations": { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/nightly" } }
  ]
}
JSON
# Format 3 records an IRSA subject pattern: the repository binds a preview namespace the CDK app never declared.
cat > bindings-previews.json <<'JSON'
{
  "version": 3,
  "bindings": [],
  "subjectPatterns": [
    { "clusterName": "campus-previews", "subjectPattern": "pr-*/seeder", "mechanism": "IRSA",
      "roleArn": "arn:aws:iam::123456789012:role/previews-seeder" }
  ]
}
JSON
cat > app.ts <<'TS'
import * as cdk8s from 'cdk8s';
import { WorkloadBindingFile } from 'cdk-eks-workload-identity/core';
import { WorkloadServiceAccountsChart } from 'cdk-eks-workload-identity/k8s';

const campus = new cdk8s.App({ outdir: 'dist/campus' });
const bindings = [...WorkloadBindingFile.readFile('bindings.json'), ...WorkloadBindingFile.readFile('bindings-v1.json')];
new WorkloadServiceAccountsChart(campus, 'service-accounts', { bindings, clusterName: 'campus' });
campus.synth();

const previews = new cdk8s.App({ outdir: 'dist/campus-previews' });
const { subjectPatterns = [] } = WorkloadBindingFile.readDocument('bindings-previews.json');
const seeder = WorkloadBindingFile.bindPatternMatch(subjectPatterns, { namespace: 'pr-200', serviceAccountName: 'seeder' });
new WorkloadServiceAccountsChart(previews, 'service-accounts', { bindings: [seeder] });
previews.synth();
TS
for resolution in node10 nodenext; do
  module=commonjs; [ "$resolution" = nodenext ] && module=nodenext
  npx tsc --strict --skipLibCheck --types node --target ES2022 --module "$module" --moduleResolution "$resolution" --outDir "out-$resolution" app.ts
done
rm -rf dist && node out-nodenext/app.js
grep -q 'name: upload$' dist/campus/*.yaml
grep -q 'eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/report' dist/campus/*.yaml
grep -q 'eks.amazonaws.com/sts-regional-endpoints: "true"' dist/campus/*.yaml
grep -q 'eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/nightly' dist/campus/*.yaml
grep -q 'eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/previews-seeder' dist/campus-previews/*.yaml
grep -q 'cdk-eks-workload-identity/subject-pattern: pr-\*/seeder' dist/campus-previews/*.yaml
(cd "$root" && npx ts-node -P tsconfig.dev.json scripts/check-manifests.ts "$k8s/dist")
# The root entry point works there too: the lazy index loads only the Kubernetes side.
node -e "
  const { WorkloadServiceAccountsChart } = require('cdk-eks-workload-identity');
  if (typeof WorkloadServiceAccountsChart !== 'function') throw new Error('root lacks the Kubernetes side');
  console.log('root entry point without aws-cdk-lib: Kubernetes side loads');
"
step "passed"
