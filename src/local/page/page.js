/**
 * The local workspace page: a Slack-like channel view over /local/api. Every message is built with
 * DOM APIs (createElement + textContent) from parsed mrkdwn: no string from a message is ever
 * parsed as HTML. Polls the API for changes; commands, replies, clicks and mail go to the API,
 * which delivers them to the bot exactly as Slack and a mail provider would.
 */
import { parseMrkdwn } from './mrkdwn.js';

/** How often the page asks whether anything changed; the API answers from memory. */
const POLL_MS = 1000;

const state = {
  channel: new URLSearchParams(location.search).get('channel') || '',
  thread: new URLSearchParams(location.search).get('thread') || null,
  /** The app's Home tab is shown instead of a channel. */
  home: new URLSearchParams(location.search).get('home') === '1',
  /** A reply a permalink points at: the thread opens scrolled to it, highlighted. */
  focus: new URLSearchParams(location.search).get('message') || null,
  users: {},
  botName: 'briefing-bot',
  version: -1,
  briefings: 0,
  channels: [],
  /** The channel DIGEST_CHANNEL names, and when the bot posts there ({time, timeZone, latestDate}). */
  digestChannel: null,
  digest: null,
  /** The slash commands the app installed (anything else is refused here, as Slack does). */
  commands: ['/briefing', '/country', '/desk'],
  /** The app's message shortcuts ({callback_id, name}), offered in each message's ⋯ menu. */
  shortcuts: [],
  /** Set when the reader sends a reply: the thread then scrolls to show it and the bot's answer. */
  followThread: false,
  /**
   * The workspace's clock when this page loaded: only private answers issued after it are shown, so a
   * reload forgets them, as a Slack client does.
   */
  loadedAt: null,
};

function ephemeralsAfter() {
  return state.loadedAt ? `&ephemerals_after=${encodeURIComponent(state.loadedAt)}` : '';
}

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The server refuses POSTs without it: cross-site pages cannot send it without permission. */
const LOCAL_API_HEADER = 'x-briefing-bot-local';

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { ...options.headers, [LOCAL_API_HEADER]: '1' },
  });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text };
  }
  if (!response.ok) throw new Error(body?.error || `${response.status} ${response.statusText}`);
  return body;
}

const postJson = (path, body) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** "2021-10-07" → "Thu, Oct 7, 2021" (a calendar day: no time zone may shift it). */
function formatDay(iso) {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
}

function setStatus(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

// ---- rendering mrkdwn and Block Kit -------------------------------------------------------------

/**
 * `<!date^EPOCH^FORMAT|fallback>` as Slack shows it: FORMAT's tokens in the reader's own zone
 * (https://api.slack.com/reference/surfaces/formatting#date-formatting); "pretty" forms say Today/Yesterday.
 */
function formatDateToken(id, fallback) {
  const [epochText, format = '{date_short_pretty}'] = id.split('^');
  const epoch = Number(epochText);
  if (!Number.isFinite(epoch) || epoch <= 0) return fallback;
  const date = new Date(epoch * 1000);
  const on = (options) => date.toLocaleDateString(undefined, options);
  const pretty = (plain) => {
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000);
    if (date.toDateString() === today.toDateString()) return 'Today';
    if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
    return plain;
  };
  const tokens = {
    date_num: () => on({ year: 'numeric', month: '2-digit', day: '2-digit' }),
    date: () => on({ year: 'numeric', month: 'long', day: 'numeric' }),
    date_short: () => on({ year: 'numeric', month: 'short', day: 'numeric' }),
    date_long: () => on({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
    date_pretty: () => pretty(tokens.date()),
    date_short_pretty: () => pretty(tokens.date_short()),
    date_long_pretty: () => pretty(tokens.date_long()),
    time: () => date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }),
    time_secs: () =>
      date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' }),
  };
  return format.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.hasOwn(tokens, name) ? tokens[name]() : whole,
  );
}

