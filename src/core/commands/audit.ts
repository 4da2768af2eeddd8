import { UserError } from '../errors.ts';
import type { RenderContext } from '../notify/run-message.ts';
import type { Directory } from '../people.ts';
import { closest } from '../suggest.ts';
import type { AuditEntry, AuditFilter, AuditLogReader } from '../types/audit-log.ts';
import { defineCommand } from './types.ts';

/** The kinds of entry the log holds today. */
export const auditKinds = [
  'command',
  'action',
  'run.finished',
  'approval',
  'config.reload',
  'config.loaded',
] as const;

/** Keeps the whole reply well under chat limits (Slack cuts a text block at 3,000 characters). */
const TEXT_BUDGET = 2600;

/** `2026-11-27 14:03`, in UTC. */
export const utcMinute = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** One line of at most `max` characters; a code span cut in half is closed. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, Math.max(1, max - 1));
  if ((cut.match(/`/g)?.length ?? 0) % 2 === 1)
    cut = cut.endsWith('`') ? cut.slice(0, -1) : `${cut.slice(0, -1)}\``;
  return `${cut.trimEnd()}…`;
}

/**
 * One line of about `width` characters: id, time, who, what, decision and outcome. The id, time,
 * who and decision are kept whole; what was typed and the outcome share the rest, and the outcome
 * is left out when there is no room for it.
 */
export function auditLine(e: AuditEntry, mention: (id: string) => string, width: number): string {
  const who = e.actor
    ? mention(e.actor)
    : e.platformUser
      ? `\`${e.platform ?? '?'}:${e.platformUser}\``
      : 'deckhand';
  const head = `#${e.id} ${utcMinute(e.at)} ${who}`;
  if (e.kind === 'run.finished')
    return `${head} ${clip(e.outcome ?? 'run finished', Math.max(16, width - head.length - 1))}`;
  const decision = clip(e.decision, 32);
  const label = e.kind === 'command' ? '' : `${e.kind} `;
  let room = width - head.length - decision.length - label.length - 4;
  const said = (e.text ?? '').replace(/^\/ci\s+/, '').replace(/`/g, "'") || '…';
  const wanted = e.outcome && room >= 40 ? Math.min(60, Math.floor(room * 0.4)) : room;
  const typed = clip(said, Math.max(12, wanted));
  room -= typed.length;
  const outcome = e.outcome && room >= 15 ? ` → ${clip(e.outcome, room - 3)}` : '';
  return `${head} ${label}\`${typed}\` ${decision}${outcome}`;
}

export const audit = defineCommand<{
  auditLog: AuditLogReader;
  render: RenderContext;
  directory: Pick<Directory, 'get'>;
}>({
  name: 'audit',
  summary: 'Show the latest audit log entries: who ran what, the decision and the outcome.',
  readOnly: true,
  args: [{ name: 'count', type: 'count', max: 50, description: 'how many entries, 1–50 (default 10)' }],
  flags: [
    { name: 'user', type: 'text', value: 'person', description: "only this person's entries (their id)" },
    { name: 'kind', type: 'text', description: `only entries of this kind: ${auditKinds.join(', ')}` },
  ],
  examples: ['audit', 'audit 25', 'audit --user alice', 'audit 50 --kind action'],
  async handle(args, _who, deps) {
    const limit = Number(args.count ?? 10);
    const filter: AuditFilter = {};
    if (args.user !== undefined) {
      const id = args.user.replace(/^@/, '');
      const person = deps.directory.get(id) ?? deps.directory.get(id.toLowerCase());
      if (!person) throw new UserError(`Unknown person \`${args.user}\`: give their id from \`people\`.`);
      filter.actor = person.id;
    }
    if (args.kind !== undefined) {
      const kind = args.kind === 'run' ? 'run.finished' : args.kind;
      if (!(auditKinds as readonly string[]).includes(kind)) {
        const guess = closest(args.kind, [...auditKinds]);
        throw new UserError(
          `Unknown kind \`${args.kind}\`.${guess ? ` Did you mean \`${guess}\`?` : ''} Kinds: ${auditKinds.join(', ')}.`,
        );
      }
      filter.kind = kind;
    }
    const entries = await deps.auditLog.recent(limit, filter);
    const whose = [
      filter.actor ? ` by ${deps.render.mention(filter.actor)}` : '',
      filter.kind ? ` of kind ${filter.kind}` : '',
    ].join('');
    if (entries.length === 0)
      return { message: { header: 'Audit log', status: 'info', text: `No audit entries${whose} yet.` } };
    // Each line gets an equal share of the budget; whatever still overflows is left out.
    const width = Math.min(200, Math.floor(TEXT_BUDGET / entries.length) - 1);
    const lines: string[] = [];
    let used = 0;
    for (const e of entries) {
      const line = auditLine(e, deps.render.mention, width);
      if (used + line.length + 1 > TEXT_BUDGET) break;
      lines.push(line);
      used += line.length + 1;
    }
    const left = entries.length - lines.length;
    return {
      message: {
        header: `Audit log: the latest ${lines.length === 1 ? 'entry' : `${lines.length} entries`}${whose}`,
        status: 'info',
        text: lines.join('\n'),
        context: [
          'Newest first; times in UTC; `#` is the entry number in the hash chain.',
          ...(left > 0
            ? [`${left} more left out to stay within chat limits; \`deckhand audit\` lists all.`]
            : []),
        ],
      },
    };
  },
});
