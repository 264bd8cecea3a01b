/**
 * The extension's entry point: the `ims` debug type's configuration providers, the debug adapter
 * (inline by default), the tracker that fetches one platform snapshot per stop, the four
 * views of the Run and Debug container, the interrupt timeline (a webview and an export), and
 * creating a driver model from a bundled example.
 */
import * as vscode from 'vscode';
import { ImsAdapterFactory } from './adapter-factory';
import { ImsConfigurationProvider, ImsDynamicConfigurationProvider } from './config-provider';
import { DEBUG_TYPE } from './launch-config';
import { SnapshotStore } from './snapshot-store';
import { SnapshotTrackerFactory } from './tracker';
import { ViewsController, type ViewsApi } from './views-controller';
import { registerInlineValues } from './inline-values';
import { registerTimeline, type TimelineApi } from './timeline';
import { registerScaffold } from './scaffold';

/** What the extension exports (for tests in a real VS Code): the views' (ViewsApi) and more. */
export interface ImsDebugApi extends ViewsApi {
  /** The interrupt timeline panel: what it was sent and what it drew. */
  timeline: TimelineApi;
}

export function activate(context: vscode.ExtensionContext): ImsDebugApi {
  const store = new SnapshotStore();
  const views = new ViewsController(store);
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ImsConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new ImsDynamicConfigurationProvider(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(
      DEBUG_TYPE,
      new ImsAdapterFactory(context.extensionUri),
    ),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, new SnapshotTrackerFactory(store)),
    vscode.debug.onDidTerminateDebugSession((s) => store.ended(s.id)),
    views,
    registerInlineValues(),
    registerScaffold(context),
  );
  const timeline = registerTimeline(context, store);
  return { ...views.api(), timeline };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