function renderInline(nodes, parent) {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        parent.append(document.createTextNode(node.text));
        break;
      case 'bold':
      case 'italic':
      case 'strike': {
        const tag = { bold: 'strong', italic: 'em', strike: 's' }[node.type];
        const child = el(tag);
        renderInline(node.children, child);
        parent.append(child);
        break;
      }
      case 'code':
        parent.append(el('code', '', node.text));
        break;
      case 'link': {
        const a = el('a');
        // mrkdwn.js only makes links of http(s) and mailto URLs.
        a.href = node.url;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        renderInline(node.children, a);
        parent.append(a);
        break;
      }
      case 'mention': {
        let label = node.label;
        if (node.kind === 'user') label = `@${state.users[node.id] || node.label || node.id}`;
        if (node.kind === 'channel') label = `#${node.label || node.id}`;
        if (node.kind === 'special') label = `@${node.id}`;
        if (node.kind === 'date') label = formatDateToken(node.id, node.label);
        parent.append(el('span', node.kind === 'date' ? 'date' : 'mention', label));
        break;
      }
      case 'emoji':
        parent.append(el('span', 'emoji', node.text));
        break;
      default:
        break;
    }
  }
}

function renderMrkdwn(text, parent) {
  const box = el('div', 'mrkdwn');
  for (const block of parseMrkdwn(text)) {
    if (block.type === 'pre') {
      box.append(el('pre', '', block.text));
      continue;
    }
    const line = el('div', block.type === 'quote' ? 'line quote' : 'line');
    renderInline(block.children, line);
    box.append(line);
  }
  parent.append(box);
  return box;
}

function renderTextObject(object, parent) {
  if (!object || typeof object.text !== 'string') return;
  if (object.type === 'mrkdwn') renderMrkdwn(object.text, parent);
  else parent.append(el('div', 'mrkdwn', object.text));
}

function renderButton(element, target) {
  const button = el(
    'button',
    `btn${element.style ? ` ${element.style}` : ''}`,
    element.text?.text ?? 'Button',
  );
  button.type = 'button';
  button.dataset.actionId = element.action_id ?? '';
  button.addEventListener('click', () => clickButton(element, target, button));
  return button;
}

function renderElement(element, target) {
  if (element?.type === 'button') return renderButton(element, target);
  if (element?.type === 'image') return el('span', 'b-image', `[image: ${element.alt_text ?? ''}]`);
  return el('span', 'b-image', `[${element?.type ?? 'element'}]`);
}

function renderBlocks(blocks, parent, target) {
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        parent.append(el('div', 'b-header', block.text?.text ?? ''));
        break;
      case 'section': {
        const section = el('div', 'b-section');
        const main = el('div');
        renderTextObject(block.text, main);
        if (Array.isArray(block.fields)) {
          const fields = el('div', 'b-fields');
          for (const field of block.fields) renderTextObject(field, fields);
          main.append(fields);
        }
        section.append(main);
        if (block.accessory) section.append(renderElement(block.accessory, target));
        parent.append(section);
        break;
      }
      case 'context': {
        const context = el('div', 'b-context');
        for (const element of block.elements ?? []) {
          if (element.type === 'image')
            context.append(el('span', 'b-image', `[${element.alt_text ?? 'image'}]`));
          else renderTextObject(element, context);
        }
        parent.append(context);
        break;
      }
      case 'divider':
        parent.append(el('hr', 'b-divider'));
        break;
      case 'actions': {
        const actions = el('div', 'b-actions');
        for (const element of block.elements ?? []) actions.append(renderElement(element, target));
        parent.append(actions);
        break;
      }
      case 'image':
        parent.append(el('div', 'b-image', `[image: ${block.alt_text ?? ''}]`));
        break;
      case 'rich_text':
        parent.append(renderRichText(block));
        break;
      default:
        break;
    }
  }
}

/**
 * Rich text as Slack shows it: `text` elements literally (their style only from `style`), `link`
 * elements as links of http(s) URLs, sections as lines, lists as bullets, quotes indented.
 */
