/* global localStorage */
// What the views share: the workspace signed in, its campaigns, and the campaign being looked at.
// Only the chosen campaign id is remembered in localStorage (it is not a secret).
import { api, listAll } from './api.js';

export const state = { session: null, campaigns: [], campaignId: null };

export async function loadCampaigns() {
  state.campaigns = await listAll('/v1/campaigns');
  const remembered = localStorage.getItem('rl_campaign');
  const known = (id) => state.campaigns.some((c) => c.id === id);
  if (!known(state.campaignId)) state.campaignId = known(remembered) ? remembered : (state.campaigns[0] && state.campaigns[0].id) || null;
  return state.campaigns;
}

export function chooseCampaign(id) {
  state.campaignId = id;
  localStorage.setItem('rl_campaign', id);
}

export function currentCampaign() {
  return state.campaigns.find((c) => c.id === state.campaignId) || null;
}

export async function refreshCampaign(id) {
  const c = await api.get(`/v1/campaigns/${encodeURIComponent(id)}`);
  const i = state.campaigns.findIndex((x) => x.id === id);
  if (i >= 0) state.campaigns[i] = c;
  else state.campaigns.unshift(c);
  return c;
}
