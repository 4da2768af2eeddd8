/** Hands commands and button clicks to the core after the HTTP reply has gone out. */
import type { FastifyBaseLogger } from 'fastify';
import type { ActionRequest, CommandReply, CommandRequest, Inbound } from '../../core/inbound.ts';
import type { Message } from '../../core/messages.ts';
import type { ChatAddress, ChatSender } from '../../core/ports.ts';

const failure: Message = {
  header: 'Something went wrong',
  status: 'error',
  text: 'deckhand could not handle that request; the server log has the details.',
};

/** Runs the core's handlers in the background and posts any reply the core did not queue. */
export interface Dispatcher {
  command(request: CommandRequest): void;
  action(request: ActionRequest, replyTo: ChatAddress): void;
  /** Resolves when every handler started so far has finished (for tests and shutdown). */
  idle(): Promise<void>;
}

/** Builds a dispatcher; `replyTo` is where an unqueued reply or an error notice is posted. */
export function createDispatcher(inbound: Inbound, sender: ChatSender, log: FastifyBaseLogger): Dispatcher {
  const pending = new Set<Promise<void>>();

  const run = (what: string, replyTo: ChatAddress, handle: () => Promise<CommandReply>) => {
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(handle)
      .then(async (reply) => {
        if (!reply.queued) await sender.post(replyTo, reply.message);
      })
      .catch(async (error: unknown) => {
        log.error({ err: error }, `webchat ${what} failed`);
        await sender.post(replyTo, failure).catch((postError: unknown) => {
          log.error({ err: postError }, 'webchat could not post the failure notice');
        });
      })
      .finally(() => pending.delete(task));
    pending.add(task);
  };

  return {
    command(request) {
      const replyTo = {
        channel: request.channel,
        ...(request.threadId ? { threadId: request.threadId } : {}),
      };
      run('command', replyTo, () => inbound.handleCommand(request));
    },
    action(request, replyTo) {
      run('action', replyTo, () => inbound.handleAction(request));
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
