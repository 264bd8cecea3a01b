// What a person does in VS Code's workbench, as Playwright calls against the DOM of VS Code 1.139
// (code-server in Chromium). Every wait is on something the workbench shows (an element, an aria
// state, a text) and names it, so a timeout says what never appeared.

/** How long one thing on screen may take to appear (the model runs, the extension host loads). */
export const STEP_MS = 30_000;

/**
 * Waits for `locator` to reach `state` (default visible); a timeout names `what`.
 * @returns {Promise<import('playwright-core').Locator>} the locator
 */
export async function waitFor(locator, what, { state = 'visible', timeout = STEP_MS } = {}) {
  try {
    await locator.first().waitFor({ state, timeout });
  } catch (e) {
    throw new Error(`waited ${timeout / 1000} s for ${what} (${state}); it did not happen`, {
      cause: e,
    });
  }
  return locator.first();
}

/**
 * Polls `probe` (an async function returning a value, or undefined while not there yet) once a
 * frame until it returns a value; a timeout names `what` and the last value seen by `describe`.
 */
export async function waitUntil(page, what, probe, { timeout = STEP_MS, last } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) {
      const seen = last ? `; last seen: ${await last()}` : '';
      throw new Error(`waited ${timeout / 1000} s for ${what}; it did not happen${seen}`);
    }
    await nextFrame(page);
  }
}

/** Resolves after the workbench's next animation frame: it renders between polls. */
function nextFrame(page) {
  return page.evaluate(
    () => new Promise((r) => globalThis.requestAnimationFrame(() => r(undefined))),
  );
}

/** Escapes `text` for a RegExp. */
export function reEscape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The activity bar's entry for `title` ("Explorer", "Run and Debug", …). */
export function activity(page, title) {
  return page.locator(`.activitybar .action-item .action-label[aria-label^="${title}"]`);
}

/** Clicks an activity bar entry and waits for its side bar title. */
export async function openActivity(page, title, sidebarTitle = title) {
  await waitFor(activity(page, title), `the "${title}" entry of the activity bar`);
  await activity(page, title).click();
  await waitFor(
    page.locator('.part.sidebar .composite.title', {
      hasText: new RegExp(`^${reEscape(sidebarTitle)}`, 'i'),
    }),
    `the side bar titled "${sidebarTitle}"`,
  );
}

/** The side bar pane (a view) titled `title`. */
export function pane(page, title) {
  return page.locator('.part.sidebar .pane', {
    has: page.locator('.pane-header', { hasText: new RegExp(`^${reEscape(title)}`) }),
  });
}

/** Expands (`open` true) or collapses a side bar pane by clicking its header, as a person does. */
export async function setPaneOpen(page, title, open) {
  const header = await waitFor(pane(page, title).locator('.pane-header'), `the ${title} view`);
  const want = String(open);
  if ((await header.getAttribute('aria-expanded')) !== want) await header.click();
  await waitFor(
    pane(page, title).locator(`.pane-header[aria-expanded="${want}"]`),
    `the ${title} view to ${open ? 'expand' : 'collapse'}`,
  );
}

/**
 * A row of a pane's tree whose label starts with `name` (its `.label-name`), at `level` when
 * given (1 is a root).
 */
export function treeRow(paneLocator, name, level) {
  const lvl = level === undefined ? '' : `[aria-level="${level}"]`;
  return paneLocator.locator(`.pane-body .monaco-list-row${lvl}`, {
    has: paneLocator.page().locator('.label-name', {
      hasText: new RegExp(`^${reEscape(name)}`),
    }),
  });
}

/** The text of a tree row: its name and its description, as shown ("name — description"). */
export async function rowText(row) {
  return row.evaluate((e) => {
    const name = e.querySelector('.label-name')?.textContent ?? '';
    const desc = e.querySelector('.label-description')?.textContent ?? '';
    return desc ? `${name.trim()} — ${desc.trim()}` : name.trim();
  });
}

/**
 * Brings a tree row into the DOM: lists render only the rows in view, so this scrolls the pane's
 * list with the mouse wheel (`down` or `up`), as a person would, until the row is there or the
 * list stops moving.
 */
