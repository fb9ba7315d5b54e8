import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runInNewContext, Script } from 'node:vm';
import { CLIENT_SCRIPT } from '../../../local/console/page.ts';
import { type Harness, startHarness } from './harness.ts';

/** The page's own renderMrkdwn, run outside a browser (it does not touch the DOM). */
const renderMrkdwn = runInNewContext(`${CLIENT_SCRIPT}\nrenderMrkdwn`, {}) as (s: string) => string;

describe('GET /', () => {
  let h: Harness;
  let html: string;
  let csp: string | null;
  before(async () => {
    h = await startHarness();
    const res = await fetch(`${h.consoleUrl}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    csp = res.headers.get('content-security-policy');
    html = await res.text();
  });
  after(() => h.close());

  it('carries the test ids the browser tests rely on', () => {
    for (const id of [
      'data-testid="command-input"',
      'data-testid="send-button"',
      'data-testid="messages"',
      "'data-testid': 'message'",
      "'data-testid': 'chart-image'",
      "'data-testid': `button-",
      'data-testid="chart-link"',
    ]) {
      assert.ok(html.includes(id), id);
    }
    assert.ok(html.includes('#costs'));
    assert.ok(html.includes('Only visible to you'));
  });

  it('loads nothing from elsewhere, and its scripts parse', () => {
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import/);
    assert.match(csp ?? '', /default-src 'self'/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    assert.equal(scripts.length, 2);
    for (const script of scripts) assert.doesNotThrow(() => new Script(script));
  });
});

describe('renderMrkdwn in the page', () => {
  it('never lets markup through: only its own tags, attributes only on links', () => {
    const hostile = [
      '<img src=x onerror=alert(1)> & "q"',
      '<script>alert(1)</script>',
      '*<img src=x onerror=alert(1)>*',
      '`<img src=x>`',
      '```<svg onload=alert(1)>```',
      '<https://x.test|<img src=x onerror=alert(1)>>',
      '<https://x.test" onmouseover="alert(1)|x>',
      "_it's_ <@U1|<b>>",
    ];
    for (const input of hostile) {
      const html = renderMrkdwn(input);
      const tags = [...html.matchAll(/<\/?([a-z]+)([^>]*)>/g)];
      for (const [, name, attributes] of tags) {
        assert.ok(
          ['b', 'i', 's', 'code', 'pre', 'br', 'a', 'span'].includes(name ?? ''),
          `${input} -> ${html}`,
        );
        if (name !== 'a' && name !== 'span') assert.equal(attributes, '', `${input} -> ${html}`);
      }
      assert.doesNotMatch(html, /<a (?!href="https?:\/\/)/, `${input} -> ${html}`);
      assert.doesNotMatch(html, /href="[^"]*"[^>]*\son\w+=/, `${input} -> ${html}`);
    }
    assert.equal(renderMrkdwn('a & b "c" \'d\''), 'a &amp; b &quot;c&quot; &#39;d&#39;');
  });

  it("shows Slack's escaped &lt; &gt; &amp; as the characters, still as entities", () => {
    assert.equal(renderMrkdwn('a &lt;b&gt; &amp; c'), 'a &lt;b&gt; &amp; c');
    assert.equal(renderMrkdwn('&lt;script&gt;'), '&lt;script&gt;');
  });

  it('renders bold, italic, code and pre', () => {
    assert.equal(renderMrkdwn('*Month to date*\n$1.00'), '<b>Month to date</b><br>$1.00');
    assert.equal(renderMrkdwn('an _italic_ word'), 'an <i>italic</i> word');
    assert.equal(
      renderMrkdwn('run `/aws-cost doctor` now'),
      'run <code>/aws-cost doctor</code> now',
    );
    assert.equal(renderMrkdwn('`*not bold*`'), '<code>*not bold*</code>');
    assert.equal(renderMrkdwn('```\n<b>x</b>\n```'), '<pre>&lt;b&gt;x&lt;/b&gt;\n</pre>');
    assert.equal(renderMrkdwn('snake_case_name'), 'snake_case_name');
  });

  it('links only http(s) URLs, with escaped href and text', () => {
    assert.equal(
      renderMrkdwn('<https://x.test/a?b=1&amp;c="2"|Open chart> · expires'),
      '<a href="https://x.test/a?b=1&amp;c=&quot;2&quot;" target="_blank" rel="noopener noreferrer" data-testid="chart-link">Open chart</a> · expires',
    );
    assert.equal(
      renderMrkdwn('<http://127.0.0.1:4568/chart.png>'),
      '<a href="http://127.0.0.1:4568/chart.png" target="_blank" rel="noopener noreferrer">http://127.0.0.1:4568/chart.png</a>',
    );
    assert.equal(renderMrkdwn('<javascript:alert(1)|click>'), 'click');
    assert.equal(renderMrkdwn('<https://x.test|a "quoted" <i>label</i>>').includes('<i>'), false);
  });

  it('shows mentions as text', () => {
    assert.equal(
      renderMrkdwn('<@U0LOCAL> <!here> <#C0LOCAL|costs>'),
      '<span class="mention">@U0LOCAL</span> <span class="mention">@here</span> <span class="mention">#costs</span>',
    );
  });
});
