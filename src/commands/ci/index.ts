/** The `/ci` command family: builds, tests, deploys and rollbacks, and what guards them. */
import { audit } from '../../core/commands/audit.ts';
import { approve, cancel, confirm, reject } from '../../core/commands/gates.ts';
import { help } from '../../core/commands/help.ts';
import { lock, locks, unlock } from '../../core/commands/lock.ts';
import { stats } from '../../core/commands/stats.ts';
import { whoami } from '../../core/commands/whoami.ts';
import { defineFamily } from '../../core/family.ts';
import { ciArgTypes } from './arg-types.ts';
import { build } from './build.ts';
import { cancelButton, rerunButton } from './buttons.ts';
import { deploy } from './deploy.ts';
import { rollback } from './rollback.ts';
import { status } from './status.ts';
import { test } from './test.ts';

export const ciFamily = defineFamily({
  root: 'ci',
  summary: 'Build, test, deploy and roll back; see runs, locks and the audit log.',
  commands: [
    build,
    test,
    deploy,
    rollback,
    status,
    lock,
    unlock,
    locks,
    confirm,
    cancel,
    approve,
    reject,
    audit,
    stats,
    whoami,
    help,
  ],
  argTypes: ciArgTypes,
  buttons: { cancel: cancelButton, rerun: rerunButton },
});
