/*
 * The console page's script, inlined into the page by page.ts (no build step, no external
 * resources). Plain browser JavaScript; `renderMrkdwn` is also run by the tests in a bare
 * VM context, so everything above `start` must not touch the DOM.
 *
 * Safety rule: every string from a message reaches the page either through textContent or
 * through escapeHtml first. renderMrkdwn only ever adds its own fixed tags to escaped text.
 */

function escapeHtml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Slack's mrkdwn escapes &, < and > as &amp; &lt; &gt;. After escapeHtml those read
 * &amp;amp; and so on; turning them back into entities shows the intended character
 * without ever producing a raw `<`.
 */
function decodeSlackEntities(html) {
  return html.replace(/&amp;(lt|gt|amp);/g, '&$1;');
}

function isWebUrl(url) {
  return /^https?:\/\//i.test(url);
}

/** `<…>` control sequences: links, mentions, channel references. */
function renderControl(inner) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  const shown = (text) => decodeSlackEntities(escapeHtml(text));
  if (target.startsWith('@'))
    return `<span class="mention">@${shown(label || target.slice(1))}</span>`;
  if (target.startsWith('#'))
    return `<span class="mention">#${shown(label || target.slice(1))}</span>`;
  if (target.startsWith('!')) {
    const name = label || target.slice(1).split('^')[0];
    return `<span class="mention">@${shown(name)}</span>`;
  }
  const url = target.replace(/&amp;/g, '&');
  const text = label || url;
  if (!isWebUrl(url)) return shown(text);
  const testId = text === 'Open chart' ? ' data-testid="chart-link"' : '';
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"${testId}>${shown(text)}</a>`;
}

/** Bold, italic and strike on escaped text (markers are never HTML-special characters). */
function renderEmphasis(text) {
  let html = escapeHtml(text);
  html = html.replace(/(^|[^\w*])\*([^*\n]+)\*(?![\w*])/g, '$1<b>$2</b>');
  html = html.replace(/(^|[^\w])_([^_\n]+)_(?!\w)/g, '$1<i>$2</i>');
  html = html.replace(/(^|[^\w~])~([^~\n]+)~(?![\w~])/g, '$1<s>$2</s>');
  return decodeSlackEntities(html).replace(/\n/g, '<br>');
}

function renderInline(text) {
  // Split keeps the captured group at odd indexes: control sequences there.
  return text
    .split(/<([^<>\n]*)>/)
    .map((part, i) => (i % 2 === 1 ? renderControl(part) : renderEmphasis(part)))
    .join('');
}

function renderCodeSpans(text) {
  return text
    .split(/`([^`\n]+)`/)
    .map((part, i) =>
      i % 2 === 1 ? `<code>${decodeSlackEntities(escapeHtml(part))}</code>` : renderInline(part),
    )
    .join('');
}

/** Slack mrkdwn to safe HTML: ```pre```, `code`, <links>, *bold*, _italic_, ~strike~. */
function renderMrkdwn(source) {
  const fence = '```';
  const parts = String(source ?? '').split(fence);
  return parts
    .map((part, i) => {
      const isPre = i % 2 === 1 && i < parts.length - 1;
      if (isPre) {
        return `<pre>${decodeSlackEntities(escapeHtml(part.replace(/^\n/, '')))}</pre>`;
      }
      // An unclosed fence is just text.
      return renderCodeSpans(i % 2 === 1 ? fence + part : part);
    })
    .join('');
}

/* ---------------------------------------------------------------- DOM from here on */

function h(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children || []) {
    if (child !== undefined && child !== null) {
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
  }
  return node;
}

function textObject(object, className) {
  const node = h('div', { class: className });
  if (!object || typeof object.text !== 'string') return node;
  if (object.type === 'mrkdwn') {
    node.classList.add('mrkdwn');
    node.innerHTML = renderMrkdwn(object.text);
  } else {
    node.textContent = object.text;
  }
  return node;
}

