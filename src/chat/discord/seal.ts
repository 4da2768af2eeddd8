/**
 * Interaction tokens at rest: AES-256-GCM under a key derived (HKDF-SHA-256) from the bot token,
 * a secret deckhand already holds for Discord. The intake record a token answers is the
 * authenticated data, so a sealed token opens only for its own record. A rotated bot token makes
 * older seals unreadable: their answers are then posted with the bot token, as past 15 minutes.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export interface Sealer {
  seal(secret: string, context: string): string;
  /** The secret, or undefined when the seal was not made with this key and context. */
  open(sealed: string, context: string): string | undefined;
}

export function sealer(keySecret: string): Sealer {
  const key = Buffer.from(
    hkdfSync('sha256', keySecret, 'deckhand', 'discord interaction tokens at rest', 32),
  );
  return {
    seal(secret, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [VERSION, iv, body, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || !body || !tag) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
          .setAAD(Buffer.from(context))
          .setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return undefined;
      }
    },
  };
}
