/** zod schemas for the hosted forms. Anything else in a body is ignored; anything malformed is refused. */
import { z } from 'zod';

export const loginForm = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export const consentForm = z.object({
  decision: z.enum(['allow', 'deny']).default('allow'),
});
