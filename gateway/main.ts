/** `npm run start:gateway`: the gateway alone, on GATEWAY_PORT, with subgraph URLs from configuration. */
import { loadConfig } from '../platform/config.js';
import { onShutdown } from '../platform/bootstrap/shutdown.js';
import { createLogger } from '../platform/logger.js';
import { startGateway } from './start-gateway.js';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
const gateway = await startGateway({ config, log, port: config.ports.gateway, host: config.host });
onShutdown(log, () => gateway.stop());
