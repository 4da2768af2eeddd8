// deckhand web chat: plain browser JavaScript modules, no build step.
import { el, renderMessage } from './render.js';

const USER_KEY = 'deckhand.webchat.user';
const $ = (id) => document.getElementById(id);
/** What the page shows; `known` holds every message seen, by id, and `maxId` the newest id. */
const state = {
  channel: '',
  thread: '',
  channels: [],
  unread: new Map(),
  known: new Map(),
  maxId: 0,
  loadToken: 0,
};

async function api(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(typeof data?.error === 'string' ? data.error : `Request failed (${response.status}).`);
  }
  return data;
}

function showError(id, message) {
  const box = $(id);
  box.textContent = message || '';
  box.hidden = !message;
}

const currentUser = () => $('user-picker').value;
/** Renders a message with this page's handlers; errors show under the matching input. */
const view = (msg, where) => {
  const errorId = where === 'channel' ? 'error' : 'thread-error';
  return renderMessage(msg, where, {
    onAction: (button, m, action) => clickAction(button, m, action, errorId),
    onThread: (id) => openThread(id),
  });
};

async function clickAction(button, msg, action, errorId) {
  // A prompting button (e.g. Reject) asks for its text first; dismissing the question cancels.
  const input = action.prompt ? window.prompt(action.prompt) : undefined;
  if (action.prompt && !input?.trim()) return;
  button.disabled = true;
  showError(errorId, '');
  try {
    const body = { messageId: msg.id, actionId: action.id, user: currentUser() };
    await api('/api/webchat/actions', input ? { ...body, input: input.trim() } : body);
  } catch (error) {
    showError(errorId, error.message);
  } finally {
    button.disabled = false;
  }
}

/** Inserts or replaces a message in a list, in id order, keeping the view pinned to the bottom. */
function upsert(list, msg, where) {
  const pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const node = view(msg, where);
  const existing = list.querySelector(`[data-message-id="${CSS.escape(msg.id)}"]`);
  if (existing) existing.replaceWith(node);
  else {
    const later = [...list.children].find((child) => Number(child.dataset.messageId) > Number(msg.id));
    list.insertBefore(node, later || null);
  }
  // A replaced message can grow (a run that ends lists its failures), so re-pin after either.
  if (pinned) list.scrollTop = list.scrollHeight;
}

function noteIds(messages) {
  for (const msg of messages) {
    state.maxId = Math.max(state.maxId, Number(msg.id));
    state.known.set(msg.id, msg);
  }
}

function renderChannels() {
  const items = state.channels.map((channel) => {
    const unread = state.unread.get(channel.id) || 0;
    return el(
      'li',
      {},
      el(
        'a',
        {
          href: `#${encodeURIComponent(channel.id)}`,
          class: `channel-link${channel.id === state.channel ? ' active' : ''}${unread ? ' unread' : ''}`,
          'data-testid': `channel-${channel.id}`,
          'aria-current': channel.id === state.channel ? 'page' : null,
        },
        `# ${channel.name}`,
        unread ? el('span', { class: 'unread-count' }, String(unread)) : null,
      ),
    );
  });
  $('channels').replaceChildren(...items);
}

async function openChannel(channel) {
  state.channel = channel;
  state.unread.delete(channel);
  closeThread();
  renderChannels();
  $('channel-name').textContent = `# ${channel}`;
  $('message-input').placeholder = `Message #${channel}, or try /ci help`;
  showError('error', '');
  await reloadChannel();
  $('message-input').focus();
}

async function reloadChannel() {
  const token = ++state.loadToken;
  const list = $('messages');
  try {
    const data = await api(`/api/webchat/channels/${encodeURIComponent(state.channel)}/messages`);
    if (token !== state.loadToken) return;
    noteIds(data.messages);
    list.replaceChildren(...data.messages.map((msg) => view(msg, 'channel')));
    list.scrollTop = list.scrollHeight;
  } catch (error) {
    showError('error', error.message);
  }
}

async function openThread(id) {
  state.thread = id;
  $('thread-panel').hidden = false;
  showError('thread-error', '');
  await reloadThread();
  $('thread-input').focus();
}

