import { TRPCClientError } from '@trpc/client';

interface ErrorData {
  code?: string;
  zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };
}

/** A sentence a person can read for any failed call: field problems by name, else the server's message. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    const fields = Object.entries(data.zodError?.fieldErrors ?? {}).flatMap(([field, messages]) =>
      (messages ?? []).map((message) => `${field[0]?.toUpperCase()}${field.slice(1)}: ${message}`),
    );
    const problems = [...(data.zodError?.formErrors ?? []), ...fields];
    if (problems.length > 0) return capitalise(problems.join('. '));
    if (data.code === 'UNAUTHORIZED' && /sign in or send/.test(error.message)) return 'Your session has ended; sign in again.';
    return capitalise(error.message);
  }
  if (error instanceof Error) return error.message === 'Failed to fetch' ? 'The server could not be reached; check your connection.' : capitalise(error.message);
  return 'Something went wrong.';
}

/** The tRPC error code of a failure (e.g. 'UNAUTHORIZED'), if it is one. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? ((error.data ?? {}) as ErrorData).code : undefined;
}

function capitalise(text: string): string {
  return text ? `${text[0]!.toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}` : 'Something went wrong.';
}
