/**
 * Block Kit validation as Slack's Web API applies it, so the stand-in refuses what Slack refuses.
 * Pure: takes the `blocks` argument (array or JSON string), returns the parsed blocks or Slack's error
 * code with messages in Slack's own shape ("… [json-pointer:/blocks/0/text/text]").
 * Limits: https://docs.slack.dev/reference/block-kit/blocks (also the JSDoc of @slack/types).
 */

/** Blocks per message. */
export const MAX_BLOCKS = 50;
/** Blocks per view (a modal or the App Home tab, views.publish). */
export const MAX_VIEW_BLOCKS = 100;
/** Section `text`. */
export const MAX_SECTION_TEXT = 3000;
/** Section `fields`: count and length of each. */
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_TEXT = 2000;
/** Header `text` (plain_text only). */
export const MAX_HEADER_TEXT = 150;
/** Context `elements`. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** Actions `elements`. */
export const MAX_ACTIONS_ELEMENTS = 25;
/** `block_id` and `action_id`. */
export const MAX_ID_LENGTH = 255;
/** Button label, value and url. */
export const MAX_BUTTON_TEXT = 75;
export const MAX_BUTTON_VALUE = 2000;
export const MAX_URL = 3000;

export type Block = Record<string, unknown> & { type: string };

export type BlockCheck =
  | { ok: true; blocks: Block[] }
  | { ok: false; error: 'invalid_blocks' | 'invalid_blocks_format'; errors: string[] };

