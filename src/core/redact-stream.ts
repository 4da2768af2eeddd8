/**
 * Redaction of output that arrives in pieces (a step's log): what is written has passed the
 * redactor, and a secret split across two pieces is still caught. Whole lines go out as they
 * complete (no token shape spans a line); what could still be the start of a secret waits. A line
 * too long to wait for is cut between tokens, so a secret's whole token is masked, unless one token
 * is longer than HOLD_LIMIT.
 */
import { StringDecoder } from 'node:string_decoder';
import { type Redactor, tokenStart } from './redact.ts';

/** A line longer than this goes out without waiting for its end, but for its last characters. */
const HOLD_LIMIT = 64 * 1024;
/** What a long line keeps back for a token that may go on in the next piece. */
const LONG_LINE_KEEP = 1024;
const PEM_BEGIN = '-----BEGIN ';
const PEM_END = '-----END ';

export class RedactingStream {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly redactor: Pick<Redactor, 'redact' | 'secrets'>) {}

  /** Takes a piece of output; returns what may be written now, redacted (often ''). */
  push(piece: Buffer | string): string {
    this.pending += typeof piece === 'string' ? piece : this.decoder.write(piece);
    const cut = this.safeCut();
    if (cut <= 0) return '';
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.redactor.redact(ready);
  }

  /** The rest, redacted, once the output has ended. */
  end(): string {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest ? this.redactor.redact(rest) : '';
  }

  /** How much of the pending text can be redacted and written without cutting a secret in two. */
  private safeCut(): number {
    const text = this.pending;
    const lineEnd = text.lastIndexOf('\n') + 1;
    // Whole lines go out; a line too long to wait for goes out but for its last characters.
    const long = lineEnd === 0 && text.length > HOLD_LIMIT;
    let cut = long ? text.length - LONG_LINE_KEEP : lineEnd;
    // A private key block spans lines: it waits until its end line has come (up to the limit).
    const begin = text.lastIndexOf(PEM_BEGIN, cut);
    if (begin >= 0 && text.indexOf(PEM_END, begin) < 0 && text.length - begin <= HOLD_LIMIT)
      cut = Math.min(cut, begin);
    // A configured value holding a newline (any value, in a long line) must not straddle the cut,
    // nor start in the text's last characters; each move may call for another.
    for (let round = 0; round < 3; round++) {
      const before = cut;
      for (const value of this.redactor.secrets()) {
        if (!long && !value.includes('\n')) continue;
        cut = Math.min(cut, partialStart(text, value));
        for (let at = text.indexOf(value); at >= 0 && at < cut; at = text.indexOf(value, at + 1))
          if (at + value.length > cut) cut = at;
      }
      if (!long) cut = text.lastIndexOf('\n', cut - 1) + 1;
      else {
        // Not inside a token (a secret later in it masks all of it), unless it is too long to hold.
        const start = tokenStart(text, cut);
        if (text.length - start <= HOLD_LIMIT) cut = start;
      }
      if (cut === before) break;
    }
    return cut;
  }
}

/** Where the text ends with the beginning of `value` (its length when it does not). */
function partialStart(text: string, value: string): number {
  for (let i = Math.max(0, text.length - value.length + 1); i < text.length; i++)
    if (value.startsWith(text.slice(i))) return i;
  return text.length;
}
