/**
 * Block Kit limits and a validator for what the renderer emits.
 * https://docs.slack.dev/reference/block-kit/blocks (limits also in @slack/types doc comments)
 */
import type { KnownBlock, MessageAttachment } from '@slack/types';

/** Slack's limits (characters are counted as UTF-16 units here, which errs on the safe side). */
export const slackLimits = {
  blocks: 50,
  blockId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Our own cap for the notification text, not Slack's (which is 40,000). */
  fallbackText: 3000,
} as const;

/** What the renderer returns: fallback text, top-level blocks and at most one coloured attachment. */
export interface SlackRendered {
  text: string;
  blocks?: KnownBlock[];
  attachments?: MessageAttachment[];
}

/** Cuts `raw` so that `encode` of the result plus `suffix` fits `limit`, never splitting a code point. */
export function clip(
  raw: string,
  limit: number,
  encode: (s: string) => string = (s) => s,
  suffix = '…',
): string {
  const full = encode(raw);
  if (full.length <= limit) return full;
  let out = '';
  for (const ch of raw) {
    const piece = encode(ch);
    if (out.length + piece.length + suffix.length > limit) break;
    out += piece;
  }
  return out + suffix;
}

interface TextObject {
  type?: string;
  text?: string;
}
interface LooseElement {
  type?: string;
  /** A string on text elements, a text object on buttons. */
  text?: string | TextObject;
  action_id?: string;
  value?: string;
  url?: string;
  style?: string;
  confirm?: {
    title?: TextObject;
    text?: TextObject;
    confirm?: TextObject;
    deny?: TextObject;
    style?: string;
  };
}
interface LooseBlock {
  type: string;
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: LooseElement[];
}

const styles = new Set(['primary', 'danger']);
const textOf = (t: string | TextObject | undefined) => (typeof t === 'string' ? t : t?.text);

function checkElement(el: LooseElement, where: string, out: string[]): void {
  const over = (what: string, value: string | undefined, limit: number) => {
    if (value !== undefined && value.length > limit)
      out.push(`${where}: ${what} is ${value.length} chars, limit ${limit}`);
  };
  if (el.type !== 'button') return;
  over('button text', textOf(el.text), slackLimits.buttonText);
  if (!textOf(el.text)) out.push(`${where}: button text is empty`);
  over('action_id', el.action_id, slackLimits.actionId);
  over('button value', el.value, slackLimits.buttonValue);
  over('button url', el.url, slackLimits.buttonUrl);
  if (el.style !== undefined && !styles.has(el.style))
    out.push(`${where}: button style '${el.style}' is invalid`);
  const c = el.confirm;
  if (!c) return;
  over('confirm title', c.title?.text, slackLimits.confirmTitle);
  over('confirm text', c.text?.text, slackLimits.confirmText);
  over('confirm button', c.confirm?.text, slackLimits.confirmButton);
  over('deny button', c.deny?.text, slackLimits.confirmButton);
  if (c.style !== undefined && !styles.has(c.style))
    out.push(`${where}: confirm style '${c.style}' is invalid`);
}

function checkBlock(block: LooseBlock, where: string, out: string[]): void {
  const over = (what: string, value: string | undefined, limit: number) => {
    if (value !== undefined && value.length > limit)
      out.push(`${where}: ${what} is ${value.length} chars, limit ${limit}`);
  };
  over('block_id', block.block_id, slackLimits.blockId);
  const elements = block.elements ?? [];
  switch (block.type) {
    case 'header':
      over('header text', block.text?.text, slackLimits.headerText);
      if (block.text?.type !== 'plain_text') out.push(`${where}: header text must be plain_text`);
      break;
    case 'section':
      if (!block.text?.text && !block.fields?.length)
        out.push(`${where}: section has neither text nor fields`);
      over('section text', block.text?.text, slackLimits.sectionText);
      if ((block.fields?.length ?? 0) > slackLimits.sectionFields) {
        out.push(`${where}: ${block.fields?.length} fields, limit ${slackLimits.sectionFields}`);
      }
      block.fields?.forEach((f, i) => {
        over(`field ${i}`, f.text, slackLimits.fieldText);
      });
      break;
    case 'context':
      if (elements.length > slackLimits.contextElements) {
        out.push(`${where}: ${elements.length} context elements, limit ${slackLimits.contextElements}`);
      }
      elements.forEach((e, i) => {
        over(`context element ${i}`, textOf(e.text), slackLimits.contextText);
      });
      break;
    case 'actions': {
      if (elements.length > slackLimits.actionsElements) {
        out.push(`${where}: ${elements.length} actions elements, limit ${slackLimits.actionsElements}`);
      }
      const ids = elements.map((e) => e.action_id).filter((id) => id !== undefined);
      if (new Set(ids).size !== ids.length) out.push(`${where}: duplicate action_id`);
      elements.forEach((e, i) => {
        checkElement(e, `${where} element ${i}`, out);
      });
      break;
    }
  }
}

/** Human-readable Block Kit limit violations in a rendered message; empty when it is fine. */
export function checkBlockKitLimits(rendered: SlackRendered): string[] {
  const out: string[] = [];
  if (rendered.text.length > slackLimits.fallbackText) {
    out.push(`text is ${rendered.text.length} chars, limit ${slackLimits.fallbackText}`);
  }
  const lists: [string, LooseBlock[]][] = [['blocks', (rendered.blocks ?? []) as LooseBlock[]]];
  rendered.attachments?.forEach((a, i) => {
    lists.push([`attachments[${i}].blocks`, (a.blocks ?? []) as LooseBlock[]]);
  });
  const total = lists.reduce((n, [, list]) => n + list.length, 0);
  if (total > slackLimits.blocks) out.push(`${total} blocks, limit ${slackLimits.blocks}`);
  for (const [name, list] of lists) {
    list.forEach((block, i) => {
      checkBlock(block, `${name}[${i}] (${block.type})`, out);
    });
  }
  return out;
}
