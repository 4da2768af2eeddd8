/**
 * What reached a chat channel, checked against what should have: every run's message exactly once
 * and in its final state, every finished step's detail in its thread exactly once. Pure.
 */

/** A message as the Slack fake stores it (only the fields read here). */
export interface ChannelMessage {
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export interface Expected {
  runId: number;
  /** Step numbers (1-based) whose detail must be in the run's thread. */
  steps: number;
  /** What the run's message must end up saying, e.g. `succeeded`. */
  status: string;
}

export interface ChannelCheck {
  /** Run messages missing or not in their final state, plus step details never posted. */
  lost: number;
  /** Run messages posted more than once, plus step details posted more than once. */
  duplicated: number;
}

const content = (m: ChannelMessage) => JSON.stringify([m.text, m.blocks, m.attachments]);

/** Checks one channel's messages against the runs routed to it. */
export function checkChannel(messages: readonly ChannelMessage[], runs: readonly Expected[]): ChannelCheck {
  let lost = 0;
  let duplicated = 0;
  const tops = messages.filter((m) => !m.thread_ts);
  for (const run of runs) {
    const title = new RegExp(`Build #${run.runId} (\\w+)`);
    const cards = tops.filter((m) => title.test(content(m)));
    if (cards.length === 0) {
      lost += 1 + run.steps;
      continue;
    }
    duplicated += cards.length - 1;
    const card = cards[0] as ChannelMessage;
    if (title.exec(content(card))?.[1] !== run.status) lost++;
    const seen = new Map<number, number>();
    for (const reply of messages.filter((m) => m.thread_ts === card.ts)) {
      // A reply's text appears in its fallback and its blocks: count each step once per reply.
      const steps = new Set([...content(reply).matchAll(/Step (\d+): /g)].map((x) => Number(x[1])));
      for (const n of steps) seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    for (let n = 1; n <= run.steps; n++) {
      const times = seen.get(n) ?? 0;
      if (times === 0) lost++;
      else duplicated += times - 1;
    }
  }
  return { lost, duplicated };
}
