/** A tiny Server-Sent Events reader over fetch, for tests. */

/** One parsed event; comments (heartbeats) come through with event `comment`. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Opens a stream and lets a test wait for the next event matching a predicate. */
export async function openStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  if (!response.body) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';

  const pump = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) events.push({ event: 'comment', data: line.slice(1).trim() });
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) events.push({ event, data: data.join('\n') });
      end = buffer.indexOf('\n\n');
    }
  };

  return {
    response,
    /** Resolves with the first unseen event that matches, reading more as needed; fails after 2 s. */
    async next(match: (e: SseEvent) => boolean): Promise<SseEvent> {
      const deadline = Date.now() + 2000;
      for (;;) {
        const index = events.findIndex(match);
        if (index !== -1) return events.splice(0, index + 1).at(-1) as SseEvent;
        if (Date.now() > deadline) throw new Error('no matching event');
        await Promise.race([pump(), new Promise((resolve) => setTimeout(resolve, 100))]);
      }
    },
    /** Resolves when the server ends the stream. */
    async ended(): Promise<boolean> {
      try {
        for (;;) {
          const { done } = await reader.read();
          if (done) return true;
        }
      } catch {
        return true;
      }
    },
    close: () => controller.abort(),
  };
}
