/**
 * The end of a build's console log, read with `logText/progressiveText?start=N`: Jenkins answers
 * from byte N, says where to continue in `X-Text-Size`, and sends `X-More-Data: true` while the
 * build is still writing (https://www.jenkins.io/doc/book/using/remote-access-api/).
 */
import type { JenkinsClient } from './client.ts';
import { buildId } from './paths.ts';

/** Bytes of log kept while reading (the rest streams past). */
const keepBytes = 64 * 1024;
/** Lines handed to the core, which trims further for chat. */
const keepLines = 100;

/** Options for {@link readLogTail}. */
export interface LogTailOptions {
  /** Follow-up requests while `X-More-Data` says the build is still writing (default 4). */
  followUps?: number;
  /** Wait between follow-ups (default 250 ms). */
  waitMs?: number;
}

/** The last lines of a build's console log, bounded in size. */
export async function readLogTail(
  client: JenkinsClient,
  job: string,
  number: number,
  options: LogTailOptions = {},
): Promise<string> {
  const followUps = options.followUps ?? 4;
  const waitMs = options.waitMs ?? 250;
  let text = '';
  let start = 0;
  for (let attempt = 0; attempt <= followUps; attempt++) {
    const chunk = await client.logChunk(job, number, start, keepBytes);
    text = keepEnd(text + chunk.text);
    if (!chunk.more || chunk.next < start) break;
    start = chunk.next;
    if (attempt < followUps) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  return lastLines(text, keepLines);
}

function keepEnd(text: string): string {
  return text.length > keepBytes ? text.slice(-keepBytes) : text;
}

/** The last `n` lines of a text, without a trailing empty line. */
export function lastLines(text: string, n: number): string {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.slice(-n).join('\n');
}

/** A few recent log tails, so a failure's reason and its thread reply read the log once. */
export class TailCache {
  private readonly tails = new Map<string, string>();

  constructor(private readonly size = 20) {}

  async get(client: JenkinsClient, job: string, number: number, options?: LogTailOptions): Promise<string> {
    const key = buildId(job, number);
    const cached = this.tails.get(key);
    if (cached !== undefined) return cached;
    const tail = await readLogTail(client, job, number, options);
    this.tails.set(key, tail);
    while (this.tails.size > this.size) this.tails.delete(this.tails.keys().next().value as string);
    return tail;
  }
}
