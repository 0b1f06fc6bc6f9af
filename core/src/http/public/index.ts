import type express from 'express';
import type { Hub } from '../../hub';
import { mountDashboard } from '../../dashboard';
import { inboundOperations } from '../../inbound/openapi';
import { mountInbound } from '../../inbound/routes';
import { vendorHookOperations } from '../../integrations/hooks-openapi';
import { mountVendorHooks } from '../../integrations/inbound';
import { mountPages } from '../../pages';
import { mountQr } from '../../qr/routes';
import { trackingOperations } from '../../tracking/openapi';
import { mountTracking } from '../../tracking/routes';
import type { OperationDoc } from '../operation-doc';

/**
 * Public routes outside /v1 that must see the request before the JSON parser (raw bodies for
 * signature checks, form posts, scripts, pages). Each mounter adds its own paths.
 */
export type PublicMounter = (app: express.Express, hub: Hub) => void;

// Order matters: /hooks/inbound/{token} must be mounted before the vendor hooks' /hooks/{vendor}/{token}.
export const publicMounters: PublicMounter[] = [mountInbound, mountQr, mountTracking, mountVendorHooks, mountPages, mountDashboard];

/** How the public routes that answer JSON are described in /openapi.json (see OperationDoc). */
export const publicOperations: OperationDoc[] = [...trackingOperations, ...inboundOperations, ...vendorHookOperations];
