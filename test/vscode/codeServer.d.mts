// Types for codeServer.mjs, so the TypeScript e2e tests can use the same helper as the .mjs runner.
import type { BrowserContext, Page } from 'playwright-core';

export const repoRoot: string;
export const codeServerVersion: string;
export const codeServerDir: string;

export interface CodeServer {
  readonly port: number;
  readonly url: string;
  readonly logFile: string;
  readonly userDataDir: string;
  readonly exited: boolean;
  remoteUri(p: string): string;
  workbenchUrl(folder: string, payload?: Array<[string, string]>): string;
  stop(): Promise<void>;
}

export interface Chromium {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export function codeServerMissing(): string | undefined;
export function freePort(): Promise<number>;
export function tempDir(prefix: string): string;
export function startCodeServer(options: {
  folder: string;
  logFile?: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
}): Promise<CodeServer>;
export function openChromium(options?: { consoleLog?: string[]; viewport?: { width: number; height: number } }): Promise<Chromium>;
export function tail(file: string, lines?: number): string;
export function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, options: {
  timeoutMs: number;
  what: string | (() => string);
  intervalMs?: number;
}): Promise<T>;
