import type { LoggedEvent } from '../services/run-event-log';

/**
 * A text/event-stream response from a run's event log: `id: seq`, `event: type`,
 * `data: json`, with a comment ping every 15 s so proxies keep the stream open.
 * Clients resume with the Last-Event-ID header.
 */
export function sseResponse(events: AsyncGenerator<LoggedEvent>, abort: AbortController): Response {
  const encoder = new TextEncoder();
  let ping: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      ping = setInterval(() => controller.enqueue(encoder.encode(': ping\n\n')), 15_000);
      try {
        for await (const { seq, event } of events) {
          controller.enqueue(encoder.encode(`id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
        }
        controller.enqueue(encoder.encode('event: end\ndata: {}\n\n'));
      } catch {
        // The client went away.
      } finally {
        clearInterval(ping);
        controller.close();
      }
    },
    cancel() {
      clearInterval(ping);
      abort.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
}