function renderRichText(block) {
  const box = el('div', 'mrkdwn b-rich');
  for (const element of block.elements ?? []) {
    if (element.type === 'rich_text_list') {
      const list = el(element.style === 'ordered' ? 'ol' : 'ul', 'rich-list');
      for (const item of element.elements ?? []) {
        const li = el('li');
        renderRichInline(item.elements ?? [], li);
        list.append(li);
      }
      box.append(list);
    } else if (element.type === 'rich_text_preformatted') {
      const pre = el('pre');
      renderRichInline(element.elements ?? [], pre);
      box.append(pre);
    } else {
      const line = el('div', element.type === 'rich_text_quote' ? 'line quote' : 'line');
      renderRichInline(element.elements ?? [], line);
      box.append(line);
    }
  }
  return box;
}

function renderRichInline(elements, parent) {
  for (const element of elements) {
    let node;
    if (element.type === 'link' && /^https?:\/\//i.test(element.url ?? '')) {
      node = el('a', '', element.text || element.url);
      node.href = element.url;
      node.target = '_blank';
      node.rel = 'noopener noreferrer';
    } else if (element.type === 'emoji') {
      node = el(
        'span',
        'emoji',
        element.unicode
          ? String.fromCodePoint(...element.unicode.split('-').map((h) => Number.parseInt(h, 16)))
          : `:${element.name}:`,
      );
    } else {
      node = document.createTextNode(String(element.text ?? element.url ?? ''));
    }
    const style = element.style ?? {};
    for (const [flag, tag] of [
      ['code', 'code'],
      ['strike', 's'],
      ['italic', 'em'],
      ['bold', 'strong'],
    ]) {
      if (style[flag]) {
        const wrap = el(tag);
        wrap.append(node);
        node = wrap;
      }
    }
    parent.append(node);
  }
}

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

/** The reader's calendar day of a message, as Slack's dividers name it: "Today", "Yesterday", a date. */
function dayOf(ts) {
  const day = new Date(Number(ts) * 1000);
  const today = new Date();
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (day.toDateString() === today.toDateString()) return 'Today';
  if (day.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return day.toLocaleDateString(undefined, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  });
}

/** Messages with a divider wherever the day changes, as a Slack channel shows them. */
function appendWithDayDividers(container, messages, options) {
  let day = null;
  for (const message of messages) {
    const next = dayOf(message.ts);
    if (next !== day) container.append(el('div', 'day-divider', next));
    day = next;
    container.append(renderMessage(message, options));
  }
}

function initials(name) {
  return (name || '?')
    .split(/[\s.-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0].toUpperCase())
    .join('');
}

