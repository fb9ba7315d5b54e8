/**
 * The console's one HTML page. Everything is inline (no build step, no CDN), so it works
 * offline and the page's Content-Security-Policy can forbid every other origin for scripts
 * and styles.
 */
import { readFileSync } from 'node:fs';

/**
 * The page script, kept in its own file so it is linted as JavaScript and its mrkdwn
 * renderer can be tested as is. Read once at start-up.
 */
export const CLIENT_SCRIPT = readFileSync(new URL('./client.js', import.meta.url), 'utf8');

export interface PageConfig {
  channelId: string;
  channelName: string;
  command: string;
}

/** JSON that is safe inside a `<script>` element (no `</script>` can end it early). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const STYLE = `
:root { --border: #ddd; --muted: #616061; --accent: #1264a3; --bg: #fff; --side: #3f0e40; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; background: var(--bg); }
.app { display: grid; grid-template-columns: 220px 1fr; height: 100vh; }
.sidebar { background: var(--side); color: #cfc3cf; padding: 16px 0; }
.sidebar h1 { font-size: 17px; color: #fff; margin: 0 16px 16px; }
.sidebar .channel { padding: 4px 16px; }
.sidebar .channel.active { background: var(--accent); color: #fff; }
.main { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.channel-header { border-bottom: 1px solid var(--border); padding: 12px 20px; font-weight: 700; }
.channel-header small { font-weight: 400; color: var(--muted); margin-left: 8px; }
.messages { flex: 1; overflow-y: auto; padding: 8px 0; }
.empty { color: var(--muted); padding: 20px; }
.message { display: flex; gap: 10px; padding: 8px 20px; }
.message:hover { background: #f8f8f8; }
.message.via-ephemeral { background: #f4f8fb; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff; display: grid; place-items: center; font-weight: 700; }
.via-command .avatar { background: #2eb67d; }
.content { min-width: 0; flex: 1; }
.ephemeral-note { font-size: 12px; color: var(--muted); }
.meta { display: flex; gap: 6px; align-items: baseline; }
.author { font-weight: 700; }
.badge { font-size: 10px; background: #e8e8e8; color: var(--muted); padding: 0 4px; border-radius: 3px; }
.time, .note { font-size: 12px; color: var(--muted); }
.command-line { background: #f6f6f6; border: 1px solid var(--border); border-radius: 4px; padding: 1px 6px; }
.block { margin: 4px 0; }
.header { font-size: 18px; font-weight: 700; }
.section { display: flex; gap: 12px; align-items: flex-start; }
.section-main { flex: 1; min-width: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 24px; margin-top: 4px; }
.image img { max-width: min(100%, 640px); border: 1px solid var(--border); border-radius: 6px; display: block; }
.image figcaption { font-size: 13px; color: var(--muted); }
figure { margin: 4px 0; }
.accessory-image { width: 88px; height: 88px; object-fit: cover; border-radius: 6px; }
.context { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 12px; color: var(--muted); }
.context-image { width: 16px; height: 16px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; }
.block-button { font: inherit; font-size: 14px; font-weight: 700; padding: 4px 12px; border-radius: 4px; border: 1px solid #bbb; background: #fff; cursor: pointer; }
.block-button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.block-button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.block-button:disabled { opacity: .5; }
.divider { border: 0; border-top: 1px solid var(--border); }
.unsupported { color: var(--muted); font-style: italic; }
.mrkdwn code, .section-text code { background: #f6f6f6; border: 1px solid #e0e0e0; border-radius: 3px; padding: 0 3px; color: #c01343; font-size: 13px; }
.mrkdwn pre { background: #f6f6f6; border: 1px solid #e0e0e0; border-radius: 4px; padding: 8px; white-space: pre-wrap; margin: 4px 0; font-size: 13px; }
.mrkdwn a { color: var(--accent); }
.mention { background: #e8f5fa; color: var(--accent); border-radius: 3px; padding: 0 2px; }
.composer { border-top: 1px solid var(--border); padding: 12px 20px 8px; }
.composer form { display: flex; gap: 8px; }
.composer input { flex: 1; font: inherit; padding: 8px 10px; border: 1px solid #999; border-radius: 6px; }
.composer button { font: inherit; font-weight: 700; padding: 8px 16px; border-radius: 6px; border: 0; background: #007a5a; color: #fff; cursor: pointer; }
.status { min-height: 1.4em; font-size: 12px; color: var(--muted); margin-top: 4px; }
.status.error { color: #e01e5a; }
`;

/** The page. `config` is trusted (it comes from the console's options), but escaped anyway. */
export function consolePage(config: PageConfig): string {
  const name = escapeHtml(config.channelName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#${name} · costbot local Slack console</title>
<style>${STYLE}</style>
</head>
<body>
<div class="app">
  <nav class="sidebar">
    <h1>Local console</h1>
    <div class="channel active" data-testid="channel">#${name}</div>
  </nav>
  <main class="main">
    <div class="channel-header" data-testid="channel-header">#${name}<small>costbot speaks real Slack HTTP to this page; nothing leaves this machine</small></div>
    <div class="messages" data-testid="messages" aria-live="polite"></div>
    <div class="composer">
      <form data-testid="command-form" autocomplete="off">
        <input data-testid="command-input" name="command" placeholder="${escapeHtml(config.command)} 7d" aria-label="Message #${name}">
        <button type="submit" data-testid="send-button">Send</button>
      </form>
      <div class="status" data-testid="status" role="status"></div>
    </div>
  </main>
</div>
<script>const CONFIG = ${scriptJson(config)};</script>
<script>${CLIENT_SCRIPT.replaceAll('</script', '<\\/script')}</script>
</body>
</html>
`;
}

/**
 * Scripts and styles only from the page itself; images (charts) from anywhere, since the
 * bot links charts on its own storage endpoint, a different port on this machine.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src * data:; connect-src 'self'; base-uri 'none'; form-action 'self'";
