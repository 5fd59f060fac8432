/**
 * Preloaded by the container image (`node --import ./forwarded-for.mjs server.js`; the Dockerfile bundles this file
 * with esbuild). The image runs Next's standalone server.js, not scripts/start.ts, and Next keeps an X-Forwarded-For
 * the client sent, so a client could pick the address sign-in throttling counts. This wraps every request listener
 * handed to http.createServer so the header holds the one address resolveClientIp believes (TRUST_PROXY_HOPS as in
 * scripts/start.ts) before Next sees the request.
 */
import http from 'node:http';
import { resolveClientIp } from '../../src/server/auth/client-ip';

const hops = Math.min(10, Math.max(0, Number.parseInt(process.env.TRUST_PROXY_HOPS ?? '0', 10) || 0));
const createServer = http.createServer.bind(http) as (...args: unknown[]) => http.Server;

function believed(listener: http.RequestListener): http.RequestListener {
  return (req, res) => {
    req.headers['x-forwarded-for'] = resolveClientIp({ socketAddress: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'], trustedHops: hops });
    return listener(req, res);
  };
}

(http as { createServer: unknown }).createServer = (...args: unknown[]) =>
  createServer(...args.map((a) => (typeof a === 'function' ? believed(a as http.RequestListener) : a)));