function renderMessage(message, { inThread = false } = {}) {
  const row = el('div', message.ephemeral ? 'message ephemeral' : 'message');
  row.dataset.ts = message.ts;
  const isBot = message.ephemeral || message.is_bot;
  const name = message.ephemeral ? state.botName : message.user_name;
  row.append(el('div', isBot ? 'avatar bot' : 'avatar', initials(name)));
  const body = el('div', 'message-body');
  const meta = el('div', 'message-meta');
  meta.append(el('span', 'author', name));
  if (isBot) meta.append(el('span', 'app-badge', 'APP'));
  const time = el('span', 'time', timeOf(message.ts));
  time.title = new Date(Number(message.ts) * 1000).toLocaleString();
  meta.append(time);
  if (message.edited) meta.append(el('span', 'edited', '(edited)'));
  if (message.ephemeral) {
    meta.append(el('span', 'only-you', 'Only visible to you'));
    const dismiss = el('button', 'dismiss', 'Dismiss message');
    dismiss.type = 'button';
    dismiss.addEventListener('click', () => dismissEphemeral(message.ts, dismiss));
    meta.append(dismiss);
  }
  body.append(meta);
  const target = message.ephemeral ? { ephemeral_ts: message.ts } : { message_ts: message.ts };
  if (message.deleted) body.append(el('div', 'mrkdwn edited', 'This message was deleted.'));
  else if (Array.isArray(message.blocks) && message.blocks.length > 0)
    renderBlocks(message.blocks, body, target);
  else if (message.text || !message.files?.length) renderMrkdwn(message.text ?? '', body);
  for (const file of message.files ?? []) {
    body.append(el('div', 'file-chip', `📎 ${file.name} · ${file.mimetype} · ${formatSize(file.size)}`));
  }
  if (!message.ephemeral && !message.deleted && state.shortcuts.length > 0) {
    meta.append(renderMoreActions(message));
  }
  if (!inThread && message.reply_count > 0) {
    const link = el(
      'button',
      'replies-link',
      `${message.reply_count} ${message.reply_count === 1 ? 'reply' : 'replies'}`,
    );
    link.type = 'button';
    link.addEventListener('click', () => openThread(message.ts));
    body.append(link);
  }
  row.append(body);
  return row;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Slack's "More actions" (⋯) on a message: the app's message shortcuts. */
function renderMoreActions(message) {
  const box = el('span', 'more-actions');
  const toggle = el('button', 'icon-button more-toggle', '⋯');
  toggle.type = 'button';
  toggle.title = 'More actions';
  toggle.setAttribute('aria-label', 'More actions');
  const menu = el('span', 'more-menu');
  menu.hidden = true;
  for (const shortcut of state.shortcuts) {
    const item = el('button', 'btn shortcut', shortcut.name);
    item.type = 'button';
    item.dataset.callbackId = shortcut.callback_id;
    item.addEventListener('click', () => runShortcut(shortcut, message.ts, item));
    menu.append(item);
  }
  toggle.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
  });
  box.append(toggle, menu);
  return box;
}

async function runShortcut(shortcut, ts, button) {
  button.disabled = true;
  try {
    const result = await postJson('/local/api/shortcut', {
      callback_id: shortcut.callback_id,
      message_ts: ts,
    });
    const said = result.responses.map((r) => r.text).filter(Boolean);
    setStatus(`${shortcut.name}: ${said.length ? said.join(' ') : describeResponses(result.responses)}`);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    button.disabled = false;
  }
  refresh(true);
}

