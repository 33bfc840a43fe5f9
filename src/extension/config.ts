import * as vscode from 'vscode';
import { DEFAULTS, KEYS, SECTION, type LabtelConfig } from './settings';

export type { LabtelConfig };

export function readConfig(scope?: vscode.ConfigurationScope): LabtelConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const get = <K extends keyof LabtelConfig>(k: K): LabtelConfig[K] => c.get<LabtelConfig[K]>(KEYS[k], DEFAULTS[k]);
  return {
    backend: get('backend'),
    privilegePrefix: get('privilegePrefix'),
    restartOnSave: get('restartOnSave'),
    restartOnCrash: get('restartOnCrash'),
    confirmDestroy: get('confirmDestroy'),
    trafficProfile: get('trafficProfile'),
    agentNode: get('agentNode'),
  };
}

/** Calls `listener` when any labtel setting changes. */
export function onDidChangeConfig(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SECTION)) listener(); });
}
