/** Keeps the last bytes of a stream in memory and renders its last lines. */

/** A bounded buffer of the most recent output. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly capacity: number) {}

  /** Appends a chunk, dropping the oldest bytes beyond capacity. */
  push(chunk: Buffer): void {
    const piece = chunk.length > this.capacity ? chunk.subarray(chunk.length - this.capacity) : chunk;
    this.chunks.push(piece);
    this.size += piece.length;
    while (this.size > this.capacity) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** The buffered bytes. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }

  /** The last `maxLines` lines, at most `maxChars` characters, without a trailing newline. */
  lines(maxLines = 20, maxChars = 2000): string {
    let text = this.bytes().toString('utf8').replace(/\r\n/g, '\n').replace(/\n+$/, '');
    const lines = text.split('\n');
    text = lines.slice(-maxLines).join('\n');
    if (text.length > maxChars) {
      text = text.slice(text.length - maxChars);
      const cut = text.indexOf('\n');
      if (cut >= 0 && cut < text.length - 1) text = text.slice(cut + 1);
    }
    return text;
  }
}
