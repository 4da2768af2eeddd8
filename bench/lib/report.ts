/** The results table: each figure beside its target and whether it was met. Pure. */

// biome-ignore lint/suspicious/noExplicitAny: results are read back from JSON, section by section.
export type Results = Record<string, any>;

interface Row {
  section: string;
  figure: string;
  value: (r: Results) => unknown;
  /** The target in words, and the check (undefined: reported, no target). */
  target?: string;
  met?: (r: Results) => boolean;
}

const rows: Row[] = [
  {
    section: 'ack',
    figure: 'requests/s, share of the signature-checking baseline',
    value: (r) => `${r.rps} (${pct(r.ratio_to_signed_baseline)} of ${r.signed_baseline_rps})`,
    target: '≥ 70 %',
    met: (r) => r.ratio_to_signed_baseline >= 0.7,
  },
  {
    section: 'ack',
    figure: 'share of the bare node:http baseline',
    value: (r) => `${pct(r.ratio_to_baseline)} of ${r.baseline_rps}`,
  },
  {
    section: 'ack',
    figure: 'p50 / p99 latency',
    value: (r) => `${r.p50_ms} / ${r.p99_ms} ms`,
    target: 'p99 ≤ 20 ms',
    met: (r) => r.p99_ms <= 20,
  },
  {
    section: 'ack',
    figure: 'audit entries on disk / commands answered',
    value: (r) =>
      `${r.audit_entries} / ${r.commands_answered}, chain ${r.audit_chain_ok ? 'intact' : 'BROKEN'}`,
    target: 'every one',
    met: (r) => r.audit_entries >= r.commands_answered && r.audit_chain_ok,
  },
  {
    section: 'ack_slow_ci',
    figure: 'status p99 at full load while builds wait on a 5 s CI / latest ack of all',
    value: (r) => `${r.p99_ms} / ${r.max_ms} ms`,
    target: 'p99 ≤ 50 ms, max ≤ 3 s',
    met: (r) => r.p99_ms <= 50 && r.max_ms <= 3000,
  },
  {
    section: 'ack_slow_ci',
    figure: 'build acks p50 / max (10 a second, answered at the 1.5 s ack window)',
    value: (r) => `${r.build_p50_ms} / ${r.build_max_ms} ms (${r.builds} builds)`,
  },
  {
    section: 'ingest',
    figure: 'webhook deliveries accepted/s (verified, deduplicated, on disk)',
    value: (r) => `${r.events_per_s}`,
    target: '≥ 5,000',
    met: (r) => r.events_per_s >= 5000,
  },
  {
    section: 'ingest',
    figure: 'deliveries/s until every run is final',
    value: (r) => `${r.processed_events_per_s} (${r.runs_final} runs, ${r.events} deliveries)`,
  },
  {
    section: 'ingest',
    figure: 'the webhook path alone (verified, deduplicated, on disk; nothing to apply)',
    value: (r) => `${r.verify_dedupe_per_s}/s`,
  },
  { section: 'ingest', figure: 'PostgreSQL', value: (r) => r.postgres },
  {
    section: 'notify',
    figure: 'chat calls per 30-job pipeline (naive: one per event)',
    value: (r) => `${r.calls_per_pipeline} (naive ${r.naive_calls})`,
    target: '≤ 3',
    met: (r) => r.calls_per_pipeline <= 3,
  },
  {
    section: 'notify',
    figure: 'calls for 10 / 30 / 60 jobs; 30 jobs spread over 5 s',
    value: (r) =>
      `${r.calls_by_jobs?.[10]} / ${r.calls_by_jobs?.[30]} / ${r.calls_by_jobs?.[60]}; ${r.calls_spread}`,
  },
  {
    section: 'notify',
    figure: 'per platform: calls per 30-job pipeline (10 / 60 jobs; spread) under its limit',
    value: (r) =>
      perPlatform(
        r,
        (v) =>
          `${v.calls_per_pipeline} (${v.calls_by_jobs?.[10]} / ${v.calls_by_jobs?.[60]}; ${v.calls_spread})`,
      ),
  },
  {
    section: 'burst',
    figure: 'per platform: lost / duplicated / early; drain (minimum); calls, 429s',
    value: (r) =>
      perPlatform(
        r,
        (v) =>
          `${v.lost} / ${v.duplicated} / ${v.early_retries}; ${v.drain_s} s (${v.min_drain_s} s); ${v.calls}, ${v.refused_429}`,
      ),
    target: '0 / 0 / 0 on each',
    met: (r) =>
      Object.values(r.platforms ?? {}).every(
        // biome-ignore lint/suspicious/noExplicitAny: a section read back from JSON
        (v: any) => v.lost === 0 && v.duplicated === 0 && v.early_retries === 0,
      ),
  },
  {
    section: 'burst',
    figure: 'lost / duplicated / sent before Retry-After',
    value: (r) => `${r.lost} / ${r.duplicated} / ${r.early_retries}`,
    target: '0 / 0 / 0',
    met: (r) => r.lost === 0 && r.duplicated === 0 && r.early_retries === 0,
  },
  {
    section: 'burst',
    figure: 'drain time (theoretical minimum)',
    value: (r) => `${r.drain_s} s (${r.min_drain_s} s); ${r.calls} calls, ${r.refused_429} answered 429`,
  },
  {
    section: 'footprint',
    figure: 'start to /readyz 200 (the bundle `npm run build` writes)',
    value: (r) => `${r.ready_ms} ms`,
    target: '≤ 1 s',
    met: (r) => r.ready_ms <= 1000,
  },
  {
    section: 'footprint',
    figure: 'idle RSS',
    value: (r) => `${r.idle_rss_mb} MB`,
    target: '≤ 120 MB',
    met: (r) => r.idle_rss_mb <= 120,
  },
];