function safeImage(url, alt, attributes) {
  const img = h('img', { alt: alt || '', loading: 'lazy', ...attributes });
  if (typeof url === 'string' && isWebUrl(url)) img.src = url;
  return img;
}

function renderButton(element, message, block) {
  const style = element.style === 'primary' || element.style === 'danger' ? element.style : '';
  const button = h(
    'button',
    {
      type: 'button',
      class: `block-button ${style}`,
      'data-testid': `button-${element.action_id}`,
    },
    [element.text && typeof element.text.text === 'string' ? element.text.text : 'Button'],
  );
  button.addEventListener('click', () => {
    // A link button opens its URL and still notifies the app, as in Slack.
    if (typeof element.url === 'string' && isWebUrl(element.url)) {
      window.open(element.url, '_blank', 'noopener');
    }
    clickAction(message, element, button, block);
  });
  return button;
}

function renderElement(element, message, block) {
  if (element && element.type === 'button') return renderButton(element, message, block);
  return h('span', { class: 'unsupported' }, [`[${element?.type} element]`]);
}

function renderBlock(block, message) {
  switch (block?.type) {
    case 'header':
      return h('div', { class: 'block header' }, [block.text ? String(block.text.text) : '']);
    case 'section': {
      const node = h('div', { class: 'block section' });
      const main = h('div', { class: 'section-main' });
      if (block.text) main.append(textObject(block.text, 'section-text'));
      if (Array.isArray(block.fields)) {
        main.append(
          h(
            'div',
            { class: 'fields' },
            block.fields.map((f) => textObject(f, 'field')),
          ),
        );
      }
      node.append(main);
      if (block.accessory && block.accessory.type === 'image') {
        node.append(
          safeImage(block.accessory.image_url, block.accessory.alt_text, {
            class: 'accessory-image',
          }),
        );
      } else if (block.accessory) {
        node.append(
          h('div', { class: 'accessory' }, [renderElement(block.accessory, message, block)]),
        );
      }
      return node;
    }
    case 'image':
      return h('figure', { class: 'block image' }, [
        block.title ? h('figcaption', {}, [String(block.title.text)]) : null,
        safeImage(block.image_url, block.alt_text, { 'data-testid': 'chart-image' }),
      ]);
    case 'context':
      return h(
        'div',
        { class: 'block context' },
        (block.elements || []).map((e) =>
          e && e.type === 'image'
            ? safeImage(e.image_url, e.alt_text, { class: 'context-image' })
            : textObject(e, 'context-text'),
        ),
      );
    case 'actions':
      return h(
        'div',
        { class: 'block actions' },
        (block.elements || []).map((e) => renderElement(e, message, block)),
      );
    case 'divider':
      return h('hr', { class: 'block divider' });
    default:
      return h('div', { class: 'block unsupported' }, [`[${block?.type} block]`]);
  }
}

function shortTime(ts) {
  const date = new Date(Number(ts) * 1000);
  return Number.isNaN(date.getTime()) ? '' : date.toTimeString().slice(0, 5);
}

function renderMessage(message) {
  const mine = message.via === 'command';
  const author = mine ? 'you' : message.from === 'slack' ? 'Slackbot' : 'costbot';
  const meta = h('div', { class: 'meta' }, [
    h('span', { class: 'author' }, [author]),
    mine || message.from === 'slack' ? null : h('span', { class: 'badge' }, ['APP']),
    h('span', { class: 'time' }, [shortTime(message.ts)]),
    message.via === 'update' ? h('span', { class: 'note' }, ['(edited)']) : null,
    message.channel !== CONFIG.channelId
      ? h('span', { class: 'note' }, [`in ${message.channel}`])
      : null,
    message.thread_ts ? h('span', { class: 'note' }, ['in thread']) : null,
  ]);
  const body = h('div', { class: 'body' });
  if (mine) {
    body.append(h('code', { class: 'command-line' }, [message.text]));
  } else if (Array.isArray(message.blocks) && message.blocks.length > 0) {
    for (const block of message.blocks) body.append(renderBlock(block, message));
  } else {
    body.append(textObject({ type: 'mrkdwn', text: message.text }, 'section-text'));
  }
  const node = h(
    'div',
    {
      class: `message via-${message.via}`,
      'data-testid': 'message',
      'data-ts': message.ts,
      'data-via': message.via,
    },
    [
      h('div', { class: 'avatar' }, [author.slice(0, 1).toUpperCase()]),
      h('div', { class: 'content' }, [meta, body]),
    ],
  );
  if (message.via === 'ephemeral') {
    node
      .querySelector('.content')
      .prepend(
        h('div', { class: 'ephemeral-note', 'data-testid': 'ephemeral-note' }, [
          'Only visible to you',
        ]),
      );
  }
  return node;
}

