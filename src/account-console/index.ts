// account-console/: the signed-in person's own page at /account — sessions, connected apps, password.
export { accountRoutes, type AccountConsoleDeps } from './routes.ts';
export { accountClientMetadata, ACCOUNT_CLIENT_ID, ACCOUNT_PATH } from './client.ts';
export { trackDeviceSessions } from './device-tracking.ts';
