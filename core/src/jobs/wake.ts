import { EventEmitter } from 'node:events';

/**
 * In-process wake-ups: writers ring after adding work so idle pollers in the same process look
 * again at once instead of at their next backoff tick. The ring may come before the writer's
 * transaction commits, which is why a woken poller keeps polling fast for a short while.
 */
const bell = new EventEmitter();
bell.setMaxListeners(0);

export type WakeTopic = 'jobs' | 'events';

export function ring(topic: WakeTopic): void {
  bell.emit(topic);
}

/** Listen for rings; returns the function that stops listening. */
export function onRing(topic: WakeTopic, fn: () => void): () => void {
  bell.on(topic, fn);
  return () => bell.off(topic, fn);
}
