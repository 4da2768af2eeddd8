/** A step log file bounded in size: keeps the beginning and the end, with a marker between. */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { TailBuffer } from './log-tail.ts';

/** Room kept for the `[… N bytes omitted …]` line. */
const markerReserve = 64;

/** Writes output live until `limit` bytes, then keeps the head and the last bytes for the end. */
export class BoundedLog {
  private handle: Promise<FileHandle>;
  private chain: Promise<unknown> = Promise.resolve();
  private written = 0;
  private total = 0;
  private readonly headCap: number;
  private readonly tail: TailBuffer;

  constructor(
    readonly file: string,
    private readonly limit: number,
  ) {
    this.headCap = Math.floor(limit / 2);
    this.tail = new TailBuffer(Math.max(0, limit - this.headCap - markerReserve));
    this.handle = mkdir(path.dirname(file), { recursive: true }).then(() => open(file, 'w'));
    this.handle.catch(() => undefined);
  }

  /** Appends output; bytes beyond the limit are held back for the final tail. */
  write(chunk: Buffer): void {
    this.total += chunk.length;
    this.tail.push(chunk);
    if (this.written >= this.limit) return;
    const part = chunk.subarray(0, this.limit - this.written);
    const position = this.written;
    this.written += part.length;
    this.enqueue((fh) => fh.write(part, 0, part.length, position));
  }

  /** Finishes the file: when output overflowed, cuts it to head + marker + tail. Never throws. */
  async close(): Promise<void> {
    if (this.total > this.written) {
      const tail = this.tail.bytes();
      const omitted = this.total - this.headCap - tail.length;
      const marker = Buffer.from(`\n[… ${omitted} bytes omitted …]\n`);
      const rest = Buffer.concat([marker, tail]);
      this.enqueue(async (fh) => {
        await fh.truncate(this.headCap);
        await fh.write(rest, 0, rest.length, this.headCap);
      });
    }
    this.enqueue((fh) => fh.close());
    await this.chain.catch(() => undefined);
  }

  private enqueue(task: (fh: FileHandle) => Promise<unknown>): void {
    this.chain = this.chain.then(() => this.handle.then(task)).catch(() => undefined);
  }
}
