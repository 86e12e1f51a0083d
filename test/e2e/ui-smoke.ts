// UI smoke test: the extension (development folder) in code-server's workbench, driven by Playwright
// with the keyboard and the mouse as a user would: squiggle, Problems (with a config that is not open),
// the language status item, hover, quick fix, completion, the Truss commands.
// Saves a screenshot per step in test-results/ui-smoke/ and prints `ui-smoke: N passed, N failed` last.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  type Browser,
  type CodeServer,
  RESULTS,
  ROOT,
  launchBrowser,
  report,
  seconds,
  startCodeServer,
  tempDir,
  writeUserSettings,
} from './editor';
import { BasetenStandIn } from '../baseten/standin';
import { FUTURE, FUTURE_GPU, FUTURE_KEY, cannotMakeEnvs, trussEnv } from '../trussEnvs';

const SHOTS = join(RESULTS, 'ui-smoke');
const TIMEOUT = 30_000;
const METHODS = ['AWS_IAM', 'AWS_OIDC', 'GCP_OIDC', 'GCP_SERVICE_ACCOUNT_JSON', 'REGISTRY_SECRET'];
const FIX = 'Add `aws_access_key_id: null` to secrets';
const FIXTURES = join(ROOT, 'test', 'e2e', 'workspace');
/** The Baseten API key typed into the sign-in box: it must show up nowhere. */
const CANARY = 'bt_CANARY_ui_61d0a4c8';
const BASETEN_CONFIG =
  'model_name: my-model\nbase_image:\n  image: ghcr.io/acme/private:latest\nsecrets:\n  hf_acess_token: null\n';

/** A Truss judged by its `.venv`'s truss: AWS_OIDC (and its two keys) exist from truss 0.13.2. */
const OIDC_CONFIG = (version: string): string =>
  `# This folder's .venv has truss ${version}.\n` +
  'model_name: oidc-model\nbase_image:\n  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-model:1.4.0\n' +
  '  docker_auth:\n    auth_method: AWS_OIDC\n    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com\n' +
  '    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten\n    aws_oidc_region: us-west-2\n';
/** What the made-up future truss adds: its key is in the schema it ships, its accelerator is not. */
const FUTURE_CONFIG =
  `# This folder's .venv has a made-up truss ${FUTURE}.\n` +
  `model_name: future-model\npython_version: py311\nresources:\n  accelerator: ${FUTURE_GPU}\n${FUTURE_KEY}: 2\n`;

/** Every file below a folder. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** 1-based `line:column` of `needle` on the first line that starts with `key` (after the indentation). */
function lineColumn(text: string, key: string, needle = key): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(key));
  if (i < 0) throw new Error(`no ${key} in the fixture`);
  return `${i + 1}:${lines[i].indexOf(needle) + 1}`;
}

/** The editor's visible text, with the non-breaking spaces Monaco renders turned into spaces. */
async function editorText(page: Page): Promise<string> {
  return (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

async function goTo(page: Page, where: string): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`:${where}`); // Ctrl+G opens Quick Open in its `:` (go to line) mode
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits for `text` in its editor. */
async function openFile(page: Page, path: string, text: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(path);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: path.split('/')[0] })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-lines', { hasText: text }).waitFor();
  await page.mouse.move(1100, 700);
}

/**
 * The language status items' texts (the `{}` in the status bar, hovered), once `ready` accepts them:
 * the items follow the active editor a moment later, so the hover is opened again until they do.
 */
async function languageStatus(page: Page, ready: (items: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    // Off the last hover (it covers the bottom right) until it closes: one that grows past the window's edge
    // can scroll the whole workbench sideways and push the item out of reach.
    await page.mouse.move(1100, 400);
    await page
      .locator('.hover-language-status')
      .first()
      .waitFor({ state: 'hidden', timeout: 5000 })
      .catch(() => undefined);
    await page.evaluate(() => {
      for (const el of [document.documentElement, document.body, document.querySelector('.monaco-workbench')])
        el?.scrollTo(0, 0);
    });
    await page.locator('[id="status.languageStatus"]').hover();
    await page.locator('.hover-language-status').first().waitFor();
    const items = (await page.locator('.hover-language-status').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    if (ready(items)) return items;
    if (Date.now() > deadline) throw new Error(`the language status says ${items.join(' | ')}`);
    await page.waitForTimeout(300);
  }
}

/**
 * The Problems panel's rows of the files below `folder`, as `severity: message`, once there are `count`:
 * Ctrl+Shift+M, then a glob in the panel's filter box.
 */
async function problemsIn(page: Page, folder: string, count: number): Promise<string[]> {
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.viewpane-filter input:visible').fill(`**/${folder}/**`);
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((all) =>
      all.flatMap((row) => {
        const icon = row.querySelector('.marker-icon');
        if (!icon) return []; // the file's own row
        const severity = ['error', 'warning', 'info'].find((s) => icon.classList.contains(s)) ?? icon.className;
        return [`${severity}: ${(row as HTMLElement).innerText.replace(/\s+/g, ' ')}`];
      }),
    );
    if (rows.length === count || Date.now() > deadline) return rows;
    await page.waitForTimeout(300);
  }
}

