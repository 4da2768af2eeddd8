/** `/oncall`'s argument types: a schedule name (or a policy's), checked against `oncall:` in the config. */
import { UserError } from '../../core/errors.ts';
import type { ArgType } from '../../core/family.ts';
import { closest } from '../../core/suggest.ts';

const howToAdd = 'Add them under `oncall.schedules` in deckhand.yaml (docs/oncall.md shows how).';

/** A configured name, matched regardless of case; otherwise a refusal saying what there is. */
function named(kind: string, value: string, known: readonly string[], commands: readonly string[]): string {
  const exact = known.find((k) => k.toLowerCase() === value.toLowerCase());
  if (exact) return exact;
  if (known.length === 0 && kind === 'schedule')
    throw new UserError(
      `There is no schedule \`${value}\`: no on-call schedules are configured. ${howToAdd}`,
    );
  const guess = closest(value, known);
  const command = guess ? undefined : closest(value, commands);
  const hint = guess ? ` Did you mean \`${guess}\`?` : command ? ` Did you mean \`/oncall ${command}\`?` : '';
  const list = known.length ? ` ${kind === 'schedule' ? 'Schedules' : 'Policies'}: ${known.join(', ')}.` : '';
  throw new UserError(`There is no ${kind} \`${value}\`.${hint}${list}`);
}

export const oncallArgTypes: Readonly<Record<string, ArgType>> = {
  schedule: {
    check: (value, _spec, c) => named('schedule', value, c.services.oncall.schedules(), c.commands),
  },
  policy: {
    check: (value, _spec, c) => {
      const known = c.services.oncall.policies?.() ?? [];
      return named('escalation policy', value, known, c.commands);
    },
  },
};