/** Shares the chosen file in the channel (with the message box's text as its comment), as Slack's 📎 does. */
async function shareFile(file) {
  const input = $('composer-input');
  const params = new URLSearchParams({ channel: state.channel, name: file.name, text: input.value.trim() });
  try {
    await api(`/local/api/file?${params}`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
    clearInput(input);
    setStatus(`Shared ${file.name}`);
  } catch (error) {
    setStatus(error.message, true);
  }
  $('composer-file').value = '';
  refresh(true);
}

function byTs(a, b) {
  return Number(a.ts) - Number(b.ts);
}

// ---- views --------------------------------------------------------------------------------------

function renderChannelList() {
  const list = $('channel-list');
  list.replaceChildren();
  for (const channel of state.channels) {
    const item = el('li');
    // A direct message shows as the bot's name, as Slack lists it under "Apps".
    const label = channel.is_im
      ? `💬 ${state.botName ?? 'briefing-bot'}`
      : `${channel.is_private ? '🔒' : '#'} ${channel.name}`;
    const a = el('a', '', label);
    a.href = `?channel=${encodeURIComponent(channel.name)}`;
    if (!state.home && channel.name === state.channel) a.setAttribute('aria-current', 'page');
    a.addEventListener('click', (event) => {
      event.preventDefault();
      switchChannel(channel.name);
    });
    item.append(a);
    list.append(item);
  }
}

function renderEmptyState(container) {
  const empty = el('div', 'empty');
  empty.append(el('p', '', `No messages in #${state.channel} yet.`));
  const isDigestChannel = state.channel === state.digestChannel;
  if (isDigestChannel && state.digest) {
    empty.append(
      el(
        'p',
        '',
        `The bot posts the daily digest here at ${state.digest.time} (${state.digest.timeZone}), for that day's briefings.`,
      ),
    );
  }
  if (isDigestChannel && state.digest?.latestDate) {
    empty.append(el('p', '', 'Or post one now, for the day of the newest briefing:'));
    empty.append(digestButton('btn primary'));
  } else if (state.briefings === 0) {
    empty.append(
      el(
        'p',
        '',
        'The store is empty: ingest the sample Latin America Daily Briefing (Oct 7, 2021) through the mail webhook?',
      ),
    );
    const button = el('button', 'btn primary', 'Ingest the sample briefing');
    button.type = 'button';
    button.id = 'ingest-sample';
    button.addEventListener('click', async () => {
      button.disabled = true;
      setStatus('Sending the sample briefing to the mail webhook…');
      try {
        const result = await api('/local/api/sample', { method: 'POST' });
        setStatus(describeMailResult(result));
      } catch (error) {
        setStatus(`The sample was refused: ${error.message}`, true);
        button.disabled = false;
      }
      refresh(true);
    });
    empty.append(button);
  } else {
    empty.append(el('p', '', 'Forward an email (left) or type a slash command below.'));
  }
  container.append(empty);
}

function digestLabel() {
  return `Post the digest for ${formatDay(state.digest.latestDate)}`;
}

function digestButton(className) {
  const button = el('button', className, digestLabel());
  button.type = 'button';
  button.dataset.action = 'post-digest';
  button.addEventListener('click', () => postDigest(button));
  return button;
}

function channelName(id) {
  return state.channels.find((c) => c.id === id)?.name ?? id;
}

/** What `briefing-bot digest --post` would do, by the running bot (the CLI cannot share its store). */
async function postDigest(button) {
  const date = state.digest?.latestDate;
  if (!date) return;
  button.disabled = true;
  setStatus(`Posting the digest for ${formatDay(date)}…`);
  try {
    const { outcome } = await postJson('/local/api/digest', { date });
    const day = formatDay(outcome.date);
    if (outcome.status === 'posted')
      setStatus(`Digest for ${day} posted to #${channelName(outcome.channel)}.`);
    else if (outcome.status === 'already-posted')
      setStatus(
        `The digest for ${day} is already in #${channelName(outcome.channel)}: it is posted once per day.`,
      );
    else setStatus(`No briefings on ${day}: no digest posted (DIGEST_SKIP_EMPTY).`);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    button.disabled = false;
  }
  refresh(true);
}

function renderHeaderActions() {
  const button = $('post-digest');
  const show = state.channel === state.digestChannel && Boolean(state.digest?.latestDate);
  button.hidden = !show;
  if (show) button.textContent = digestLabel();
}

async function loadChannel() {
  const data = await api(
    `/local/api/messages?channel=${encodeURIComponent(state.channel)}${ephemeralsAfter()}`,
  );
  const container = $('messages');
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  container.replaceChildren();
  const all = [...data.messages, ...data.ephemerals].sort(byTs);
  if (all.length === 0) renderEmptyState(container);
  appendWithDayDividers(container, all);
  if (atBottom) container.scrollTop = container.scrollHeight;
}

async function loadThread() {
  const pane = $('thread-pane');
  // On a narrow window the thread takes the channel's place, as in Slack (see page.css).
  document.querySelector('.app').classList.toggle('thread-open', Boolean(state.thread));
  if (!state.thread) {
    pane.hidden = true;
    delete $('thread-messages').dataset.thread;
    return;
  }
  let data;
  try {
    data = await api(`/local/api/thread?ts=${encodeURIComponent(state.thread)}${ephemeralsAfter()}`);
    if (!state.thread) return; // closed while the request was under way
  } catch (error) {
    setStatus(`Thread not found: ${error.message}`, true);
    state.thread = null;
    pane.hidden = true;
    document.querySelector('.app').classList.remove('thread-open');
    return;
  }
  pane.hidden = false;
  $('thread-channel').textContent = `#${data.channel.name}`;
  const container = $('thread-messages');
  // A thread opens at its parent (a briefing reads from the top); then it follows new replies while
  // the reader is at the bottom, and after the reader's own reply (to show the bot's answer).
  const justOpened = container.dataset.thread !== state.thread;
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  const keepScroll = container.scrollTop;
  container.dataset.thread = state.thread;
  container.replaceChildren();
  const [parent, ...replies] = data.messages;
  if (parent) container.append(renderMessage(parent, { inThread: true }));
  if (replies.length > 0) {
    container.append(
      el('div', 'thread-divider', `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`),
    );
  }
  for (const message of [...replies, ...data.ephemerals].sort(byTs)) {
    container.append(renderMessage(message, { inThread: true }));
  }
  // The highlight stays through re-renders; the scroll to it happens once, when the thread opens.
  const focused = state.focus ? container.querySelector(`[data-ts="${CSS.escape(state.focus)}"]`) : null;
  focused?.classList.add('focused');
  if (justOpened && focused) {
    container.scrollTop += focused.getBoundingClientRect().top - container.getBoundingClientRect().top;
  } else if (justOpened) container.scrollTop = 0;
  else if (atBottom || state.followThread) container.scrollTop = container.scrollHeight;
  else container.scrollTop = keepScroll;
  state.followThread = false;
}

function updateUrl() {
  if (state.home) {
    history.replaceState(null, '', '?home=1');
    return;
  }
  const params = new URLSearchParams({ channel: state.channel });
  if (state.thread) params.set('thread', state.thread);
  history.replaceState(null, '', `?${params}`);
}

function openThread(ts) {
  state.thread = ts;
  state.focus = null;
  updateUrl();
  loadThread();
}

function showChannelName() {
  $('channel-title').textContent = `# ${state.channel}`;
  $('composer-input').placeholder =
    `Message #${state.channel} — or try /briefing 2021-10-07 or /country Peru`;
}

function switchChannel(name) {
  showHome(false);
  state.channel = name;
  state.thread = null;
  state.focus = null;
  updateUrl();
  showChannelName();
  renderChannelList();
  renderHeaderActions();
  refresh(true);
}

let refreshing = false;
/** A forced refresh asked for while one runs: that one may have read the state before the change. */
let forceAgain = false;
let offline = false;
async function refresh(force = false) {
  if (refreshing) {
    forceAgain ||= force;
    return;
  }
  refreshing = true;
  try {
    const info = await api('/local/api/state');
    state.loadedAt ??= info.clock;
    if (offline) setStatus('');
    offline = false;
    state.users = info.users;
    state.botName = info.bot.name;
    state.channels = info.channels;
    state.digestChannel = info.digestChannel;
    state.digest = info.digest;
    state.commands = info.commands;
    state.shortcuts = info.shortcuts ?? [];
    $('team-name').textContent = info.team;
    $('me').textContent = `You: ${info.user.name}`;
    if (!state.channel) {
      state.channel = info.briefingChannel;
      showChannelName();
    }
    const changed = info.version !== state.version || info.briefings !== state.briefings;
    state.briefings = info.briefings;
    if (force || changed) {
      state.version = info.version;
      renderChannelList();
      renderHeaderActions();
      $('channel-sub').textContent =
        `${info.briefings} briefing${info.briefings === 1 ? '' : 's'} in the store`;
      if (state.home) await loadHome();
      else {
        await loadChannel();
        await loadThread();
      }
    }
  } catch (error) {
    offline = true;
    setStatus(`Cannot reach the bot: ${error.message}`, true);
  } finally {
    refreshing = false;
    if (forceAgain) {
      forceAgain = false;
      refresh(true);
    }
  }
}

// ---- actions ------------------------------------------------------------------------------------

function describeResponses(responses) {
  if (!responses.length) return 'no answer (yet)';
  return `${responses.length} answer${responses.length === 1 ? '' : 's'}`;
}

async function sendComposer(event) {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text) return;
  // As in Slack: "/word …" is a command (a leading space makes it a message), and only the app's
  // installed commands exist; an unknown one stays in the box with Slack's explanation.
  const [, command, args] = /^\/(\S+)\s*([\s\S]*)$/.exec(input.value) ?? [];
  if (command !== undefined && !state.commands.includes(`/${command.toLowerCase()}`)) {
    setStatus(
      `/${command} is not a valid command. Commands here: ${state.commands.join(', ')}. ` +
        'To send a message that starts with "/", type a space first.',
      true,
    );
    return;
  }
  clearInput(input);
  try {
    if (command !== undefined) {
      setStatus(`Running /${command}…`);
      const result = await postJson('/local/api/command', {
        command: `/${command.toLowerCase()}`,
        text: args.trim(),
        channel: state.channel,
      });
      setStatus(
        result.status === 200
          ? `/${command}: ${describeResponses(result.responses)}`
          : `/${command}: the bot answered HTTP ${result.status}`,
        result.status !== 200,
      );
    } else {
      await postJson('/local/api/reply', { channel: state.channel, text });
      setStatus('');
    }
  } catch (error) {
    setStatus(error.message, true);
  }
  refresh(true);
}

