import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pkg from '../../../package.json';
import { initialConfigurations, LAUNCH_ATTRIBUTES } from '../../../src/extension/launch-config';
import { VIEW_COMMANDS } from '../../../src/extension/view-commands';
import { VIEWS } from '../../../src/extension/views';

interface Contributes {
  debuggers: {
    type: string;
    program: string;
    runtime: string;
    languages: string[];
    configurationAttributes: {
      launch: {
        required: string[];
        properties: Record<
          string,
          {
            type: string;
            minimum?: number;
            maximum?: number;
            description?: string;
            markdownDescription?: string;
          }
        >;
      };
    };
    initialConfigurations: unknown[];
    configurationSnippets: { label: string; body: { type: string; request: string } }[];
  }[];
  breakpoints: { language: string }[];
  views: { debug: { id: string; name: string; when: string }[] };
  configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> };
  commands: { command: string }[];
}

const manifest = pkg as unknown as {
  contributes: Contributes;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | string; description?: string } };
  main: string;
};
const c = manifest.contributes;
const ims = c.debuggers.find((d) => d.type === 'ims')!;

describe('package.json contributions', () => {
  it('declares the ims debugger: standalone adapter run with node, for JS and TS', () => {
    assert.equal(ims.program, './dist/adapter.js');
    assert.equal(ims.runtime, 'node');
    assert.deepEqual(ims.languages, ['javascript', 'typescript']);
    assert.deepEqual(
      c.breakpoints.map((b) => b.language),
      ['javascript', 'typescript'],
    );
  });

  it('has a launch schema in step with ImsLaunchArguments', () => {
    const launch = ims.configurationAttributes.launch;
    assert.deepEqual(launch.required, ['program']);
    const props = launch.properties;
    assert.deepEqual(Object.keys(props).sort(), Object.keys(LAUNCH_ATTRIBUTES).sort());
    for (const [k, type] of Object.entries(LAUNCH_ATTRIBUTES)) {
      assert.equal(props[k]!.type, type, k);
      const doc = props[k]!.markdownDescription ?? props[k]!.description ?? '';
      assert.ok(doc.length > 20, `${k} has a description`);
    }
    assert.equal(props.cpus!.minimum, 1);
    assert.equal(props.cpus!.maximum, 64);
  });

  it('offers the same initial configuration as the provider, and launch snippets', () => {
    assert.deepEqual(ims.initialConfigurations, initialConfigurations());
    assert.ok(ims.configurationSnippets.length >= 1);
    for (const s of ims.configurationSnippets) {
      assert.equal(s.body.type, 'ims');
      assert.equal(s.body.request, 'launch');
    }
  });

  it('puts the four views in Run and Debug while an ims session runs', () => {
    assert.deepEqual(
      c.views.debug.map((v) => [v.id, v.name, v.when]),
      VIEWS.map((v) => [v.id, v.title, "debugType == 'ims'"]),
    );
  });

  it('contributes every view command', () => {
    const contributed = new Set(c.commands.map((x) => x.command));
    for (const id of Object.values(VIEW_COMMANDS)) assert.ok(contributed.has(id), id);
  });

  it('has the settings the extension reads', () => {
    assert.deepEqual(c.configuration.properties['ims-debug.adapter']!.enum, [
      'inline',
      'executable',
    ]);
    assert.equal(c.configuration.properties['ims-debug.adapter']!.default, 'inline');
    assert.deepEqual(c.configuration.properties['ims-debug.valueFormat']!.enum, [
      'hex',
      'decimal',
      'binary',
    ]);
    assert.equal(c.configuration.properties['ims-debug.valueFormat']!.default, 'hex');
  });

  it('activates on debug resolution and is limited in untrusted workspaces', () => {
    assert.ok(manifest.activationEvents.includes('onDebugResolve:ims'));
    assert.ok(manifest.activationEvents.includes('onDebugDynamicConfigurations:ims'));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description ?? '', /Restricted Mode/);
  });
});

describe('extension layering', () => {
  it('keeps the view model free of vscode (so it runs in unit tests)', () => {
    const root = path.resolve(__dirname, '..', '..', '..', 'src', 'extension');
    const pure = [
      ...['model', 'views'].flatMap((d) =>
        readdirSync(path.join(root, d)).map((f) => path.join(d, f)),
      ),
      'snapshot-store.ts',
      'adapter-messages.ts',
      'launch-config.ts',
      'view-commands.ts',
    ];
    for (const f of pure) {
      const text = readFileSync(path.join(root, f), 'utf8');
      assert.doesNotMatch(text, /from 'vscode'|require\('vscode'\)/, f);
    }
  });
});
