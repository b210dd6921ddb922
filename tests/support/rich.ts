/**
 * Rich text blocks read back in mrkdwn's notation — `*bold*`, `_italic_`, `` `code` ``, `<url|text>`,
 * `• ` bullets, one line per section — so assertions about what a post says read the same whichever
 * block type carries it. Text elements are copied as they are: what Slack shows literally.
 */
interface Inline {
  type: string;
  text?: string;
  url?: string;
  style?: { bold?: boolean; italic?: boolean; code?: boolean; strike?: boolean };
}

function inline(element: Inline): string {
  let out =
    element.type === 'link' ? `<${element.url}|${element.text ?? element.url}>` : (element.text ?? '');
  if (element.type === 'link' && element.text === undefined) out = `<${element.url}>`;
  const style = element.style ?? {};
  if (style.code) out = `\`${out}\``;
  if (style.italic) out = `_${out}_`;
  if (style.bold) out = `*${out}*`;
  if (style.strike) out = `~${out}~`;
  return out;
}

export function richAsMrkdwn(block: { elements?: unknown[] }): string {
  const lines: string[] = [];
  for (const raw of block.elements ?? []) {
    const element = raw as { type: string; elements?: Array<Inline & { elements?: Inline[] }> };
    if (element.type === 'rich_text_list') {
      for (const item of element.elements ?? [])
        lines.push(`• ${(item.elements ?? []).map(inline).join('')}`);
    } else if (element.type === 'rich_text_quote') {
      lines.push(`>${(element.elements ?? []).map(inline).join('')}`);
    } else {
      lines.push((element.elements ?? []).map(inline).join(''));
    }
  }
  return lines.join('\n');
}