async function sendReply(event) {
  event.preventDefault();
  const input = $('reply-input');
  const text = input.value.trim();
  if (!text || !state.thread) return;
  // Slack's client keeps app commands out of threads ("/x is not supported in threads. Sorry!").
  const command = /^\/(\S+)/.exec(input.value)?.[0];
  if (command) {
    setStatus(
      `${command} is not supported in threads. Sorry! Here, mention the bot: @${state.botName} sources, more, related, help.`,
      true,
    );
    return;
  }
  clearInput(input);
  state.followThread = true;
  try {
    await postJson('/local/api/reply', { thread_ts: state.thread, text });
    setStatus('');
  } catch (error) {
    setStatus(error.message, true);
  }
  refresh(true);
}

async function clickButton(element, target, button) {
  // Only web links: a javascript: URL opened here would run with this page's origin.
  if (typeof element.url === 'string' && /^https?:\/\//i.test(element.url)) {
    window.open(element.url, '_blank', 'noopener');
  }
  button.disabled = true;
  if (target?.home) {
    await clickHomeButton(element, button);
    return;
  }
  try {
    const result = await postJson('/local/api/action', {
      action_id: element.action_id,
      channel: state.channel,
      ...target,
    });
    setStatus(`${element.text?.text ?? 'Button'}: ${describeResponses(result.responses)}`);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    button.disabled = false;
  }
  refresh(true);
}

