/**
 * Slash-command ack: signed `/ci status` at full load (50 connections) through deckhand's whole
 * path — signature, identity, policy, the audit entry on disk, the answer — beside two baselines
 * in the same run: bare node:http answering 200, and node:http that also checks the signature.
 * The three servers run side by side (each in its own process) and are measured in turns, a few
 * rounds each, so a busy moment of the machine falls on all of them alike.
 */
import { auditOnDisk } from './lib/audit.ts';
import { type ChildServer, startServer } from './lib/child.ts';
import { benchSlackFake, tempDir } from './lib/config.ts';
import { benchSeconds, measure } from './lib/load.ts';
import { signedCommand } from './lib/slack.ts';
import { latencySummary, ratio, round } from './lib/stats.ts';

export interface AckResult {
  /** What was typed (`BENCH_TEXT` picks another command, e.g. `whoami`, to compare paths). */
  command: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  failed: number;
  baseline_rps: number;
  baseline_p99_ms: number;
  signed_baseline_rps: number;
  signed_baseline_p99_ms: number;
  ratio_to_baseline: number;
  ratio_to_signed_baseline: number;
  /** Audit entries on disk afterwards, and the commands answered 200 (warm-up included). */
  audit_entries: number;
  commands_answered: number;
  audit_chain_ok: boolean;
  rounds: number;
  seconds_per_round: number;
}

interface Tally {
  answered: number;
  /** Including warm-ups. */
  total: number;
  failed: number;
  seconds: number;
  samples: number[];
}

const ROUNDS = 3;
const text = () => process.env.BENCH_TEXT ?? 'status';

async function round_(server: ChildServer, tally: Tally, seconds: number): Promise<void> {
  // Signed just before each load: Slack's replay window is five minutes.
  const r = await measure({
    url: server.url,
    requests: [signedCommand(text())],
    durationS: seconds,
    warmupS: 1,
  });
  tally.answered += r.answered;
  tally.total += r.answered + r.warmup_answered;
  tally.failed += r.failed;
  tally.seconds += r.duration_s;
  for (const ms of r.samples ?? []) tally.samples.push(ms);
}

export async function ack(): Promise<AckResult> {
  const fake = await benchSlackFake(['C-general', 'C-builds', 'C-deploys']);
  const dir = tempDir('ack');
  const servers = {
    bare: await startServer('bare'),
    signed: await startServer('signed'),
    deckhand: await startServer('deckhand', { dir, slackUrl: fake.url, seedRuns: 200 }),
  };
  const tallies = Object.fromEntries(
    Object.keys(servers).map((k) => [
      k,
      { answered: 0, total: 0, failed: 0, seconds: 0, samples: [] as number[] },
    ]),
  ) as Record<keyof typeof servers, Tally>;
  const seconds = benchSeconds(5);
  let answeredBefore = 0;
  try {
    const probe = signedCommand(text());
    const answer = await fetch(`${servers.deckhand.url}/slack/commands`, {
      method: 'POST',
      headers: probe.headers as Record<string, string>,
      body: probe.body as string,
    }).then((r) => r.text());
    if (!process.env.BENCH_TEXT && !answer.includes('Recent runs'))
      throw new Error(`unexpected answer to /ci status: ${answer}`);
    answeredBefore = 1;
    for (let i = 0; i < ROUNDS; i++) {
      for (const name of ['bare', 'signed', 'deckhand'] as const)
        await round_(servers[name], tallies[name], seconds);
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    await fake.close();
  }
  const rps = (t: Tally) => round(t.answered / t.seconds, 0);
  const full = latencySummary(tallies.deckhand.samples);
  const audit = auditOnDisk(dir);
  return {
    command: `/ci ${text()}`,
    rps: rps(tallies.deckhand),
    p50_ms: full.p50_ms,
    p99_ms: full.p99_ms,
    max_ms: full.max_ms,
    failed: tallies.deckhand.failed,
    baseline_rps: rps(tallies.bare),
    baseline_p99_ms: latencySummary(tallies.bare.samples).p99_ms,
    signed_baseline_rps: rps(tallies.signed),
    signed_baseline_p99_ms: latencySummary(tallies.signed.samples).p99_ms,
    ratio_to_baseline: ratio(rps(tallies.deckhand), rps(tallies.bare)),
    ratio_to_signed_baseline: ratio(rps(tallies.deckhand), rps(tallies.signed)),
    audit_entries: audit.entries,
    commands_answered: answeredBefore + tallies.deckhand.total,
    audit_chain_ok: audit.chain_ok,
    rounds: ROUNDS,
    seconds_per_round: seconds,
  };
}
