/** `npm run bench:doc`: rewrites the "Latest results" block of docs/performance.md from bench/results.json. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { latestResults, replaceLatest } from './lib/report.ts';

const results = JSON.parse(readFileSync(fileURLToPath(new URL('results.json', import.meta.url)), 'utf8'));
const doc = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
writeFileSync(doc, replaceLatest(readFileSync(doc, 'utf8'), latestResults(results)));
