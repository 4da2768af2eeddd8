/** The `/ci` command family: builds, tests, deploys and rollbacks, and what guards them. */
import { audit } from '../../core/commands/audit.ts';
import { approve, confirm, reject } from '../../core/commands/gates.ts';
import { help } from '../../core/commands/help.ts';
import { lock, locks, unlock } from '../../core/commands/lock.ts';
import { stats } from '../../core/commands/stats.ts';
import { whoami } from '../../core/commands/whoami.ts';
import { defineFamily } from '../../core/family.ts';
import { ciArgTypes } from './arg-types.ts';
import { build } from './build.ts';
import { cancelButton, rerunButton } from './buttons.ts';
import { deploy } from './deploy.ts';
import { envs } from './envs.ts';
import { history } from './history.ts';
import { promote } from './promote.ts';
import { rollback } from './rollback.ts';
import { cancel, retry } from './run-commands.ts';
import { status } from './status.ts';
import { test } from './test.ts';

export const ciFamily = defineFamily({
  root: 'ci',
  summary: 'Build, test, deploy, promote and roll back; see runs, environments, locks and the audit log.',
  commands: [
    build,
    test,
    deploy,
    promote,
    rollback,
    status,
    envs,
    history,
    retry,
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
