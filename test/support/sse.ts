/**
 * A GraphQL-over-SSE client for tests, the way a browser subscribes: POST with
 * `accept: text/event-stream`, then read `event:`/`data:` blocks as they arrive.
 */
export interface SseEvent {
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

export interface Subscription {
  /** The next event; rejects after `timeoutMs` with what has been received so far. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Disconnects, as a closed browser tab would. */
  close(): void;
  status: number;
}

export async function subscribe(
  url: URL,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Subscription> {
  const controller = new AbortController();
  const response = await fetch(new URL('/graphql', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  const queue: SseEvent[] = [];
  let buffer = '';
  let ended = false;

  const pump = async (): Promise<void> => {
    if (!reader) return;
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) {
      ended = true;
      return;
    }
    buffer += value ?? '';
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event) queue.push({ event, data: data ? JSON.parse(data) : null });
      boundary = buffer.indexOf('\n\n');
    }
  };

  return {
    status: response.status,
    async next(timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (ended) throw new Error('the stream ended');
        if (Date.now() > until) throw new Error('no event in time');
        await Promise.race([pump(), new Promise((resolve) => setTimeout(resolve, Math.max(1, until - Date.now())))]);
      }
      return queue.shift() as SseEvent;
    },
    close() {
      controller.abort();
    },
  };
}
