// The charts case (bench/k8s-charts.ts) as one measured process, started by
// bench/run.ts: builds the app of one approach, synthesizes it, and writes its
// CPU time and peak memory.
//
// Usage: node k8s-charts-app.js <approach> <N> <charts> <outdir> <figures.json>
// (approach: library, kplus or kplus-same-output)
import * as fs from 'fs';
import { chartsApp } from './k8s-charts';

const [approach, nText, chartsText, outdir, figuresFile] = process.argv.slice(2);
chartsApp(approach, Number(nText), Number(chartsText), outdir).synth();
const cpu = process.cpuUsage();
fs.writeFileSync(figuresFile, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }));
