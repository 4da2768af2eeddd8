/**
 * Arguments into a runbook's steps. A command gets them as whole argv items or environment values,
 * never as text a shell would read; a URL gets them URL-encoded; a JSON body JSON-escaped.
 */
import { placeholder } from '../../config/runbooks.ts';

export type Values = Readonly<Record<string, string | undefined>>;

const whole = /^\{\{\s*([a-z][a-z0-9_-]*)\s*\}\}$/i;

/** An argv item or an environment value: a literal, or exactly one argument's value, as it is. */
export function wholeItem(item: string, values: Values): string {
  const name = item.match(whole)?.[1];
  return name === undefined ? item : (values[name] ?? '');
}

/** Every `{{arg}}` in a text, each value passed through `encode`. */
export function fill(text: string, values: Values, encode: (value: string) => string): string {
  return text.replace(placeholder, (_, name: string) => encode(values[name] ?? ''));
}

/** A value inside a JSON string literal: quotes, backslashes and control characters escaped. */
export const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1);