async function dismissEphemeral(ts, button) {
  button.disabled = true;
  try {
    await postJson('/local/api/dismiss', { ephemeral_ts: ts });
  } catch (error) {
    setStatus(error.message, true);
    button.disabled = false;
  }
  refresh(true);
}

function describeMailResult(result) {
  const body = result.body ?? {};
  if (result.status === 202)
    return `Accepted: ${body.sections} section${body.sections === 1 ? '' : 's'} (briefing ${body.id}); posting now.`;
  if (result.status === 200 && body.status === 'duplicate')
    return `Already received (briefing ${body.id}): not posted again.`;
  return `The mail webhook answered ${result.status}: ${body.detail ?? body.error ?? JSON.stringify(body)}`;
}

async function sendMail(event) {
  event.preventDefault();
  const file = $('mail-file').files[0];
  // A file goes as bytes (its parts may not be UTF-8); pasted text as UTF-8.
  const text = file ? await file.text() : $('mail-text').value;
  const body = file ?? text;
  const result = $('mail-result');
  const show = (message, isError) => {
    result.textContent = message;
    result.classList.toggle('error', isError);
  };
  if (!text.trim()) {
    show(file ? `The file ${file.name} is empty.` : 'Paste an email or choose a file first.', true);
    return;
  }
  $('mail-send').disabled = true;
  show('Sending…', false);
  try {
    const answer = await api('/local/api/mail', {
      method: 'POST',
      headers: { 'content-type': file ? 'message/rfc822' : 'text/plain; charset=utf-8' },
      body,
    });
    show(describeMailResult(answer), answer.status >= 400);
    if (answer.status === 202) {
      $('mail-text').value = '';
      $('mail-file').value = '';
    }
  } catch (error) {
    show(`Refused: ${error.message}`, true);
  } finally {
    $('mail-send').disabled = false;
  }
  refresh(true);
}