function setStatus(text, isError) {
  const status = document.querySelector('[data-testid="status"]');
  status.textContent = text;
  status.classList.toggle('error', Boolean(isError));
}

async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    // A non-JSON answer is reported by status alone.
  }
  return { httpStatus: response.status, answer };
}

async function clickAction(message, element, button, block) {
  button.disabled = true;
  try {
    const { answer } = await postJson('./local/action', {
      channel: message.channel,
      ts: message.ts,
      actionId: element.action_id,
      // Action ids repeat across blocks (a list's buttons): the block names which one.
      ...(block && typeof block.block_id === 'string' ? { blockId: block.block_id } : {}),
      value: element.value,
    });
    if (answer.ok) setStatus(`Clicked "${element.action_id}": the bot answered ${answer.status}.`);
    else
      setStatus(
        `Clicking "${element.action_id}" failed: ${answer.error || `HTTP ${answer.status}`}`,
        true,
      );
  } catch (error) {
    setStatus(`Clicking failed: ${error}`, true);
  } finally {
    button.disabled = false;
    refresh();
  }
}

let lastSnapshot = '';

async function refresh() {
  let text;
  try {
    const response = await fetch('./local/messages', { cache: 'no-store' });
    text = await response.text();
  } catch {
    setStatus('The console is not answering (is npm start still running?)', true);
    return;
  }
  if (text === lastSnapshot) return;
  lastSnapshot = text;
  const list = document.querySelector('[data-testid="messages"]');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const messages = JSON.parse(text);
  list.replaceChildren(...messages.map(renderMessage));
  if (messages.length === 0) {
    list.append(h('div', { class: 'empty' }, ['No messages yet. Try /aws-cost below.']));
  }
  if (atBottom) list.scrollTop = list.scrollHeight;
}

const history = [];
let historyIndex = 0;

async function sendCommand(line) {
  const trimmed = line.trim();
  if (!trimmed) return;
  if (!trimmed.startsWith('/')) {
    setStatus(`Only slash commands reach the bot here: try ${CONFIG.command} ${trimmed}`, true);
    return;
  }
  history.push(trimmed);
  historyIndex = history.length;
  setStatus(`Sending ${trimmed} …`);
  try {
    const { httpStatus, answer } = await postJson('./local/command', { text: trimmed });
    if (answer.ok) setStatus(`Sent. The bot answered HTTP ${answer.status}.`);
    else setStatus(`Not delivered: ${answer.error || `HTTP ${answer.status ?? httpStatus}`}`, true);
  } catch (error) {
    setStatus(`Not delivered: ${error}`, true);
  }
  refresh();
}

function start() {
  const form = document.querySelector('[data-testid="command-form"]');
  const input = document.querySelector('[data-testid="command-input"]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const line = input.value;
    input.value = '';
    sendCommand(line);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowUp' && historyIndex > 0) {
      historyIndex -= 1;
      input.value = history[historyIndex];
      event.preventDefault();
    } else if (event.key === 'ArrowDown' && historyIndex < history.length) {
      historyIndex += 1;
      input.value = history[historyIndex] ?? '';
      event.preventDefault();
    }
  });
  refresh();
  setInterval(refresh, 700);
  input.focus();
}

if (typeof document !== 'undefined') start();