export async function revealRow(page, paneLocator, row, what, direction = 'down') {
  const list = paneLocator.locator('.pane-body .monaco-list').first();
  await waitFor(list, `the list of the view that holds ${what}`);
  const rowsBox = paneLocator.locator('.pane-body .monaco-list-rows').first();
  let lastTop;
  let still = 0;
  await waitUntil(
    page,
    what,
    async () => {
      if ((await row.count()) > 0) return row.first();
      // Where the rows are drawn: unchanged over several wheel turns, the list is at its end.
      const top = await rowsBox.evaluate((e) => `${e.style.top} ${e.style.transform}`);
      still = top === lastTop ? still + 1 : 0;
      if (still >= 10) throw new Error(`the view scrolled to its end without ${what}`);
      lastTop = top;
      const box = await list.boundingBox();
      if (box) {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.wheel(0, ((direction === 'up' ? -1 : 1) * box.height) / 2);
      }
      return undefined;
    },
    { timeout: 10_000 },
  );
  return row.first();
}

/** Expands a tree row (clicks its twistie) unless it is expanded already. */
export async function expandRow(row, what) {
  await waitFor(row, what);
  if ((await row.first().getAttribute('aria-expanded')) !== 'true') {
    await row.first().locator('.monaco-tl-twistie').click();
  }
  await waitFor(
    row.and(row.page().locator('[aria-expanded="true"]')),
    `${what} to show as expanded`,
  );
}

/** Collapses a tree row (clicks its twistie) if it is expanded. */
export async function collapseRow(row, what) {
  await waitFor(row, what);
  if ((await row.first().getAttribute('aria-expanded')) === 'true') {
    await row.first().locator('.monaco-tl-twistie').click();
  }
  await waitFor(
    row.and(row.page().locator('[aria-expanded="false"]')),
    `${what} to show as collapsed`,
  );
}

