// interactions/: the hosted login, consent and abort routes — thin handlers over interactionDetails/Result.
export { interactionRoutes, type InteractionDeps } from './routes.ts';
export { LOGIN_FAILED } from './login.ts';
