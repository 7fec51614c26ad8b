/**
 * `npm run demo:upstream`: the demo upstream on its own, so the gateway can be tried in production
 * mode (which never starts the embedded demo) without a LlamaCloud key. Listens on 127.0.0.1 at
 * DEMO_UPSTREAM_PORT (4010) and accepts DEMO_UPSTREAM_KEY (a made-up key, not a secret) as
 * the bearer token. Prints one JSON line once listening.
 */
import { startDemoUpstream } from './upstream.js';

const port = Number(process.env.DEMO_UPSTREAM_PORT ?? '4010');
const apiKey = process.env.DEMO_UPSTREAM_KEY ?? 'demo-local-key';

const demo = await startDemoUpstream({ port, apiKey });
process.stdout.write(
  `${JSON.stringify({ msg: 'demo upstream listening', url: demo.url.href, hint: 'LLAMA_CLOUD_BASE_URL is this url; LLAMA_CLOUD_API_KEY is DEMO_UPSTREAM_KEY (default demo-local-key)' })}\n`,
);
const stop = () => void demo.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
