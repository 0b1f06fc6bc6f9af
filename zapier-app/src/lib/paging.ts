import type { Bundle, ZObject } from 'zapier-platform-core';
import type { z as zod } from 'zod';
import { callHub } from './hub';
import { pageOf } from './resources';

/**
 * Page number `bundle.meta.page` of a cursor-paginated list, for dynamic dropdowns. Zapier counts
 * pages, the hub hands out cursors: walk from the first page. Dropdowns rarely go past a page or
 * two, and this keeps no state between calls (no cursor store).
 */
export async function dropdownPage<T extends zod.ZodType>(
  z: ZObject,
  bundle: Bundle,
  item: T,
  path: string,
): Promise<zod.infer<T>[]> {
  const wanted = bundle.meta?.page ?? 0;
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    const answer = await callHub(z, bundle, pageOf(item), { path, params: { limit: 100, cursor } });
    if (page === wanted) return answer.data;
    if (!answer.next_cursor) return [];
    cursor = answer.next_cursor;
  }
}
