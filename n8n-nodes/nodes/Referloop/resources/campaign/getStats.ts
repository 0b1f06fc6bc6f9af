import type { INodeProperties } from 'n8n-workflow';
import { campaignSelect } from '../../shared/descriptions';

export const campaignGetStatsDescription: INodeProperties[] = [campaignSelect({ resource: ['campaign'], operation: ['getStats'] })];
