import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chartsApp } from '../../bench/k8s-charts';

// The charts case compares the library with the same objects written by hand
// (no timing here): the comparison means something only if they write the
// same thing. `kplus-same-output` writes the library's files byte for byte;
// `kplus` the same objects, in files named without cdk8s's `0000-` index
// (it has no dependency between charts).
const N = 40;

const outdirs: string[] = [];
afterAll(() => outdirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

/** The YAML files an approach writes, by file name. */
function synth(approach: string, charts: number): { [file: string]: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-charts-${approach}-`));
  outdirs.push(outdir);
  chartsApp(approach, N, charts, outdir).synth();
  return Object.fromEntries(fs.readdirSync(outdir).sort().map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
}

describe.each([1, 3])('the charts case over %i chart(s)', charts => {
  test('kplus-same-output writes the library\'s files byte for byte', () => {
    // GIVEN / WHEN
    const library = synth('library', charts);
    const byHand = synth('kplus-same-output', charts);

    // THEN
    expect(Object.keys(library)).toEqual(['0000-workload-namespaces.k8s.yaml', ...Array.from({ length: charts }, (_, k) => `000${k + 1}-team-${k}.k8s.yaml`)]);
    expect(byHand).toEqual(library);
    expect(library['0000-workload-namespaces.k8s.yaml'].match(/^kind: Namespace$/gm)).toHaveLength(10);
    expect(Object.values(library).join('').match(/^kind: ServiceAccount$/gm)).toHaveLength(N);
  });

  test('kplus writes the same files without their index', () => {
    // GIVEN / WHEN
    const library = synth('library', charts);
    const byHand = synth('kplus', charts);

    // THEN
    expect(byHand).toEqual(Object.fromEntries(Object.entries(library).map(([file, text]) => [file.replace(/^\d{4}-/, ''), text])));
  });
});

test('an unknown approach is refused', () => {
  expect(() => chartsApp('kplus-by-hand', N, 1, 'unused')).toThrow("Unknown approach 'kplus-by-hand': one of library, kplus, kplus-same-output.");
});