/** Runs a command from the Command Palette by its title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^Truss: /, '') })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
}

async function main(): Promise<{ passed: number; failed: number }> {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const fixture = readFileSync(join(FIXTURES, 'iam', 'config.yaml'), 'utf8');
  const workspace = tempDir('ui-ws');
  writeFileSync(join(workspace, 'config.yaml'), fixture);
  // A Truss config no step opens (its problems come from the workspace scan), and an app's config.yaml.
  for (const folder of ['unopened', 'app']) {
    mkdirSync(join(workspace, folder));
    writeFileSync(join(workspace, folder, 'config.yaml'), readFileSync(join(FIXTURES, folder, 'config.yaml')));
  }
  mkdirSync(join(workspace, 'baseten'));
  writeFileSync(join(workspace, 'baseten', 'config.yaml'), BASETEN_CONFIG);
  const standIn = new BasetenStandIn(CANARY, ['hf_access_token']);
  const api = await standIn.start();
  const profile = tempDir('ui-profile');
  writeUserSettings(profile, {
    'editor.minimap.enabled': false,
    'editor.hover.delay': 300,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.commandCenter.enabled': false,
    // The LSP traffic is traced: a request carrying the key must not be.
    'trussConfig.trace.server': 'verbose',
  });

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let passed = 0;
  let failed = 0;
  let shot = 0;
  try {
    // Baseten is the stand-in; no key or trussrc of this machine is found.
    const noKeys = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('BASETEN_'))
        .map((k) => [k, '']),
    );
    server = await startCodeServer(profile, join(profile, 'extensions'), {
      ...noKeys,
      BASETEN_API_URL: api,
      USER_TRUSSRC_PATH: join(profile, 'no-trussrc'),
    });
    browser = await launchBrowser({ width: 1200, height: 760 });
    const { page } = browser;
    page.setDefaultTimeout(TIMEOUT);

    const step = async (name: string, body: () => Promise<void>): Promise<void> => {
      const started = Date.now();
      const file = join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
      try {
        await body();
        passed++;
        console.log(`  ✔ ${name} (${seconds(started)})`);
      } catch (e) {
        failed++;
        console.log(`  ✖ ${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      await page.waitForTimeout(400); // let hovers and menus finish fading in
      await page.screenshot({ path: file }).catch(() => undefined);
    };

    await page.goto(server.workbench(workspace, [['extensionDevelopmentPath', server.remote(ROOT)]]));

    await step('squiggle', async () => {
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'config.yaml' });
      await row.dblclick();
      await page.locator('.editor-instance .view-lines', { hasText: 'docker_auth' }).waitFor();
      await page.locator('.editor-instance .squiggly-warning').first().waitFor();
      await page.mouse.move(1100, 700); // away from the text, so no hover covers it
    });

    await step('problems', async () => {
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.locator('.monaco-list-row', { hasText: 'aws_access_key_id' }).first().waitFor();
      await panel.locator('.monaco-list-row', { hasText: 'aws_secret_access_key' }).first().waitFor();
      const text = await panel.innerText();
      if (!text.includes('missing-secret')) throw new Error('no missing-secret code in the Problems panel');
    });

    await step('problems-unopened', async () => {
      // The config in unopened/ was never opened: its problem reaches the Problems panel from the scan.
      const panel = page.locator('.markers-panel');
      await panel.locator('.monaco-list-row', { hasText: 'acelerator' }).first().waitFor();
      await panel.locator('.monaco-list-row', { hasText: 'unopened' }).first().waitFor();
      const tabs = await page.locator('.tabs-container .tab').count();
      if (tabs !== 1) throw new Error(`${tabs} editor tabs: unopened/config.yaml should not be open`);
    });

    await step('status-item', async () => {
      // The language status ({} in the status bar) of a Truss config: its problems counted.
      await page.locator('[id="status.languageStatus"]').hover();
      const item = page.locator('.hover-language-status', { hasText: 'Truss config' }).first();
      await item.waitFor();
      const text = (await item.innerText()).replace(/\s+/g, ' ');
      if (!text.includes('2 warnings')) throw new Error(`the status item says "${text}", not 2 warnings`);
      await page.locator('.hover-language-status', { hasText: 'Truss server running' }).first().waitFor();
      // The truss release the file is judged by, and where it came from.
      const release = page.locator('.hover-language-status', { hasText: /truss (not found: checking as|\d)/ });
      await release.first().waitFor();
    });

    await step('hover', async () => {
      await page.keyboard.press('Escape');
      await page.mouse.move(1100, 700);
      // With the mouse, on the AWS_IAM value: the problem and the method's documentation.
      const value = page.locator('.editor-instance .view-line span > span', { hasText: /^AWS_IAM$/ }).first();
      await value.hover();
      await page.locator('.monaco-hover:visible', { hasText: 'aws_access_key_id' }).first().waitFor();
    });

    await step('hover-docker-auth', async () => {
      // With the keyboard: Go to Line, then Show Hover (Ctrl+K Ctrl+I), on docker_auth.
      await page.keyboard.press('Escape');
      await page.mouse.move(1100, 700);
      await goTo(page, lineColumn(fixture, 'docker_auth'));
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await page.locator('.monaco-hover:visible', { hasText: "Baseten's build service logs in" }).first().waitFor();
    });

    await step('quick-fix-menu', async () => {
      await page.keyboard.press('Escape');
      await page
        .locator('.editor-instance .view-line span > span', { hasText: /^AWS_IAM$/ })
        .first()
        .click();
      await page.keyboard.press('Control+.');
      await page.locator('.action-widget .monaco-list-row', { hasText: FIX }).first().waitFor();
      await page.mouse.move(1100, 700);
      // One fix for each of the two problems under the cursor, both at once first, each entry once.
      const items = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.trim());
      for (const name of ['aws_access_key_id', 'aws_secret_access_key']) {
        const count = items.filter((t) => t === `Add \`${name}: null\` to secrets`).length;
        if (count !== 1) throw new Error(`${count} "Add ${name}" entries in the menu: ${items.join(' | ')}`);
      }
      const entries = items.filter((t) => /^(Add|Suppress)/.test(t));
      if (!entries[0]?.startsWith('Add all missing secrets') || new Set(entries).size !== entries.length) {
        throw new Error(`the menu: ${items.join(' | ')}`);
      }
    });

    await step('quick-fix-applied', async () => {
      await page.locator('.action-widget .monaco-list-row', { hasText: FIX }).first().click();
      const deadline = Date.now() + TIMEOUT;
      while (!(await editorText(page)).includes('aws_access_key_id: null')) {
        if (Date.now() > deadline) throw new Error('the fix did not add aws_access_key_id: null');
        await page.waitForTimeout(100);
      }
      const problems = page.locator('.markers-panel .monaco-list-row', { hasText: 'aws_access_key_id' });
      await problems.first().waitFor({ state: 'detached' });
    });

    await step('completion', async () => {
      // Replace the method's value, then ask for completion with Ctrl+Space.
      await goTo(page, lineColumn(fixture, 'auth_method:', 'AWS_IAM'));
      await page.keyboard.press('Shift+End');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Control+Space');
      const widget = page.locator('.suggest-widget.visible');
      await widget.locator('.monaco-list-row', { hasText: 'AWS_OIDC' }).first().waitFor();
      const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
      const missing = METHODS.filter((m) => !labels.some((l) => l.trim() === m));
      if (missing.length) throw new Error(`completion lacks ${missing.join(', ')} (has ${labels.join(', ')})`);
    });

    await step('credential-command', async () => {
      // Truss: Create registry credential… from the Command Palette: the user name comes pre-filled
      // for ECR, the token goes into a password box, and only a note (never the value) is shown.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+P');
      await page.keyboard.type('Truss: Create registry credential');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Create registry credential' })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      const input = page.locator('.quick-input-widget input.input');
      await page.locator('.quick-input-widget', { hasText: 'User name' }).waitFor();
      const user = await input.inputValue();
      if (user !== 'AWS') throw new Error(`the user name is pre-filled with "${user}", not AWS`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'expires after 12 hours' }).waitFor();
      if ((await input.getAttribute('type')) !== 'password') throw new Error('the token box is not a password box');
      const token = 'not-a-real-ecr-token';
      await page.keyboard.type(token);
      await page.keyboard.press('Enter');
      const toast = page.locator('.notifications-toasts', {
        hasText: 'Copied the value of DOCKER_REGISTRY_123456789012.dkr.ecr.us-west-2.amazonaws.com',
      });
      await toast.first().waitFor();
      if ((await page.locator('body').innerText()).includes(token) || (await editorText(page)).includes(token))
        throw new Error('the token is visible');
    });

    await step('check-workspace', async () => {
      // Truss: Check All Truss Configs: a progress notification, then the counts.
      await page.keyboard.press('Escape');
      await runCommand(page, 'Truss: Check All Truss Configs');
      await page
        .locator('.notifications-toasts', { hasText: 'checked 3 Truss configs (1 open); 2 have problems' })
        .first()
        .waitFor();
    });

    await step('status-not-truss', async () => {
      // app/config.yaml, from the Explorer: not a Truss config, with the reason and a link to check it anyway.
      await page.keyboard.press('Escape');
      const explorer = page.locator('.explorer-folders-view');
      await explorer.locator('.monaco-list-row[aria-level="1"]', { hasText: /^app$/ }).click();
      await explorer.locator('.monaco-list-row[aria-level="2"]', { hasText: 'config.yaml' }).dblclick();
      await page.locator('.editor-instance .view-lines', { hasText: 'defaults' }).waitFor();
      await page.mouse.move(1100, 700);
      await page.locator('[id="status.languageStatus"]').hover();
      const item = page.locator('.hover-language-status', { hasText: 'Not a Truss config' }).first();
      await item.waitFor();
      const text = (await item.innerText()).replace(/\s+/g, ' ');
      if (!/score -?\d+ of 3: /.test(text)) throw new Error(`no reason in "${text}"`);
      await item.locator('a', { hasText: 'Check as Truss config' }).waitFor();
    });

    await step('check-as-truss', async () => {
      // The status item's link: the file is checked as a Truss config from now on. The hover can close
      // under the pointer as it re-renders, so the link is hovered and clicked again until it takes.
      const squiggle = page.locator('.editor-instance .squiggly-error').first();
      for (let attempt = 1; ; attempt++) {
        await page.locator('[id="status.languageStatus"]').hover();
        const link = page.locator('.hover-language-status a', { hasText: 'Check as Truss config' }).first();
        await link.waitFor({ timeout: 10_000 });
        await link.click();
        try {
          await squiggle.waitFor({ timeout: 10_000 });
          break;
        } catch (e) {
          if (attempt === 3) throw e;
          await page.mouse.move(1100, 700);
        }
      }
      await page.mouse.move(1100, 700);
      await page.keyboard.press('Escape');
      await page.locator('[id="status.languageStatus"]').hover();
      await page.locator('.hover-language-status', { hasText: 'Truss config' }).first().waitFor();
      const text = (await page.locator('.hover-language-status').first().innerText()).replace(/\s+/g, ' ');
      if (!/error/.test(text)) throw new Error(`the status item says "${text}"`);
    });

    await step('baseten-sign-in', async () => {
      // Truss: Sign in to Baseten: the key in a password box, then the workspace's secrets are compared.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type('baseten/config.yaml');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'baseten' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-lines', { hasText: 'hf_acess_token' }).waitFor();
      await runCommand(page, 'Truss: Sign in to Baseten');
      await page.locator('.quick-input-widget', { hasText: 'Baseten API key' }).waitFor();
      const input = page.locator('.quick-input-widget input.input');
      if ((await input.getAttribute('type')) !== 'password') throw new Error('the key box is not a password box');
      await page.keyboard.type(CANARY);
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .squiggly-warning').first().waitFor();
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'secret-not-in-workspace' }).first().waitFor();
      await page.mouse.move(1100, 700);
      await page.locator('[id="status.languageStatus"]').hover();
      await page.locator('.hover-language-status', { hasText: 'Baseten: 1 secret' }).first().waitFor();
    });

    await step('baseten-save-credential', async () => {
      // Create registry credential… offers to save the value to Baseten, after a modal confirmation.
      await page.mouse.move(1100, 700);
      await page.keyboard.press('Escape');
      await page.locator('.editor-instance .view-lines').first().click();
      await runCommand(page, 'Truss: Create registry credential');
      await page.locator('.quick-input-widget', { hasText: 'User name' }).waitFor();
      await page.keyboard.type('octocat');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'Password or token' }).waitFor();
      const token = 'ghp_notARealToken0123';
      await page.keyboard.type(token);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Save to Baseten' }).first().click();
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'DOCKER_REGISTRY_ghcr.io' });
      await dialog.waitFor();
      if (!(await dialog.innerText()).includes('your Baseten workspace'))
        throw new Error('the dialog names no workspace');
      await dialog.locator('.monaco-button', { hasText: 'Save' }).first().click();
      await page.locator('.notifications-toasts', { hasText: 'saved DOCKER_REGISTRY_ghcr.io' }).first().waitFor();
      const expected = Buffer.from(`octocat:${token}`).toString('base64');
      if (standIn.value('DOCKER_REGISTRY_ghcr.io') !== expected) throw new Error('Baseten did not get the value');
      await page.locator('.editor-instance .view-lines', { hasText: 'DOCKER_REGISTRY_ghcr.io: null' }).waitFor();
      const seen = (await page.locator('body').innerText()) + (await editorText(page));
      if (seen.includes(token) || seen.includes(expected) || seen.includes(CANARY))
        throw new Error('a secret is visible');
    });

    await step('baseten-no-leak', async () => {
      // The logs of the session (the output channel, with the LSP trace on) never hold the key or the value.
      await runCommand(page, 'Truss: Show Output');
      await page.waitForTimeout(1000);
      const logs = files(join(profile, 'logs'));
      if (!logs.some((f) => f.includes('Truss Config'))) throw new Error('no output channel log found');
      const leaks = logs.filter((f) => readFileSync(f, 'latin1').includes(CANARY));
      if (leaks.length) throw new Error(`the key is in ${leaks.join(', ')}`);
      if (!logs.some((f) => /Baseten: 1 secret/.test(readFileSync(f, 'latin1')))) throw new Error('no Baseten line');
    });

    // The truss each Truss is judged by: three folders, each with a .venv made by test/trussEnvs.ts.
    const noEnvs = cannotMakeEnvs();
    if (noEnvs) console.log(`  - truss release steps skipped: ${noEnvs}`);
    else {
      const old = OIDC_CONFIG('0.13.1');
      for (const [version, text] of [
        ['0.13.1', old],
        ['0.18.26', OIDC_CONFIG('0.18.26')],
        [FUTURE, FUTURE_CONFIG],
      ]) {
        mkdirSync(join(workspace, `truss-${version}`));
        writeFileSync(join(workspace, `truss-${version}`, 'config.yaml'), text);
        symlinkSync(dirname(dirname(trussEnv(version))), join(workspace, `truss-${version}`, '.venv'));
      }
      const hover = async (where: string, text: string): Promise<string> => {
        await page.keyboard.press('Escape');
        await goTo(page, where);
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const box = page.locator('.monaco-hover:visible', { hasText: text }).first();
        await box.waitFor();
        return (await box.innerText()).replace(/\s+/g, ' ');
      };

      await step('release-old', async () => {
        // truss 0.13.1 rejects AWS_OIDC and its keys: errors that name the release that accepts them.
        await openFile(page, 'truss-0.13.1/config.yaml', 'AWS_OIDC');
        await page.locator('.editor-instance .squiggly-error').first().waitFor();
        const rows = await problemsIn(page, 'truss-0.13.1', 3);
        const expected = /^error: truss 0\.13\.1 does not know .*: truss 0\.13\.2 added it/;
        if (rows.length !== 3 || !rows.every((r) => expected.test(r))) throw new Error(`Problems: ${rows.join(' | ')}`);
        // The status item: the release and where it came from.
        await languageStatus(
          page,
          (items) =>
            items.some((t) => t.startsWith('truss 0.13.1 (.venv)')) &&
            items.some((t) => t.startsWith('Truss config 3 errors')),
        );
      });

      await step('release-old-hover', async () => {
        const text = await hover(lineColumn(old, 'auth_method:', 'AWS_OIDC'), 'Since truss 0.13.2');
        if (!text.includes('Your truss 0.13.1 does not know it: needs truss ≥ 0.13.2'))
          throw new Error(`the hover says "${text}"`);
      });

      await step('release-old-completion', async () => {
        // The methods truss 0.13.1 lacks are offered last, marked with the release they need.
        await page.keyboard.press('Escape');
        await goTo(page, lineColumn(old, 'auth_method:', 'AWS_OIDC'));
        await page.keyboard.press('Shift+End');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('Control+Space');
        const widget = page.locator('.suggest-widget.visible');
        await widget.locator('.monaco-list-row', { hasText: 'AWS_OIDC' }).first().waitFor();
        const offered = await widget.locator('.monaco-list-row').evaluateAll((rows) =>
          rows.map((r) => {
            const label = r.querySelector('.label-name')?.textContent?.trim();
            const detail = r.querySelector('.details-label')?.textContent?.trim();
            return detail ? `${label} (${detail})` : `${label}`;
          }),
        );
        const want = [
          'AWS_IAM',
          'GCP_SERVICE_ACCOUNT_JSON',
          'AWS_OIDC (needs truss ≥ 0.13.2)',
          'GCP_OIDC (needs truss ≥ 0.13.2)',
          'REGISTRY_SECRET (needs truss ≥ 0.15.3)',
        ];
        if (offered.join(', ') !== want.join(', ')) throw new Error(`completion offers ${offered.join(', ')}`);
        // The mark shows beside the entry once it has the focus.
        const focused = widget.locator('.monaco-list-row.focused');
        for (let i = 0; i < want.length && !(await focused.innerText()).startsWith('AWS_OIDC'); i++)
          await page.keyboard.press('ArrowDown');
        const shown = (await focused.innerText()).replace(/\s+/g, ' ');
        if (!/^AWS_OIDC needs truss ≥ 0\.13\.2/.test(shown)) throw new Error(`the focused entry shows "${shown}"`);
      });

      await step('release-newest', async () => {
        // truss 0.18.26, the newest release we know: the same config has no problem.
        await openFile(page, 'truss-0.18.26/config.yaml', 'AWS_OIDC');
        await languageStatus(
          page,
          (items) =>
            items.some((t) => t.startsWith('truss 0.18.26 (.venv)')) &&
            items.some((t) => t.startsWith('Truss config no problems')),
        );
        const rows = await problemsIn(page, 'truss-0.18.26', 0);
        if (rows.length) throw new Error(`Problems: ${rows.join(' | ')}`);
        const text = await hover(lineColumn(old, 'aws_oidc_role_arn:'), 'Since truss 0.13.2');
        if (text.includes('does not know')) throw new Error(`the hover says "${text}"`);
      });

      await step('release-future', async () => {
        // A truss newer than our data: what its schema adds is known, the rest at most a warning.
        await openFile(page, `truss-${FUTURE}/config.yaml`, FUTURE_KEY);
        await page.locator('.editor-instance .squiggly-warning').first().waitFor();
        const rows = await problemsIn(page, `truss-${FUTURE}`, 1);
        // One warning, on the accelerator, naming both releases; nothing on the key the schema adds.
        const older = `The checker's data (truss 0.18.26) is older than your truss ${FUTURE}`;
        const [line, column] = lineColumn(FUTURE_CONFIG, 'accelerator:', FUTURE_GPU).split(':');
        if (
          rows.length !== 1 ||
          !rows[0].startsWith('warning: ') ||
          !rows[0].includes(older) ||
          !rows[0].endsWith(`[Ln ${line}, Col ${column}]`)
        )
          throw new Error(`Problems: ${rows.join(' | ')}`);
        if (await page.locator('.editor-instance .squiggly-error').count()) throw new Error('an error squiggle');
        await languageStatus(
          page,
          (items) =>
            items.some((t) => t.startsWith(`truss ${FUTURE} (.venv)`)) &&
            items.some((t) => t.startsWith('Truss config 1 warning')),
        );
      });
    }
  } finally {
    await standIn.stop();
    await browser?.close();
    server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
  return { passed, failed };
}

const started = Date.now();
report('ui-smoke', main, () => `screenshots in ${SHOTS}; took ${seconds(started)}`);
