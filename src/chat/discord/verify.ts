/**
 * Interaction signatures: Ed25519 over timestamp + raw body with the application's public key
 * (https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers),
 * checked by `discord-interactions`. Discord sends bad signatures on purpose and drops endpoints
 * that accept them; a timestamp outside five minutes is refused too, so a captured request cannot
 * be replayed later.
 */
import { verifyKey } from 'discord-interactions';

export const discordReplayWindowSeconds = 300;

export async function verifyDiscordRequest(o: {
  publicKey: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs?: number;
}): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!o.signature || !o.timestamp) return { ok: false, reason: 'missing signature headers' };
  if (!/^[0-9a-f]{128}$/i.test(o.signature)) return { ok: false, reason: 'malformed signature' };
  const ts = Number(o.timestamp);
  if (!/^\d{1,12}$/.test(o.timestamp) || !Number.isFinite(ts))
    return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs((o.nowMs ?? Date.now()) / 1000 - ts) > discordReplayWindowSeconds)
    return { ok: false, reason: 'timestamp outside the replay window' };
  const valid = await verifyKey(o.rawBody, o.signature, o.timestamp, o.publicKey).catch(() => false);
  return valid ? { ok: true } : { ok: false, reason: 'bad signature' };
}
