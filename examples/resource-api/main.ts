/**
 * Run the example API: ISSUER=http://localhost:3000 AUDIENCE=http://localhost:3000/demo-api \
 *   SCOPE=api:read PORT=4000 node examples/resource-api/main.ts
 */
import { createResourceApi } from './api.ts';

const issuer = process.env.ISSUER ?? 'http://localhost:3000';
const api = createResourceApi({
  issuer,
  audience: process.env.AUDIENCE ?? `${issuer}/demo-api`,
  requiredScope: process.env.SCOPE ?? 'api:read',
});
const port = Number(process.env.PORT ?? 4000);
api.listen(port, '127.0.0.1', () => process.stdout.write(`example resource API on http://127.0.0.1:${port}/\n`));
