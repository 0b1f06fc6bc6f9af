import type { FakeReply, FakeRequest, RouteTable } from '../toolkit';
import type { HubSpotStore } from './store';

/**
 * The lists API v3 memberships, both ways round, from the store's lists (list id → contact ids):
 * a list's members, a page at a time ordered as kept; and the lists a record is a member of, with
 * when it was added (no paging: HubSpot answers every list at once). Lists hold contacts only, so
 * another object type is in none. A record HubSpot has not put in a list yet is simply not in it.
 */
// https://developers.hubspot.com/docs/api-reference/latest/crm/lists/memberships/get-memberships-by-id
// https://developers.hubspot.com/docs/api-reference/latest/crm/lists/memberships/get-lists-per-record

/** Contacts' object type, by id or by name (HubSpot takes either in the path). */
const CONTACT_TYPES = new Set(['0-1', 'contact', 'contacts']);

function page<T>(items: T[], req: FakeRequest, max: number): { slice: T[]; next: string | null } {
  const limit = Math.min(max, Number(req.query.limit ?? 100) || 100);
  const start = Number(req.query.after ?? 0) || 0;
  const slice = items.slice(start, start + limit);
  return { slice, next: start + limit < items.length ? String(start + limit) : null };
}

/** The memberships routes; `authed` checks the bearer token like every other route. */
export function listRoutes(store: HubSpotStore, authed: (handler: (req: FakeRequest) => FakeReply) => (req: FakeRequest) => FakeReply | Promise<FakeReply>): RouteTable {
  return {
    'GET /crm/v3/lists/:listId/memberships': authed((req) => {
      const members = store.lists.get(req.params.listId);
      if (!members) return { status: 404, body: { status: 'error', message: `List ${req.params.listId} does not exist`, category: 'OBJECT_NOT_FOUND' } };
      const { slice, next } = page(members, req, 250);
      return { body: { total: members.length, results: slice.map((recordId) => ({ recordId, membershipTimestamp: store.listAddedAt(req.params.listId, recordId) })), ...(next ? { paging: { next: { after: next } } } : {}) } };
    }),
    'GET /crm/v3/lists/records/:objectTypeId/:recordId/memberships': authed((req) => {
      const { objectTypeId, recordId } = req.params;
      if (!/^\d+$/.test(recordId)) return { status: 400, body: { status: 'error', message: 'Invalid input', category: 'VALIDATION_ERROR', context: { recordId: ['must be a valid id'] } } };
      const listIds = CONTACT_TYPES.has(objectTypeId) ? [...store.lists.entries()].filter(([, members]) => members.includes(recordId)).map(([listId]) => listId) : [];
      const results = listIds.map((listId) => {
        const added = store.listAddedAt(listId, recordId);
        return { listId, listVersion: 1, firstAddedTimestamp: added, lastAddedTimestamp: added, isPublicList: false };
      });
      return { body: { results, total: results.length } };
    }),
  };
}
