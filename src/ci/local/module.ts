/** The built-in local runner as a CI system module: pipelines' `steps` run on this machine. */
import type { CiSystemModule } from '../../modules/ci-system.ts';
import { createLocalRunner } from './local-runner.ts';

export const localSystem: CiSystemModule = {
  name: 'local',
  config: {
    check(config, issue) {
      for (const [name, p] of Object.entries(config.pipelines)) {
        if (p.provider === 'local' && p.steps.length === 0)
          issue(['pipelines', name, 'steps'], 'a local pipeline needs at least one step');
      }
    },
  },
  // Its runs are processes of deckhand's: a restart ends them.
  runsOutliveDeckhand: false,
  async create(context) {
    const provider = createLocalRunner({
      config: context.config,
      emit: context.onEvent,
      logger: context.logger,
      redactor: context.redactor,
    });
    return { provider };
  },
};
