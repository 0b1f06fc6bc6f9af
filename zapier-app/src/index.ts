import { defineApp, version as platformVersion } from 'zapier-platform-core';
import { z as zod } from 'zod';
import authentication from './authentication';
import { afters, befores } from './middleware';

import campaignList from './triggers/campaign-list';
import conversionTracked from './triggers/conversion-tracked';
import newParticipant from './triggers/new-participant';
import newReferral from './triggers/new-referral';
import referralQualified from './triggers/referral-qualified';
import referralUnqualified from './triggers/referral-unqualified';
import rewardCreated from './triggers/reward-created';
import rewardIssued from './triggers/reward-issued';
import rewardList from './triggers/reward-list';

import addParticipant from './creates/add-participant';
import approveReward from './creates/approve-reward';
import declineReward from './creates/decline-reward';
import issueReward from './creates/issue-reward';
import qualifyReferralCode from './creates/qualify-referral-code';
import qualifyReferralEmail from './creates/qualify-referral-email';
import trackConversion from './creates/track-conversion';
import unqualifyReferral from './creates/unqualify-referral';

import findParticipant from './searches/find-participant';
import findReferral from './searches/find-referral';
import findReward from './searches/find-reward';

// package.json sits outside src/ (the build's rootDir), so it is read at run time, not imported.
const { version } = zod.object({ version: zod.string() }).parse(require('../package.json'));

export default defineApp({
  version,
  platformVersion,

  authentication,
  beforeRequest: [...befores],
  afterResponse: [...afters],

  triggers: {
    [newParticipant.key]: newParticipant,
    [newReferral.key]: newReferral,
    [referralQualified.key]: referralQualified,
    [referralUnqualified.key]: referralUnqualified,
    [conversionTracked.key]: conversionTracked,
    [rewardCreated.key]: rewardCreated,
    [rewardIssued.key]: rewardIssued,
    [campaignList.key]: campaignList,
    [rewardList.key]: rewardList,
  },

  creates: {
    [addParticipant.key]: addParticipant,
    [qualifyReferralCode.key]: qualifyReferralCode,
    [qualifyReferralEmail.key]: qualifyReferralEmail,
    [unqualifyReferral.key]: unqualifyReferral,
    [trackConversion.key]: trackConversion,
    [approveReward.key]: approveReward,
    [declineReward.key]: declineReward,
    [issueReward.key]: issueReward,
  },

  searches: {
    [findParticipant.key]: findParticipant,
    [findReferral.key]: findReferral,
    [findReward.key]: findReward,
  },

  // "Find or Add Participant": look the person up first, add them only when not found.
  searchOrCreates: {
    [findParticipant.key]: {
      key: findParticipant.key,
      display: {
        label: 'Find or Add Participant',
        description: 'Finds a participant by email or code, and adds them to the campaign when not found.',
      },
      search: findParticipant.key,
      create: addParticipant.key,
    },
  },
});
