/** Where a problem is in deckhand.yaml (line and column of its key), and what an unknown key may have meant. */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type parseDocument } from 'yaml';
import type { z } from 'zod';
import { closest } from './suggest.ts';

export interface Position {
  line: number;
  column: number;
}

type Doc = ReturnType<typeof parseDocument>;

/**
 * The position of the key (in a map) or the item (in a list) at `keyPath`; where the path goes
 * further than the file (a default filled in), the deepest key that is there.
 */
export function locate(doc: Doc, lines: LineCounter, keyPath: (string | number)[]): Position | undefined {
  const at = (node: Node | null | undefined): Position | undefined => {
    if (!node?.range) return undefined;
    const { line, col } = lines.linePos(node.range[0]);
    return { line, column: col };
  };
  let node = doc.contents as Node | null;
  let found = at(node);
  for (const step of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      found = at(pair.key as Node) ?? found;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      found = at(item) ?? found;
      node = item;
    } else break;
  }
  return found;
}

/** The source line at `line` with a caret under `column`, for a syntax error. */
export function excerpt(text: string, line: number, column: number): string {
  const source = (text.split(/\r?\n/)[line - 1] ?? '').replace(/\t/g, ' ');
  const number = String(line);
  const pad = ' '.repeat(number.length);
  return `${number} | ${source}\n${pad} | ${' '.repeat(Math.max(0, column - 1))}^`;
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas `schema` may be, through defaults, optionals, transforms and unions. */
function objects(schema: z.ZodType | undefined): Def[] {
  if (!schema) return [];
  const def = defOf(schema);
  if (def.type === 'object') return [def];
  if (def.innerType) return objects(def.innerType);
  if (def.type === 'pipe') return objects(def.in);
  if (def.type === 'union') return (def.options ?? []).flatMap(objects);
  return [];
}

/** What the schema allows one step further down: a key of an object, a record's value, a list's item. */
function child(schema: z.ZodType | undefined, step: string | number): z.ZodType[] {
  if (!schema) return [];
  const def = defOf(schema);
  if (def.type === 'object') return def.shape?.[step] ? [def.shape[step]] : [];
  if (def.type === 'record') return def.valueType ? [def.valueType] : [];
  if (def.type === 'array') return def.element ? [def.element] : [];
  if (def.innerType) return child(def.innerType, step);
  if (def.type === 'pipe') return child(def.in, step);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => child(o, step));
  return [];
}

/** The keys the schema allows at `keyPath` (a map's), for "did you mean". */
export function knownKeys(schema: z.ZodType, keyPath: (string | number)[]): string[] {
  let here = [schema];
  for (const step of keyPath) here = here.flatMap((s) => child(s, step));
  return [...new Set(here.flatMap(objects).flatMap((d) => Object.keys(d.shape ?? {})))];
}

/** `unknown key "slak"; did you mean "slack"?`, or the keys allowed there. */
export function unknownKey(key: string, known: readonly string[]): string {
  const guess = closest(key, known);
  if (guess) return `unknown key "${key}"; did you mean "${guess}"?`;
  return `unknown key "${key}"${known.length ? `; keys here: ${[...known].sort().join(', ')}` : ''}`;
}
