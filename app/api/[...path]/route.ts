import { withApi } from '@/src/server/auth/with-api';
import { DomainError } from '@/src/server/errors';

/**
 * Any /api path no other route matches (a mistyped endpoint, `..` in a path): the documented JSON error (401 signed
 * out, else 404 `not_found`) instead of the console's HTML not-found page.
 */
const noRoute = withApi({}, async () => {
  throw new DomainError('not_found', 'No API route at this path.');
});

export { noRoute as GET, noRoute as HEAD, noRoute as POST, noRoute as PUT, noRoute as PATCH, noRoute as DELETE };
