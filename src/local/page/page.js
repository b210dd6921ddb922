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
  users: {},
  botName: 'briefing-bot',
  version: -1,
  briefings: 0,
  channels: [],
};

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

function setStatus(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

// ---- rendering mrkdwn and Block Kit -------------------------------------------------------------

function formatDateToken(id, fallback) {
  const epoch = Number(id.split('^')[0]);
  if (!Number.isFinite(epoch) || epoch <= 0) return fallback;
  return new Date(epoch * 1000).toLocaleDateString(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
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
      default:
        break;
    }
  }
}

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
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
  meta.append(el('span', 'time', timeOf(message.ts)));
  if (message.edited) meta.append(el('span', 'edited', '(edited)'));
  if (message.ephemeral) meta.append(el('span', 'only-you', 'Only visible to you'));
  body.append(meta);
  const target = message.ephemeral ? { ephemeral_ts: message.ts } : { message_ts: message.ts };
  if (message.deleted) body.append(el('div', 'mrkdwn edited', 'This message was deleted.'));
  else if (Array.isArray(message.blocks) && message.blocks.length > 0)
    renderBlocks(message.blocks, body, target);
  else renderMrkdwn(message.text ?? '', body);
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

function byTs(a, b) {
  return Number(a.ts) - Number(b.ts);
}

// ---- views --------------------------------------------------------------------------------------

function renderChannelList() {
  const list = $('channel-list');
  list.replaceChildren();
  for (const channel of state.channels) {
    const item = el('li');
    const a = el('a', '', `${channel.is_private ? '🔒' : '#'} ${channel.name}`);
    a.href = `?channel=${encodeURIComponent(channel.name)}`;
    if (channel.name === state.channel) a.setAttribute('aria-current', 'page');
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
  if (state.briefings === 0) {
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

async function loadChannel() {
  const data = await api(`/local/api/messages?channel=${encodeURIComponent(state.channel)}`);
  const container = $('messages');
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  container.replaceChildren();
  const all = [...data.messages, ...data.ephemerals].sort(byTs);
  if (all.length === 0) renderEmptyState(container);
  for (const message of all) container.append(renderMessage(message));
  if (atBottom) container.scrollTop = container.scrollHeight;
}

async function loadThread() {
  const pane = $('thread-pane');
  if (!state.thread) {
    pane.hidden = true;
    return;
  }
  let data;
  try {
    data = await api(`/local/api/thread?ts=${encodeURIComponent(state.thread)}`);
  } catch (error) {
    setStatus(`Thread not found: ${error.message}`, true);
    state.thread = null;
    pane.hidden = true;
    return;
  }
  pane.hidden = false;
  $('thread-channel').textContent = `#${data.channel.name}`;
  const container = $('thread-messages');
  // Follow new replies only when the reader is at the bottom (or just opened the thread).
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
  container.scrollTop = justOpened || atBottom ? container.scrollHeight : keepScroll;
}

function updateUrl() {
  const params = new URLSearchParams({ channel: state.channel });
  if (state.thread) params.set('thread', state.thread);
  history.replaceState(null, '', `?${params}`);
}

function openThread(ts) {
  state.thread = ts;
  updateUrl();
  loadThread();
}

function switchChannel(name) {
  state.channel = name;
  state.thread = null;
  updateUrl();
  $('channel-title').textContent = `# ${name}`;
  $('composer-input').placeholder = `Message #${name} — or try /briefing 2021-10-07 or /country Peru`;
  renderChannelList();
  refresh(true);
}

let refreshing = false;
async function refresh(force = false) {
  if (refreshing) return;
  refreshing = true;
  try {
    const info = await api('/local/api/state');
    state.users = info.users;
    state.botName = info.bot.name;
    state.channels = info.channels;
    $('team-name').textContent = info.team;
    $('me').textContent = `You: ${info.user.name}`;
    if (!state.channel) {
      state.channel = info.briefingChannel;
      $('channel-title').textContent = `# ${state.channel}`;
    }
    const changed = info.version !== state.version || info.briefings !== state.briefings;
    state.briefings = info.briefings;
    if (force || changed) {
      state.version = info.version;
      renderChannelList();
      $('channel-sub').textContent =
        `${info.briefings} briefing${info.briefings === 1 ? '' : 's'} in the store`;
      await loadChannel();
      await loadThread();
    }
  } catch (error) {
    setStatus(`Cannot reach the bot: ${error.message}`, true);
  } finally {
    refreshing = false;
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
  input.value = '';
  try {
    if (text.startsWith('/')) {
      const [command, ...rest] = text.split(/\s+/);
      setStatus(`Running ${command}…`);
      const result = await postJson('/local/api/command', {
        command,
        text: rest.join(' '),
        channel: state.channel,
      });
      setStatus(
        result.status === 200
          ? `${command}: ${describeResponses(result.responses)}`
          : `${command}: the bot answered HTTP ${result.status}`,
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
  input.value = '';
  try {
    await postJson('/local/api/reply', { thread_ts: state.thread, text });
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
  if (!text.trim()) {
    result.textContent = 'Paste an email or choose a file first.';
    return;
  }
  $('mail-send').disabled = true;
  result.textContent = 'Sending…';
  try {
    const answer = await api('/local/api/mail', {
      method: 'POST',
      headers: { 'content-type': file ? 'message/rfc822' : 'text/plain; charset=utf-8' },
      body,
    });
    result.textContent = describeMailResult(answer);
    if (answer.status === 202) {
      $('mail-text').value = '';
      $('mail-file').value = '';
    }
  } catch (error) {
    result.textContent = `Refused: ${error.message}`;
  } finally {
    $('mail-send').disabled = false;
  }
  refresh(true);
}

function submitOnEnter(textarea, form) {
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
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
$('thread-close').addEventListener('click', () => {
  state.thread = null;
  updateUrl();
  loadThread();
});

if (state.channel) $('channel-title').textContent = `# ${state.channel}`;
refresh(true);
setInterval(() => refresh(false), POLL_MS);
