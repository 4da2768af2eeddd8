/** The built-in local runner as a CI system module: pipelines' `steps` run on this machine. */
import { securityScanSource } from '../../core/security/findings.ts';
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
      // Recorded like a SARIF upload, and told by the same handler.
      onScan: async (scan) => {
        await context.intake.record(securityScanSource, { key: `security:${scan.repository}`, data: scan });
      },
    });
    return { provider };
  },
};
