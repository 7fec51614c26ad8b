/**
 * Entry point: reads the configuration, starts tracing when an OTLP endpoint is set, starts the
 * demo upstream when there is no API key, listens, and stops gracefully on SIGTERM/SIGINT.
 * Everything else lives in the app factory.
 */
import { createApp } from './app.js';
import { ConfigError, parseConfig, type Config } from './config/config.js';
import { startDemoUpstream, type DemoUpstream } from './demo/upstream.js';
import { createLogger } from './observability/logger.js';
import { startTracing } from './observability/tracing.js';
import { listen } from './http/server.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nFix these environment variables and start again.\n`);
      process.exit(1);
    }
    throw error;
  }
  // Before the app is built, so its spans have somewhere to go (the SDK itself loads only now).
  const tracing = config.tracing.enabled ? await startTracing(config.tracing) : null;
  const logger = createLogger(config.log.level, undefined, tracing !== null);

  let demo: DemoUpstream | undefined;
  if (config.demo) {
    demo = await startDemoUpstream();
    // The demo sends signed webhooks as its jobs change status, so the push path runs here too.
    // Like LlamaCloud's, they carry no progress: polls keep their usual pace for the live bars.
    const webhooks = { secret: config.webhooks.secret ?? demo.webhookSecret };
    const live = { ...config.live, pollIntervalWithWebhooksMs: config.live.pollIntervalMs };
    config = { ...config, webhooks, live, upstream: { ...config.upstream, baseUrl: demo.url, apiKey: demo.apiKey } };
    logger.warn(
      { demoUpstream: demo.url.href, jobs: demo.jobs.length },
      'DEMO MODE: LLAMA_CLOUD_API_KEY is not set, so the gateway serves made-up jobs from an embedded demo upstream. Set the key to use LlamaCloud.',
    );
  }

  const app = createApp({ config, logger });
  const server = await listen(app, config.server, logger);
  demo?.sendWebhooks(
    new URL('/webhooks/llamacloud', server.url),
    config.webhooks.secret ?? '',
    config.upstream.batchApi,
  );
  // Only what is served: production serves no GraphiQL, and the dashboard only when asked.
  logger.info(
    {
      url: server.url.href,
      ...(config.production ? {} : { graphiql: new URL('/graphql', server.url).href }),
      ...(config.dashboard ? { dashboard: server.url.href } : {}),
    },
    'gateway listening',
  );
  if (config.production && config.auth.mode === 'none') {
    logger.warn(
      'AUTH_MODE=none in production: every caller is accepted. Put an authenticating proxy in front, or set AUTH_MODE=jwt.',
    );
  }

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    await server.close(config.server.shutdownGraceMs);
    await demo?.close();
    // The last spans (this shutdown's requests) go out before the process does.
    await tracing?.shutdown().catch(() => undefined);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
