/**
 * Launch configurations for VS Code: initial launch.json entries, F5 on a model with no
 * launch.json, the Run and Debug drop-down's dynamic entries (models beside an accel-config
 * file), and the refusals — an untrusted workspace, a malformed configuration — shown as
 * messages with a way out (manage Workspace Trust, open launch.json).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  checkProgram,
  configForFile,
  initialConfigurations,
  isModelFile,
  resolveLaunchConfig,
  type LaunchConfig,
} from './launch-config';

/** The file of the active editor, when it is a model. */
function activeModelFile(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.uri.scheme === 'file' && isModelFile(doc.uri.fsPath) ? doc.uri.fsPath : undefined;
}

/** Shows a refusal without waiting for it to be dismissed. */
function refuse(message: string, trust: boolean): void {
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showErrorMessage(message, ...(trust ? [manage] : []))
    .then((choice) =>
      choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined,
    );
}

export class ImsConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return initialConfigurations();
  }

  /**
   * Fills in F5 without launch.json and checks the configuration. Returns undefined (do not
   * start) or null (do not start, open launch.json) after showing why.
   */
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | null | undefined {
    const r = resolveLaunchConfig(config, {
      trusted: vscode.workspace.isTrusted,
      activeFile: activeModelFile(),
    });
    if (r.ok) return r.config;
    refuse(r.message, r.trust === true);
    return r.openLaunchJson === true ? null : undefined;
  }

  /** Checks `program` once `${file}` and the other variables are substituted. */
  resolveDebugConfigurationWithSubstitutedVariables(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    const program: unknown = config.program;
    const problem = typeof program === 'string' ? checkProgram(program, existsSync) : undefined;
    if (problem === undefined) return config;
    refuse(`launch.json: ${problem}`, false);
    return undefined;
  }
}

/**
 * Dynamic configurations (the Run and Debug drop-down): the active model, and every model file
 * in a folder that holds an `accel-config.conf`.
 */
export class ImsDynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(
    _folder: vscode.WorkspaceFolder | undefined,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DebugConfiguration[]> {
    const files = new Set<string>();
    const active = activeModelFile();
    if (active !== undefined) files.add(active);
    const configs = await vscode.workspace.findFiles(
      '**/accel-config.conf',
      '**/node_modules/**',
      20,
      token,
    );
    for (const c of configs) {
      const dir = path.dirname(c.fsPath);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // the folder went away since the search
      }
      for (const name of names) {
        if (isModelFile(name) && !name.endsWith('.d.ts')) files.add(path.join(dir, name));
      }
    }
    return [...files].map((f): LaunchConfig => {
      const cfg = configForFile(f);
      return { ...cfg, name: `${cfg.name} (${path.basename(path.dirname(f))})` };
    });
  }
}