/** Tallest a message box grows to as lines are added (then it scrolls), as in Slack. */
const MAX_INPUT_HEIGHT_PX = 200;

function fitHeight(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, MAX_INPUT_HEIGHT_PX)}px`;
}

function clearInput(textarea) {
  textarea.value = '';
  textarea.style.height = '';
}

/** Enter sends, Shift+Enter starts a new line; Enter that confirms an IME composition only confirms. */
function submitOnEnter(textarea, form) {
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  textarea.addEventListener('input', () => fitHeight(textarea));
}

$('composer').addEventListener('submit', sendComposer);
$('reply-form').addEventListener('submit', sendReply);
$('mail-form').addEventListener('submit', sendMail);
submitOnEnter($('composer-input'), $('composer'));
submitOnEnter($('reply-input'), $('reply-form'));
$('open-mail').addEventListener('click', () => {
  $('mail-panel').hidden = false;
  $('mail-text').focus();
});
$('mail-close').addEventListener('click', () => {
  $('mail-panel').hidden = true;
});
$('post-digest').addEventListener('click', () => postDigest($('post-digest')));
$('thread-close').addEventListener('click', () => {
  state.thread = null;
  updateUrl();
  loadThread();
});

$('composer-attach').addEventListener('click', () => $('composer-file').click());
$('composer-file').addEventListener('change', () => {
  const [file] = $('composer-file').files;
  if (file) shareFile(file);
});
$('open-home').addEventListener('click', (event) => {
  event.preventDefault();
  openHome();
});

// ---- App Home -----------------------------------------------------------------------------------

/** Shows the Home pane (or the channel again); the thread pane belongs to channels. */
function showHome(on) {
  state.home = on;
  $('home-pane').hidden = !on;
  document.querySelector('main.channel:not(.home-pane)').hidden = on;
  if (on) $('open-home').setAttribute('aria-current', 'page');
  else $('open-home').removeAttribute('aria-current');
  if (on) {
    $('thread-pane').hidden = true;
    document.querySelector('.app').classList.remove('thread-open');
  }
  updateUrl();
}

function renderHome(view) {
  const container = $('home-view');
  container.replaceChildren();
  if (!view) {
    container.append(el('div', 'empty', 'The bot has not published a Home tab yet.'));
    return;
  }
  const box = el('div', 'home-blocks');
  renderBlocks(view.blocks ?? [], box, { home: true });
  container.append(box);
}

/** As Slack does when the tab is opened: app_home_opened reaches the bot, which publishes the view. */
async function openHome() {
  showHome(true);
  renderChannelList();
  try {
    const result = await postJson('/local/api/home', {});
    renderHome(result.view);
    $('home-status').textContent = '';
  } catch (error) {
    $('home-status').textContent = error.message;
  }
}

async function loadHome() {
  const data = await api('/local/api/home');
  renderHome(data.view);
}

async function clickHomeButton(element, button) {
  $('home-status').textContent = `${element.text?.text ?? 'Button'}…`;
  try {
    const result = await postJson('/local/api/home/action', {
      action_id: element.action_id,
      ...(typeof element.value === 'string' ? { value: element.value } : {}),
    });
    if (result.view) renderHome(result.view);
    $('home-status').textContent = '';
  } catch (error) {
    $('home-status').textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

if (state.home) openHome();
else if (state.channel) showChannelName();
refresh(true);
setInterval(() => refresh(false), POLL_MS);
