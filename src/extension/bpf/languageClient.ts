/**
 * The pcap-filter language client: starts labtel's language server (dist/server.js, over Node IPC) the first
 * time a pcap-filter document is open, tells it the workspace labs' addresses, and stops it with the extension.
 * In a debug session of the extension the server listens for an inspector on port 6011 (as vscode-eslint's).
 */
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import {
  LAB_ADDRESSES_NOTIFICATION, PCAP_FILTER_LANGUAGE_ID, type LabAddress, type LabAddressesParams, type PcapFilterInitializationOptions,
} from '../../shared/pcapFilterLanguage';
import type { Labs } from '../lab/labs';
import { labAddresses } from './labAddresses';

const SERVER_INSPECT_PORT = 6011;

const isFilter = (d: vscode.TextDocument): boolean => d.languageId === PCAP_FILTER_LANGUAGE_ID;

export class PcapFilterClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private started: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extension: vscode.ExtensionContext, private readonly labs: Labs, private readonly log: vscode.LogOutputChannel) {
    if (vscode.workspace.textDocuments.some(isFilter)) void this.start();
    else {
      const opened = vscode.workspace.onDidOpenTextDocument((d) => {
        if (!isFilter(d)) return;
        opened.dispose();
        void this.start();
      });
      this.subscriptions.push(opened);
    }
    this.subscriptions.push(labs.onDidChange(() => void this.sendAddresses()));
  }

  /** Starts the server once; resolves when it has answered `initialize`. */
  start(): Promise<void> {
    this.started ??= (async () => {
      // Required here, not imported: the client library is a chunk of its own (scripts/build.mjs LAZY_CHUNKS)
      // that an editor without a pcap-filter file never parses.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { LanguageClient, TransportKind } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
      const module = this.extension.asAbsolutePath('dist/server.js');
      const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', `--inspect=${SERVER_INSPECT_PORT}`] } },
      };
      const initializationOptions: PcapFilterInitializationOptions = { labAddresses: [] };
      const clientOptions: LanguageClientOptions = {
        documentSelector: [{ language: PCAP_FILTER_LANGUAGE_ID }],
        initializationOptions,
      };
      this.client = new LanguageClient('labtel.pcapFilter', 'labtel pcap-filter', serverOptions, clientOptions);
      await this.client.start();
      this.log.info('pcap-filter language server started');
      await this.sendAddresses();
    })().catch((err: unknown) => {
      this.log.error(`pcap-filter language server: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.started;
  }

  /** The labs' addresses, as the server wants them (the labs are found and inspected when first asked). */
  async addresses(): Promise<LabAddress[]> {
    return labAddresses(await this.labs.list());
  }

  private async sendAddresses(): Promise<void> {
    if (!this.client?.isRunning()) return;
    try {
      const params: LabAddressesParams = { addresses: await this.addresses() };
      await this.client.sendNotification(LAB_ADDRESSES_NOTIFICATION, params);
    } catch (err) {
      this.log.warn(`pcap-filter: the labs' addresses were not sent: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Stops the server (awaited at deactivation). */
  async stop(): Promise<void> {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop();
  }

  dispose(): void {
    void this.stop();
  }
}
