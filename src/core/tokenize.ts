/**
 * Splits command text into words, honouring quotes and never evaluating anything:
 * `=`, `;`, `$()`, backticks and globs are literal text. Chat clients' curly quotes count as quotes.
 */
import { UserError } from './errors.ts';

const openers: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '„': '“' };

export function tokenize(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const chars = [...text];
  while (i < chars.length) {
    const ch = chars[i] as string;
    const close = openers[ch];
    if (close) {
      const end = chars.indexOf(close, i + 1);
      if (end === -1)
        throw new UserError(`Unclosed quote ${ch} in \`${text.trim()}\`. Close it or remove it.`);
      word += chars.slice(i + 1, end).join('');
      inWord = true;
      i = end + 1;
    } else if (/\s/u.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === '\\' && i + 1 < chars.length) {
      word += chars[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
