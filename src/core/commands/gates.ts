/** `/ci confirm|cancel|approve|reject <code>`: the buttons of a held command, typed. */
import type { PersonInfo } from '../people.ts';
import { defineCommand, type Outcome } from './types.ts';

/** What these commands ask of the gate service. */
export interface GateActions {
  confirm(code: string, person: PersonInfo): Promise<Outcome>;
  cancel(code: string, person: PersonInfo): Promise<Outcome>;
  approve(code: string, person: PersonInfo): Promise<Outcome>;
  reject(code: string, person: PersonInfo, reason?: string): Promise<Outcome>;
}

type Deps = { gates: GateActions };
const code = {
  name: 'code',
  type: 'text',
  required: true,
  description: 'the request code, e.g. K7Q2XM',
} as const;

export const confirm = defineCommand<Deps>({
  name: 'confirm',
  summary: 'Confirm your own held command (where buttons do not work).',
  args: [code],
  examples: ['confirm K7Q2XM'],
  handle: (args, who, deps) => deps.gates.confirm(args.code as string, who.person),
});

export const cancel = defineCommand<Deps>({
  name: 'cancel',
  summary: 'Withdraw your own request before it runs.',
  args: [code],
  examples: ['cancel K7Q2XM'],
  handle: (args, who, deps) => deps.gates.cancel(args.code as string, who.person),
});

export const approve = defineCommand<Deps>({
  name: 'approve',
  summary: "Approve someone else's request (approver roles only).",
  args: [code],
  examples: ['approve K7Q2XM'],
  handle: (args, who, deps) => deps.gates.approve(args.code as string, who.person),
});

export const reject = defineCommand<Deps>({
  name: 'reject',
  summary: "Reject someone else's request, saying why (approver roles only).",
  args: [
    code,
    { name: 'reason', type: 'text', rest: true, required: true, description: 'why, told to the requester' },
  ],
  examples: ['reject K7Q2XM the migration is not reviewed yet'],
  handle: (args, who, deps) => deps.gates.reject(args.code as string, who.person, args.reason),
});
