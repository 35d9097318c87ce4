import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse } from 'plist';
import { describe, expect, it } from 'vitest';

import { MANAGED_SETTINGS, managedSettingsSchema } from '../src/common/managed-settings';

import { renderTemplates } from './managed-templates';

const root = new URL('..', import.meta.url).pathname;
const KEYS = Object.keys(MANAGED_SETTINGS);
const packaged = managedSettingsSchema({ packaged: true });

describe('IT templates for the managed settings', () => {
  const templates = renderTemplates();

  it('are committed as generated (run npm run managed-templates after changing the schema)', async () => {
    for (const [path, text] of Object.entries(templates)) {
      expect(await readFile(join(root, path), 'utf8'), path).toBe(text);
    }
  });

  it('ADMX and ADML are well-formed XML naming every key, with a presentation for each', () => {
    const admx = templates['assets/managed/windows/vakt.admx']!;
    const adml = templates['assets/managed/windows/en-US/vakt.adml']!;
    expect(XMLValidator.validate(admx)).toBe(true);
    expect(XMLValidator.validate(adml)).toBe(true);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
    type Policy = { name: string; key: string; elements: Record<string, { valueName: string }> };
    const policies = (
      parser.parse(admx) as { policyDefinitions: { policies: { policy: Policy[] } } }
    ).policyDefinitions.policies.policy;
    expect(policies.map((policy) => policy.name)).toEqual(KEYS);
    for (const policy of policies) {
      expect(policy.key).toBe('SOFTWARE\\Policies\\Vakt');
      expect(Object.values(policy.elements)[0]?.valueName).toBe(policy.name);
    }
    // The list of keys is a REG_MULTI_SZ, which the Windows reader takes as a list.
    const keys = policies.find((policy) => policy.name === 'ServerPublicKeys')!;
    expect(Object.keys(keys.elements)).toEqual(['multiText']);
    const presentations = (
      parser.parse(adml) as {
        policyDefinitionResources: {
          resources: { presentationTable: { presentation: { id: string }[] } };
        };
      }
    ).policyDefinitionResources.resources.presentationTable.presentation;
    expect(presentations.map((presentation) => presentation.id)).toEqual(KEYS);
    for (const key of KEYS) expect(adml).toContain(`<string id="${key}_Explain">`);
  });

  it('the .mobileconfig carries a payload for the bundle whose settings pass the schema', () => {
    const profile = parse(templates['assets/managed/macos/no.vakt.client.mobileconfig']!) as {
      PayloadType: string;
      PayloadContent: Record<string, unknown>[];
    };
    expect(profile.PayloadType).toBe('Configuration');
    const payload = profile.PayloadContent[0]!;
    expect(payload.PayloadType).toBe('no.vakt.client');
    const settings = Object.fromEntries(
      Object.entries(payload).filter(([key]) => !key.startsWith('Payload')),
    );
    expect(Object.keys(settings)).toEqual(KEYS);
    expect(packaged.safeParse(settings).success).toBe(true);
  });

  it('the Linux sample passes the schema of a packaged build', () => {
    const sample = JSON.parse(templates['assets/managed/linux/policy.json']!) as unknown;
    expect(packaged.parse(sample)).toMatchObject({ ServerUrl: 'https://exam.school.no' });
  });
});