// biome-ignore lint/suspicious/noExplicitAny: sections are read back from JSON
function perPlatform(r: Results, show: (v: any) => string): string {
  const platforms = Object.entries(r.platforms ?? {});
  return platforms.length ? platforms.map(([name, v]) => `${name}: ${show(v)}`).join('; ') : '–';
}

function pct(x: unknown): string {
  return typeof x === 'number' ? `${Math.round(x * 100)} %` : '–';
}

/** The Markdown table of every section present in `results`; errors are shown in place. */
export function markdownTable(results: Results): string {
  const lines = ['| benchmark | figure | result | target | met |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const section = results[row.section];
    if (!section) continue;
    if (section.error) {
      if (row === rows.find((x) => x.section === row.section))
        lines.push(`| ${row.section} | failed to run | ${section.error} | | ✗ |`);
      continue;
    }
    const met = row.met ? (row.met(section) ? '✓' : '✗') : '';
    lines.push(
      `| ${row.section} | ${row.figure} | ${String(row.value(section))} | ${row.target ?? ''} | ${met} |`,
    );
  }
  return lines.join('\n');
}

/** Targets checked, and how many were met. */
export function targetsMet(results: Results): { met: number; checked: number } {
  let met = 0;
  let checked = 0;
  for (const row of rows) {
    const section = results[row.section];
    if (!row.met || !section || section.error) continue;
    checked++;
    if (row.met(section)) met++;
  }
  return { met, checked };
}

/** The per-platform table of `notify` and `burst` (the same run's figures, one row a platform). */
export function platformTable(results: Results): string {
  const names = [
    ...new Set([
      ...Object.keys(results.notify?.platforms ?? {}),
      ...Object.keys(results.burst?.platforms ?? {}),
    ]),
  ];
  const lines = [
    '| platform | calls per 30-job pipeline (10 / 60 jobs; spread over 5 s) | burst: lost / duplicated / early | burst drain (minimum); calls, 429s |',
    '| --- | --- | --- | --- |',
  ];
  for (const name of names) {
    const n = results.notify?.platforms?.[name];
    const b = results.burst?.platforms?.[name];
    const notify = n
      ? `${n.calls_per_pipeline} (${n.calls_by_jobs?.[10]} / ${n.calls_by_jobs?.[60]}; ${n.calls_spread})`
      : '–';
    const lost = b ? `${b.lost} / ${b.duplicated} / ${b.early_retries}` : '–';
    const drain = b ? `${b.drain_s} s (${b.min_drain_s} s); ${b.calls}, ${b.refused_429}` : '–';
    lines.push(`| ${name} | ${notify} | ${lost} | ${drain} |`);
  }
  return lines.join('\n');
}

/** When and where each section was measured, in one sentence. */
function provenance(results: Results): string {
  const m = results.machine ?? {};
  const dates = Object.entries(results)
    .filter(([name, v]) => rows.some((row) => row.section === name) && v?.measured_at)
    .map(([name, v]) => `${name} ${String(v.measured_at).slice(0, 16).replace('T', ' ')} UTC`);
  const load = Array.isArray(m.load_average_at_start) ? m.load_average_at_start[0] : '?';
  return `${m.cores} cores (${m.cpu}), Node ${m.node}, 1-minute load average ${load} when the last run started. Measured: ${dates.join('; ')}.`;
}

/** The "Latest results" block of docs/performance.md, generated from bench/results.json. */
export function latestResults(results: Results): string {
  const { met, checked } = targetsMet(results);
  return [
    provenance(results),
    '',
    markdownTable(results),
    '',
    `${met} of ${checked} targets met. Per platform (\`npm run bench -- notify burst\`):`,
    '',
    platformTable(results),
  ].join('\n');
}

export const LATEST_START =
  '<!-- bench:latest (written by npm run bench from bench/results.json; do not edit) -->';
export const LATEST_END = '<!-- /bench:latest -->';

/** `doc` with its generated block replaced by `block`; throws when the markers are missing. */
export function replaceLatest(doc: string, block: string): string {
  const start = doc.indexOf(LATEST_START);
  const end = doc.indexOf(LATEST_END);
  if (start < 0 || end < start) throw new Error('docs/performance.md lacks the bench:latest markers');
  return `${doc.slice(0, start + LATEST_START.length)}\n${block}\n${doc.slice(end)}`;
}

/** The generated block currently in `doc`. */
export function currentLatest(doc: string): string | undefined {
  const start = doc.indexOf(LATEST_START);
  const end = doc.indexOf(LATEST_END);
  return start < 0 || end < start ? undefined : doc.slice(start + LATEST_START.length, end).trim();
}
