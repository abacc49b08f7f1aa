// i18n/: the message catalog for every user-facing sentence, `t()` to fill it in, and date formatting. Imports nothing of ours.
export { messages, t, tHtml, escapeHtml, type MessageKey, type MessageParams, type Messages, type Translate } from './translate.ts';
export { formatDate } from './format.ts';