async function reloadThread() {
  if (!state.thread) return;
  const id = state.thread;
  const url = `/api/webchat/channels/${encodeURIComponent(state.channel)}/messages?thread=${encodeURIComponent(id)}`;
  try {
    const replies = await api(url);
    if (state.thread !== id) return;
    const parent = state.known.get(id);
    $('thread-parent').replaceChildren(parent ? view(parent, 'parent') : '');
    noteIds(replies.messages);
    $('thread-messages').replaceChildren(...replies.messages.map((msg) => view(msg, 'thread')));
  } catch (error) {
    showError('thread-error', error.message);
  }
}

function closeThread() {
  state.thread = '';
  $('thread-panel').hidden = true;
  $('thread-parent').replaceChildren();
  $('thread-messages').replaceChildren();
}

function onLiveMessage(msg) {
  const fresh = Number(msg.id) > state.maxId;
  noteIds([msg]);
  if (!state.channels.some((channel) => channel.id === msg.channel)) {
    state.channels.push({ id: msg.channel, name: msg.channel });
    renderChannels();
  }
  if (msg.channel !== state.channel) {
    if (fresh && !msg.threadId) {
      state.unread.set(msg.channel, (state.unread.get(msg.channel) || 0) + 1);
      renderChannels();
    }
    return;
  }
  if (!msg.threadId) upsert($('messages'), msg, 'channel');
  else if (msg.threadId === state.thread) upsert($('thread-messages'), msg, 'thread');
  if (msg.id === state.thread) $('thread-parent').replaceChildren(view(msg, 'parent'));
}

function connect() {
  const indicator = $('connection');
  const source = new EventSource('/api/webchat/events');
  let opened = false;
  source.addEventListener('open', () => {
    indicator.className = 'connection live';
    indicator.title = 'Live';
    // After a reconnect, fetch what was missed while the stream was down.
    if (opened) void reloadChannel().then(reloadThread);
    opened = true;
  });
  source.addEventListener('message', (event) => onLiveMessage(JSON.parse(event.data)));
  source.addEventListener('error', () => {
    indicator.className = 'connection down';
    indicator.title = 'Reconnecting…';
    // The browser retries by itself unless the server answered with an error status.
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
  });
}

function bindComposer(inputId, errorId, threadId) {
  const input = $(inputId);
  input.addEventListener('input', () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
  });
  input.addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || input.dataset.sending) return;
    input.dataset.sending = 'yes';
    showError(errorId, '');
    const body = { channel: state.channel, user: currentUser(), text };
    if (threadId()) body.threadId = threadId();
    try {
      const msg = await api('/api/webchat/messages', body);
      input.value = '';
      input.style.height = 'auto';
      onLiveMessage(msg);
    } catch (error) {
      showError(errorId, error.message);
    } finally {
      delete input.dataset.sending;
    }
  });
}

/** Reads or writes the chosen user; storage can be unavailable (private windows, file policies). */
function storage(op, value) {
  try {
    return op === 'get' ? localStorage.getItem(USER_KEY) : localStorage.setItem(USER_KEY, value);
  } catch {
    return null;
  }
}

/** The channel named in the address bar's #fragment, if any. */
function hashChannel() {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return '';
  }
}

function setupUsers(people) {
  const picker = $('user-picker');
  const list = people.length ? people : [{ id: 'guest', name: 'guest' }];
  picker.replaceChildren(...list.map((p) => el('option', { value: p.id }, `${p.name} (${p.id})`)));
  const saved = storage('get');
  if (saved && list.some((p) => p.id === saved)) picker.value = saved;
  picker.addEventListener('change', () => storage('set', picker.value));
}

async function start() {
  bindComposer('message-input', 'error', () => '');
  bindComposer('thread-input', 'thread-error', () => state.thread);
  $('thread-close').addEventListener('click', closeThread);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.thread) closeThread();
  });
  window.addEventListener('hashchange', () => {
    const channel = hashChannel();
    if (channel && channel !== state.channel) void openChannel(channel);
  });
  try {
    const config = await api('/api/webchat/config');
    document.title = config.title;
    $('title').textContent = config.title;
    state.channels = config.channels;
    setupUsers(config.people);
  } catch (error) {
    showError('error', error.message);
    return;
  }
  connect();
  const wanted = hashChannel();
  const first = state.channels.find((c) => c.id === wanted) || state.channels[0];
  if (first) await openChannel(first.id);
  else showError('error', 'No channels yet: add one under "channels" in deckhand.yaml.');
}

void start();
