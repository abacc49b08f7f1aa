// bootstrap/: the BOOTSTRAP_FILE (clients, users, resource servers upserted at start) and the dev demo seed.
export { applyBootstrap, readBootstrapFile, parseBootstrap, clientValidator, BootstrapError, type BootstrapSummary } from './apply.ts';
export { demoBootstrap, demoInstructions, DEMO_PASSWORD } from './demo.ts';
export type { BootstrapFile, BootstrapInput } from './schema.ts';
