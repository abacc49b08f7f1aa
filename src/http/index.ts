// http/: the one error type and serializer, the error boundary, page rendering, health and static files.
export { AppError, serializeError, type ErrorCode } from './errors.ts';
export { errorBoundary } from './error-middleware.ts';
export { drainUnreadBody } from './drain-body.ts';
export { createPageRenderer, type PageRenderer } from './render.ts';
export { healthRoutes } from './health.ts';
export { staticRoutes } from './static.ts';
export { jwksRoutes } from './jwks.ts';
