/**
 * The body parser of the hosted forms (the interaction and account POSTs): URL-encoded only, at most
 * 16 KiB, UTF-8. A body it cannot read is the client's mistake and answers 400. co-body's own refusals
 * already carry a 4xx (too large, unsupported encoding or charset), but a gzip, deflate or br body that
 * does not decompress fails inside zlib, whose errors carry no status and would become a 500.
 */
import { bodyParser } from '@koa/bodyparser';
import { t } from '../i18n/index.ts';
import { AppError } from './errors.ts';

export function formBody() {
  return bodyParser({
    enableTypes: ['form'],
    formLimit: '16kb',
    encoding: 'utf-8',
    onError(err) {
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) throw err;
      throw new AppError(400, 'invalid_request', t('error.unreadableBody'), { detail: err.message });
    },
  });
}
