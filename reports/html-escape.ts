/**
 * Escaping for everything the HTML renderers print. Every string that came from the SUT, the scenario or
 * the user goes through `esc` (element text and attribute values); data for the page's scripts goes through
 * `jsonForScript`, which cannot close its `<script>` element. Pure.
 */
import { createHash } from 'node:crypto';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for an HTML element body or a quoted attribute value. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&` and the JS line separators are
 * written as `\uXXXX` escapes, so no text in the data can end the element or open a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The CSP source for one inline script: `'sha256-<base64>'` of its exact text. */
export function cspHash(scriptText: string): string {
  return `'sha256-${createHash('sha256').update(scriptText, 'utf8').digest('base64')}'`;
}
