import type { INodeProperties } from 'n8n-workflow';
import { campaignSelect } from '../../shared/descriptions';

export const campaignGetDescription: INodeProperties[] = [campaignSelect({ resource: ['campaign'], operation: ['get'] })];
