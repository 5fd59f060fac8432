import { DomainError } from '@/src/server/errors';
import { IntegrationError } from '@/src/server/integrations/errors';

/** Errors that no retry can fix: the job stops at once and the failure is recorded. */
export function isPermanent(err: unknown): boolean {
  // An external service's refusal that its own policy would not retry (400 invalid request, 401 bad key, …) answers
  // the same on the next attempt: the job stops and the operator fixes the cause, then retries from the console.
  if (err instanceof IntegrationError) return !err.retryable;
  return (
    err instanceof DomainError &&
    ['bad_request', 'not_found', 'not_configured', 'invalid_transition', 'forbidden', 'payload_too_large'].includes(err.code)
  );
}
