// The faye server parts the Salesforce fake serves CometD with (jsforce's typings cover the client only).
declare module 'faye' {
  interface BayeuxMessage {
    channel: string;
    clientId?: string;
    subscription?: string;
    error?: string;
    successful?: boolean;
    advice?: Record<string, unknown>;
    ext?: Record<string, unknown>;
    data?: unknown;
  }
  interface ServerExtension {
    incoming?(message: BayeuxMessage, request: import('node:http').IncomingMessage | null, callback: (message: BayeuxMessage) => void): void;
    outgoing?(message: BayeuxMessage, request: import('node:http').IncomingMessage | null, callback: (message: BayeuxMessage) => void): void;
  }
  export class NodeAdapter {
    constructor(options: { mount: string; timeout?: number });
    attach(server: import('node:http').Server): void;
    addExtension(extension: ServerExtension): void;
    getClient(): { publish(channel: string, data: unknown): unknown; disconnect(): void };
    on(event: 'subscribe' | 'unsubscribe', listener: (clientId: string, channel: string) => void): void;
    on(event: 'handshake' | 'disconnect', listener: (clientId: string) => void): void;
    close(): void;
  }
}