const KNOWN_TYPES = new Set([
  'section',
  'header',
  'context',
  'divider',
  'actions',
  'image',
  'rich_text',
  'markdown',
  'input',
  'file',
  'video',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Problems {
  readonly list: string[] = [];
  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
}

function checkTextObject(
  value: unknown,
  pointer: string,
  problems: Problems,
  opts: { max: number; plainOnly?: boolean },
): void {
  if (!isRecord(value)) {
    problems.add('must provide an object', pointer);
    return;
  }
  const type = value.type;
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    problems.add('must be a valid enum value', `${pointer}/type`);
    return;
  }
  if (opts.plainOnly && type !== 'plain_text') {
    problems.add('must be a valid enum value', `${pointer}/type`);
  }
  const text = value.text;
  if (typeof text !== 'string') {
    problems.add('must provide a string', `${pointer}/text`);
    return;
  }
  if (text.length < 1) problems.add('must be more than 0 characters', `${pointer}/text`);
  if (text.length > opts.max) problems.add(`must be less than ${opts.max + 1} characters`, `${pointer}/text`);
}

function checkId(value: unknown, pointer: string, problems: Problems): void {
  if (value === undefined) return;
  if (typeof value !== 'string') problems.add('must provide a string', pointer);
  else if (value.length > MAX_ID_LENGTH)
    problems.add(`must be less than ${MAX_ID_LENGTH + 1} characters`, pointer);
}

function checkButton(element: Record<string, unknown>, pointer: string, problems: Problems): void {
  checkTextObject(element.text, `${pointer}/text`, problems, { max: MAX_BUTTON_TEXT, plainOnly: true });
  checkId(element.action_id, `${pointer}/action_id`, problems);
  if (
    element.value !== undefined &&
    (typeof element.value !== 'string' || element.value.length > MAX_BUTTON_VALUE)
  ) {
    problems.add(`must be less than ${MAX_BUTTON_VALUE + 1} characters`, `${pointer}/value`);
  }
  if (element.url !== undefined && (typeof element.url !== 'string' || element.url.length > MAX_URL)) {
    problems.add(`must be less than ${MAX_URL + 1} characters`, `${pointer}/url`);
  }
}

function checkElement(element: unknown, pointer: string, problems: Problems): void {
  if (!isRecord(element) || typeof element.type !== 'string') {
    problems.add('must provide an object with a type', pointer);
    return;
  }
  if (element.type === 'button') checkButton(element, pointer, problems);
}

function checkSection(block: Record<string, unknown>, pointer: string, problems: Problems): void {
  if (block.text === undefined && block.fields === undefined) {
    problems.add('must provide either text or fields', pointer);
  }
  if (block.text !== undefined) {
    checkTextObject(block.text, `${pointer}/text`, problems, { max: MAX_SECTION_TEXT });
  }
  if (block.fields !== undefined) {
    if (!Array.isArray(block.fields)) {
      problems.add('must provide an array', `${pointer}/fields`);
    } else {
      if (block.fields.length > MAX_SECTION_FIELDS) {
        problems.add(`must provide no more than ${MAX_SECTION_FIELDS} items`, `${pointer}/fields`);
      }
      block.fields.forEach((field, i) => {
        checkTextObject(field, `${pointer}/fields/${i}`, problems, { max: MAX_SECTION_FIELD_TEXT });
      });
    }
  }
  if (block.accessory !== undefined) checkElement(block.accessory, `${pointer}/accessory`, problems);
}

function checkElementList(
  block: Record<string, unknown>,
  pointer: string,
  problems: Problems,
  max: number,
  each: (element: unknown, pointer: string) => void,
): void {
  const elements = block.elements;
  if (!Array.isArray(elements)) {
    problems.add('must provide an array', `${pointer}/elements`);
    return;
  }
  if (elements.length < 1) problems.add('must provide at least 1 items', `${pointer}/elements`);
  if (elements.length > max) problems.add(`must provide no more than ${max} items`, `${pointer}/elements`);
  elements.forEach((element, i) => {
    each(element, `${pointer}/elements/${i}`);
  });
}

function checkBlock(block: unknown, pointer: string, problems: Problems): void {
  if (!isRecord(block) || typeof block.type !== 'string') {
    problems.add('must provide an object with a type', pointer);
    return;
  }
  if (!KNOWN_TYPES.has(block.type)) {
    problems.add(`unsupported type: ${block.type}`, `${pointer}/type`);
    return;
  }
  checkId(block.block_id, `${pointer}/block_id`, problems);
  switch (block.type) {
    case 'section':
      checkSection(block, pointer, problems);
      break;
    case 'header':
      checkTextObject(block.text, `${pointer}/text`, problems, { max: MAX_HEADER_TEXT, plainOnly: true });
      break;
    case 'context':
      checkElementList(block, pointer, problems, MAX_CONTEXT_ELEMENTS, (element, at) => {
        if (isRecord(element) && element.type === 'image') return;
        checkTextObject(element, at, problems, { max: MAX_SECTION_TEXT });
      });
      break;
    case 'actions': {
      checkElementList(block, pointer, problems, MAX_ACTIONS_ELEMENTS, (element, at) => {
        checkElement(element, at, problems);
      });
      // Slack requires action_ids to be unique within the block.
      const seen = new Set<string>();
      const elements = Array.isArray(block.elements) ? block.elements : [];
      elements.forEach((element, i) => {
        const id = isRecord(element) ? element.action_id : undefined;
        if (typeof id !== 'string') return;
        if (seen.has(id))
          problems.add(`action_id "${id}" already exists`, `${pointer}/elements/${i}/action_id`);
        seen.add(id);
      });
      break;
    }
    default:
      break;
  }
}

/**
 * Validates a `blocks` argument the way chat.postMessage / chat.update do (views.publish: with
 * `maxBlocks` MAX_VIEW_BLOCKS).
 */
export function checkBlocks(input: unknown, maxBlocks = MAX_BLOCKS): BlockCheck {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, error: 'invalid_blocks_format', errors: ['blocks is not valid JSON'] };
    }
  }
  if (!Array.isArray(value)) {
    return {
      ok: false,
      error: 'invalid_blocks_format',
      errors: ['must provide an array [json-pointer:/blocks]'],
    };
  }
  const problems = new Problems();
  if (value.length > maxBlocks) problems.add(`must provide no more than ${maxBlocks} items`, '/blocks');
  const blockIds = new Set<string>();
  value.forEach((block, i) => {
    checkBlock(block, `/blocks/${i}`, problems);
    const id = isRecord(block) ? block.block_id : undefined;
    if (typeof id === 'string') {
      if (blockIds.has(id)) problems.add(`block_id "${id}" already exists`, `/blocks/${i}/block_id`);
      blockIds.add(id);
    }
  });
  if (problems.list.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems.list };
  return { ok: true, blocks: value as Block[] };
}
