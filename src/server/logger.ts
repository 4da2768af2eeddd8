/** The process logger: pino, with every argument redacted before it is written. */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Redactor } from '../core/redact.ts';

export function createLogger(redactor: Redactor, stream?: DestinationStream): Logger {
  const options = {
    level: process.env.LOG_LEVEL ?? 'info',
    hooks: {
      // Secrets must never reach a log line, whatever a caller passed in.
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => redactor.redactValue(a)),
        );
      },
    },
  };
  return stream ? pino(options, stream) : pino(options);
}
