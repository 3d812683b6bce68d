// A minimal W3C WebDriver client (fetch only) for the desktop app's end-to-end tests: tauri-driver
// forwards these requests to WebKitWebDriver, which drives the app's WebKitGTK webview.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async call(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const v = json.value ?? {};
      throw new Error(`WebDriver ${method} ${path}: ${res.status} ${v.error ?? ''} ${v.message ?? ''}`);
    }
    return json.value;
  }

  async start(capabilities) {
    const v = await this.call('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    this.session = v.sessionId;
    return v;
  }

  s(path) {
    return `/session/${this.session}${path}`;
  }

  async quit() {
    if (this.session) await this.call('DELETE', this.s('')).catch(() => {});
    this.session = null;
  }

  async find(css) {
    const v = await this.call('POST', this.s('/element'), { using: 'css selector', value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.call('POST', this.s('/elements'), { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Clicks an element, waiting up to 5 s for it to be there (screens re-render after every touch). */
  async click(css) {
    const start = Date.now();
    for (;;) {
      try {
        const id = await this.find(css);
        await this.call('POST', this.s(`/element/${id}/click`), {});
        return;
      } catch (e) {
        const retry = /no such element|stale element/.test(String(e.message));
        if (!retry || Date.now() - start > 5000) throw new Error(`${css}: ${e.message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Types text into an input (keyboard events as a user's). */
  async type(css, text) {
    const id = await this.find(css);
    await this.call('POST', this.s(`/element/${id}/value`), { text });
  }

  async text(css) {
    const id = await this.find(css);
    return this.call('GET', this.s(`/element/${id}/text`));
  }

  async execute(script, args = []) {
    return this.call('POST', this.s('/execute/sync'), { script, args });
  }

  /** The data-testid values on the screen now (visible elements only). */
  async testIds() {
    return this.execute(
      `return [...document.querySelectorAll('[data-testid]')]
         .filter((e) => e.getClientRects().length > 0 && !e.disabled)
         .map((e) => e.getAttribute('data-testid'));`,
    );
  }

  /** Waits until `predicate(await this.testIds())` is true; returns the ids. */
  async waitFor(predicate, what, timeoutMs = 15000) {
    const start = Date.now();
    let ids = [];
    while (Date.now() - start < timeoutMs) {
      ids = await this.testIds().catch(() => []);
      if (predicate(ids)) return ids;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; on screen: ${ids.join(', ')}`);
  }

  async screenshot() {
    // WebKitGTK takes the screenshot at the page's next presentation update, and a page at rest may not
    // update for minutes. A 1-pixel element blinks while the screenshot is taken (and is removed after).
    await this.execute(
      `const d = document.createElement('div');
       d.id = '__wd_paint';
       d.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
       document.body.appendChild(d);
       let on = false;
       window.__wdPaint = setInterval(() => { on = !on; d.style.background = on ? '#010203' : '#030201'; }, 16);`,
    );
    try {
      return Buffer.from(await this.call('GET', this.s('/screenshot')), 'base64');
    } finally {
      await this.execute(
        `clearInterval(window.__wdPaint); document.getElementById('__wd_paint')?.remove();`,
      );
    }
  }

  /** A pen stroke through `points` ([x, y] relative to the element's centre) with a touch pointer. */
  async stroke(css, points) {
    const id = await this.find(css);
    const origin = { [ELEMENT]: id };
    const [first, ...rest] = points;
    const actions = [
      { type: 'pointerMove', duration: 0, origin, x: first[0], y: first[1] },
      { type: 'pointerDown', button: 0 },
      ...rest.map(([x, y]) => ({ type: 'pointerMove', duration: 30, origin, x, y })),
      { type: 'pointerUp', button: 0 },
    ];
    await this.call('POST', this.s('/actions'), {
      actions: [{ type: 'pointer', id: 'pen', parameters: { pointerType: 'mouse' }, actions }],
    });
    await this.call('DELETE', this.s('/actions')).catch(() => {});
  }
}
