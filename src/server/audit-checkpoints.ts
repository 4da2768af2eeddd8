/**
 * Anchors the audit chain outside the database: every `everyMs` while entries arrive, and at
 * shutdown, its head (entry count, last id, head hash or MAC, time) is appended to a file of its
 * own and, where configured, posted to an audit channel. `deckhand audit verify` checks the chain
 * against the newest line: entries cut from the end, or a chain recomputed from the start, show.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/outbox.ts';
import type { Clock } from '../core/ports.ts';
import type { AuditStore, Checkpoint } from '../core/store.ts';

export interface AuditCheckpointOptions {
  audit: Pick<AuditStore, 'head'>;
  file: string;
  everyMs: number;
  clock: Clock;
  logger: Logger;
  /** Posts a checkpoint to the audit channel, when one is configured. */
  post?: (checkpoint: Checkpoint) => Promise<void>;
}

export class AuditCheckpoints {
  private timer: NodeJS.Timeout | undefined;
  /** The head last anchored (`lastId:head`), so an idle log adds no lines. */
  private last: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly o: AuditCheckpointOptions) {}

  async start(): Promise<void> {
    const newest = await newestCheckpoint(this.o.file).catch(() => undefined);
    if (newest) this.last = `${newest.lastId}:${newest.head}`;
    this.timer = setInterval(() => void this.take(), this.o.everyMs);
    this.timer.unref();
  }

  /** Takes a last checkpoint (shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.take();
  }

  /** Anchors the head now, unless it has not moved since the last checkpoint. */
  take(): Promise<void> {
    this.writing = this.writing
      .then(() => this.write())
      .catch((err: unknown) => this.o.logger.error({ err }, 'could not write an audit checkpoint'));
    return this.writing;
  }

  private async write(): Promise<void> {
    const head = await this.o.audit.head();
    if (!head || `${head.lastId}:${head.head}` === this.last) return;
    const checkpoint: Checkpoint = { ...head, at: this.o.clock.now().toISOString() };
    await mkdir(path.dirname(this.o.file), { recursive: true });
    // Appended and synced: a checkpoint that was taken is on disk.
    const file = await open(this.o.file, 'a', 0o600);
    try {
      await file.write(`${JSON.stringify(checkpoint)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    this.last = `${head.lastId}:${head.head}`;
    await this.o.post?.(checkpoint);
  }
}

const isCheckpoint = (v: unknown): v is Checkpoint => {
  const c = v as Checkpoint;
  return (
    !!c &&
    Number.isInteger(c.count) &&
    Number.isInteger(c.lastId) &&
    typeof c.head === 'string' &&
    typeof c.keyed === 'boolean' &&
    typeof c.at === 'string'
  );
};

/** The newest checkpoint in `file`; undefined when the file is absent or holds none. */
export async function newestCheckpoint(file: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const lines = text.split('\n').filter((l) => l.trim());
  for (const line of lines.reverse()) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (isCheckpoint(parsed)) return parsed;
    } catch {
      // A torn last line (a crash while appending): the one before it is the newest.
    }
  }
  return undefined;
}
