/** Modules for tests, plugged into the same assembly as production: a recording chat platform, a scripted CI system. */
import type { Intake } from '../../src/core/intake.ts';
import { builtinModules } from '../../src/modules/builtin.ts';
import type {
  ChatPlatformModule,
  CiSystem,
  CiSystemContext,
  CiSystemModule,
  DeckhandModules,
} from '../../src/modules/index.ts';
import { RecordingSender } from './recording-sender.ts';
import { ScriptedProvider } from './scripted-provider.ts';

/** A chat platform that records what deckhand sends; what it receives goes through `intake`. */
export interface RecordingChat {
  module: ChatPlatformModule<never>;
  sender: RecordingSender;
  /** The intake deckhand handed the platform when it built it. */
  intake(): Intake;
}

export function recordingChat(name = 'test'): RecordingChat {
  const sender = new RecordingSender(name);
  let intake: Intake | undefined;
  const module: ChatPlatformModule<unknown> = {
    name,
    enabled: () => true,
    async create(context) {
      intake = context.intake;
      return { sender };
    },
  };
  return {
    module: module as ChatPlatformModule<never>,
    sender,
    intake: () => {
      if (!intake) throw new Error('deckhand has not built the recording chat platform yet');
      return intake;
    },
  };
}

/** A CI system whose provider runs nothing and reports what the test tells it to (in place of `local`). */
export interface ScriptedCi {
  module: CiSystemModule;
  provider: ScriptedProvider;
  /** What deckhand handed the system when it built it. */
  context(): CiSystemContext;
}

export function scriptedCi(provider = new ScriptedProvider()): ScriptedCi {
  let context: CiSystemContext | undefined;
  return {
    provider,
    module: {
      name: provider.name,
      runsOutliveDeckhand: true,
      async create(c) {
        context = c;
        return { provider };
      },
    },
    context: () => {
      if (!context) throw new Error('deckhand has not built the scripted CI system yet');
      return context;
    },
  };
}

/** The built-in modules with some replaced (or added) by name. */
export function withModules(replace: {
  chat?: readonly ChatPlatformModule<never>[];
  ci?: readonly CiSystemModule[];
  commands?: DeckhandModules['commands'];
}): DeckhandModules {
  const swap = <T extends { name: string }>(builtin: readonly T[], mine: readonly T[] = []) => [
    ...builtin.filter((m) => !mine.some((x) => x.name === m.name)),
    ...mine,
  ];
  return {
    chat: swap(builtinModules.chat, replace.chat),
    ci: swap(builtinModules.ci, replace.ci),
    commands: replace.commands ?? builtinModules.commands,
    stores: builtinModules.stores,
  };
}

/** A built-in CI module built by another factory (a fake's base URL, shorter polls). */
export function ciWith(
  module: CiSystemModule,
  factory: (context: CiSystemContext) => CiSystem,
): CiSystemModule {
  return { ...module, create: async (context) => factory(context) };
}
