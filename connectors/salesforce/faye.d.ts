// jsforce ships typings for the faye client it builds on, without the calls a long-lived stream
// needs: closing the client, and its transport events.
import 'faye';

declare module 'faye' {
  interface Client {
    disconnect(): void;
    on(event: 'transport:down' | 'transport:up', listener: () => void): void;
  }
}