/** The editor group's active editor (the one a person is looking at). */
export function activeEditor(page) {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

/** The line-number element of 1-based `line` in `editor` (rendered only while in view). */
export function lineNumber(editor, line) {
  return editor.locator('.margin-view-overlays .line-numbers', {
    hasText: new RegExp(`^\\s*${line}\\s*$`),
  });
}

/** Whether two boxes lie on the same editor line (their vertical centres within half a line). */
function sameLine(a, b) {
  return Math.abs(a.y + a.height / 2 - (b.y + b.height / 2)) < Math.min(a.height, b.height) / 2;
}

/**
 * The glyph-margin decorations (`codicon-…` class names) on 1-based `line` of `editor`, from what
 * is drawn: decorations whose box lies on that line's number.
 */
export async function glyphsOnLine(editor, line) {
  const num = lineNumber(editor, line);
  if ((await num.count()) === 0) return undefined;
  const at = await num.first().boundingBox();
  if (at === null) return undefined;
  const glyphs = await editor.locator('.glyph-margin-widgets .cgmr').evaluateAll((es) =>
    es.map((e) => {
      const r = e.getBoundingClientRect();
      return { cls: e.className, box: { x: r.x, y: r.y, width: r.width, height: r.height } };
    }),
  );
  return glyphs
    .filter((g) => sameLine(g.box, at))
    .flatMap((g) => g.cls.split(/\s+/).filter((c) => c.startsWith('codicon-')));
}

/** Whether `line` is highlighted as the top stack frame's line (the yellow current line). */
export async function isTopFrameLine(editor, line) {
  const num = lineNumber(editor, line);
  if ((await num.count()) === 0) return false;
  const at = await num.first().boundingBox();
  const boxes = await editor
    .locator('.view-overlays .debug-top-stack-frame-line')
    .evaluateAll((es) =>
      es.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
  return at !== null && boxes.some((b) => sameLine(b, at));
}

/**
 * Clicks the glyph margin (the gutter left of the line numbers, where breakpoints show) on
 * 1-based `line` of `editor`; the line must be in view.
 */
export async function clickGutter(page, editor, line) {
  const num = await waitFor(lineNumber(editor, line), `line ${line} in the editor`);
  const at = await num.boundingBox();
  const margin = await editor.locator('.margin-view-overlays').first().boundingBox();
  if (at === null || margin === null) throw new Error(`line ${line} has no box on screen`);
  const x = margin.x + 9;
  const y = at.y + at.height / 2;
  // A person moves there first and clicks once the gutter answers: the faint breakpoint hint
  // shows (or the breakpoint already there). Right after an editor opens the gutter may not
  // answer the hover yet (its breakpoint contribution still loading): move away and back.
  await waitUntil(
    page,
    `the breakpoint hint on line ${line} under the mouse`,
    async () => {
      await page.mouse.move(x + 200, y);
      await page.mouse.move(x, y, { steps: 2 });
      // Give the hover a few frames to show before moving again.
      for (let frame = 0; frame < 30; frame++) {
        const glyphs = (await glyphsOnLine(editor, line)) ?? [];
        if (glyphs.some((g) => g.startsWith('codicon-debug-'))) return true;
        await nextFrame(page);
      }
      return undefined;
    },
    { last: async () => JSON.stringify(await glyphsOnLine(editor, line)) },
  );
  await page.mouse.click(x, y);
}

/**
 * Runs a palette command by its title; retries while contributed commands are still loading.
 */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.getByText(title, { exact: true }) })
    .first();
  const end = Date.now() + STEP_MS;
  for (;;) {
    await page.keyboard.press('F1');
    await waitFor(input, 'the command palette');
    await input.fill(`>${title}`);
    try {
      await row.click({ timeout: 2_000 });
      return;
    } catch (e) {
      if (Date.now() > end)
        throw new Error(`the command palette never offered "${title}"`, { cause: e });
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Drags the sash between the side bar and the editor so the side bar is `width` pixels wide
 * (views with long rows are easier to read).
 */
export async function resizeSidebar(page, width) {
  const sidebar = await waitFor(page.locator('.part.sidebar'), 'the side bar');
  const sash = await waitFor(
    page.locator('.monaco-sash.vertical.primary-sidebar-sash'),
    'the side bar sash',
  );
  const box = await sash.boundingBox();
  const side = await sidebar.boundingBox();
  if (box === null || side === null) throw new Error('the side bar sash has no box on screen');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(side.x + width, y, { steps: 8 });
  await page.mouse.up();
  await waitUntil(
    page,
    `the side bar to be about ${width} px wide`,
    async () => {
      const b = await sidebar.boundingBox();
      return b !== null && Math.abs(b.width - width) <= 8 ? true : undefined;
    },
    { timeout: 5_000, last: async () => `${(await sidebar.boundingBox())?.width} px` },
  );
}

/**
 * Drags the sash under the side bar pane `title` up until the pane is just tall enough for its
 * rows (so the panes below it get the room), as a person tidies the Run and Debug view.
 */
export async function fitPaneToRows(page, title) {
  const p = await waitFor(pane(page, title), `the ${title} view`);
  const rows = p.locator('.pane-body .monaco-list-row');
  await waitFor(rows, `rows in the ${title} view`);
  // The sash between this pane and the next one sits on the pane's lower edge (once the panes
  // have been laid out after the last expand or collapse).
  const sashes = page.locator('.part.sidebar .monaco-sash.horizontal:not(.disabled)');
  const layout = async () => {
    const box = await p.boundingBox();
    const lastRow = Math.max(
      ...(await rows.evaluateAll((es) => es.map((e) => e.getBoundingClientRect().bottom))),
    );
    const all = await sashes.evaluateAll((es) =>
      es.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }),
    );
    const bottom = box === null ? NaN : box.y + box.height;
    return { bottom, lastRow, all, sash: all.find((s) => Math.abs(s.y - bottom) <= 4) };
  };
  const at = await waitUntil(
    page,
    `the sash under the ${title} view`,
    async () => {
      const l = await layout();
      return l.sash !== undefined || l.bottom <= l.lastRow + 8 ? l : undefined;
    },
    {
      timeout: 5_000,
      last: async () => {
        const l = await layout();
        return `view bottom ${l.bottom}, sashes at ${l.all.map((s) => s.y).join(', ')}`;
      },
    },
  );
  const target = Math.round(at.lastRow + 8);
  if (at.bottom <= target) return;
  const { sash } = at;
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(sash.x, target, { steps: 8 });
  await page.mouse.up();
  await waitUntil(
    page,
    `the ${title} view to shrink to its rows`,
    async () => {
      const b = await p.boundingBox();
      return b !== null && b.y + b.height <= target + 4 ? true : undefined;
    },
    {
      timeout: 5_000,
      last: async () => {
        const b = await p.boundingBox();
        return `bottom at ${b === null ? '?' : b.y + b.height}, wanted ${target}`;
      },
    },
  );
}
