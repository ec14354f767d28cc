#!/usr/bin/env node
/**
 * Reads the README's minimal app from the README's own text, so the packed-
 * install check (scripts/check-packed-install.sh) builds what a user copies:
 *
 *   node scripts/readme-app.js files README.md <dir>   writes each file block into <dir>
 *   node scripts/readme-app.js packages README.md      prints "dep <name>" / "dev <name>" per package
 *
 * A file block is a fenced code block whose preceding line names the file in
 * backticks, e.g. "`bin/app.ts`:" (the colon is optional). Packages come from
 * the `npm install` lines of ```sh blocks; -D/--save-dev marks devDependencies.
 */
const fs = require('fs');
const path = require('path');

/** Every fenced block: its info string, its text, and the last non-blank line before it. */
function fencedBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]);
    if (!open) {
      if (lines[i].trim() !== '') { previous = lines[i].trim(); }
      continue;
    }
    const body = [];
    for (i++; i < lines.length && lines[i] !== open[1]; i++) { body.push(lines[i]); }
    blocks.push({ info: open[2].trim(), text: body.join('\n') + '\n', label: previous });
    previous = '';
  }
  return blocks;
}

/** The file blocks, as { file, text }. */
function readmeFiles(markdown) {
  return fencedBlocks(markdown).flatMap(b => {
    const m = /^`([\w./-]+)`:?$/.exec(b.label);
    return m ? [{ file: m[1], text: b.text }] : [];
  });
}

/** The packages of the README's `npm install` lines, without their version ranges. */
function readmePackages(markdown) {
  const packages = [];
  for (const b of fencedBlocks(markdown).filter(x => /^(sh|bash|shell)$/.test(x.info))) {
    for (const line of b.text.split('\n').map(l => l.trim()).filter(l => /^npm (install|i) /.test(l))) {
      const words = line.split(/\s+/).slice(2);
      const dev = words.some(w => w === '-D' || w === '--save-dev');
      for (const spec of words.filter(w => !w.startsWith('-'))) {
        packages.push({ dev, name: spec.replace(/^(@?[^@]+)@.*$/, '$1') });
      }
    }
  }
  return packages;
}

if (require.main === module) {
  const [command, readme, dir] = process.argv.slice(2);
  const markdown = fs.readFileSync(readme, 'utf-8');
  if (command === 'files') {
    const files = readmeFiles(markdown);
    if (files.length === 0) { throw new Error(`${readme} has no file blocks (a fenced block after a line like \`bin/app.ts\`:)`); }
    for (const { file, text } of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
      console.log(file);
    }
  } else if (command === 'packages') {
    const packages = readmePackages(markdown);
    if (packages.length === 0) { throw new Error(`${readme} has no npm install line in a sh block`); }
    packages.forEach(p => console.log(`${p.dev ? 'dev' : 'dep'} ${p.name}`));
  } else {
    throw new Error('usage: readme-app.js files README.md <dir> | packages README.md');
  }
}

module.exports = { fencedBlocks, readmeFiles, readmePackages };
