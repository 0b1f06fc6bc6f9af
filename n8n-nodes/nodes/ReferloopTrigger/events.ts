import type { INodePropertyOptions } from 'n8n-workflow';

/** The hub's outbound event types a trigger can subscribe to. */
export const referloopEvents: INodePropertyOptions[] = [
	{ name: 'Conversion Tracked', value: 'conversion.tracked', description: 'A business event was recorded for a participant' },
	{ name: 'Participant Created', value: 'participant.created', description: 'Someone joined a campaign, referred or not' },
	{ name: 'Referral Created', value: 'referral.created', description: "A friend signed up through someone's link or code" },
	{ name: 'Referral Flagged', value: 'referral.flagged', description: 'A fraud check holds a referral for review' },
	{ name: 'Referral Qualified', value: 'referral.qualified', description: 'A referral reached its business outcome' },
	{ name: 'Referral Unqualified', value: 'referral.unqualified', description: 'A qualification was reversed (refund, deal lost)' },
	{ name: 'Reward Approved', value: 'reward.approved', description: 'A reward is due and can be issued' },
	{ name: 'Reward Created', value: 'reward.created', description: 'A reward rule fired' },
	{ name: 'Reward Declined', value: 'reward.declined' },
	{ name: 'Reward Issued', value: 'reward.issued', description: 'A reward was paid out or handed over' },
];
