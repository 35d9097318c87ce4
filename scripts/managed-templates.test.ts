import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse } from 'plist';
import { describe, expect, it } from 'vitest';

import {
  MANAGED_SETTINGS,
  managedSettingsSchema,
  PLACEHOLDER,
} from '../src/common/managed-settings';

import { renderTemplates } from './managed-templates';

const root = new URL('..', import.meta.url).pathname;
const KEYS = Object.keys(MANAGED_SETTINGS);
const packaged = managedSettingsSchema({ packaged: true });

/** The keys a packaged Vakt refuses as still holding the template's placeholder. */
function placeholdersRefused(settings: Record<string, unknown>): string[] {
  const parsed = packaged.safeParse(settings);
  if (parsed.success) return [];
  return parsed.error.issues
    .filter((issue) => issue.message.includes("template's placeholder"))
    .map((issue) => String(issue.path[0]));
}

describe('IT templates for the managed settings', () => {
  const templates = renderTemplates();

  it('are committed as generated (run npm run managed-templates after changing the schema)', async () => {
    for (const [path, text] of Object.entries(templates)) {
      expect(await readFile(join(root, path), 'utf8'), path).toBe(text);
    }
  });

  it.each(['en-US', 'nb-NO'])(
    'ADMX and the %s ADML are well-formed XML naming every key, with a presentation for each',
    (language) => {
      const admx = templates['assets/managed/windows/vakt.admx']!;
      const adml = templates[`assets/managed/windows/${language}/vakt.adml`]!;
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
      // Every key and choice has readable words in this language, not its raw name.
      type Strings = { string: { id: string; '#text': string }[] };
      const strings = new Map(
        (
          parser.parse(adml) as {
            policyDefinitionResources: { resources: { stringTable: Strings } };
          }
        ).policyDefinitionResources.resources.stringTable.string.map((s) => [s.id, s['#text']]),
      );
      const words = language === 'nb-NO' ? 'nb' : 'en';
      for (const key of KEYS) {
        const setting = MANAGED_SETTINGS[key as keyof typeof MANAGED_SETTINGS];
        expect(strings.get(key)).toBe(setting.title[words]);
        expect(strings.get(`${key}_Explain`)).toContain(setting.description[words]);
        if (setting.kind === 'choice')
          for (const choice of setting.choices)
            expect(strings.get(`${key}_${choice}`)).not.toBe(choice);
      }
    },
  );

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
    expect(placeholdersRefused(settings)).toEqual(KEYS);
  });

  it('the Linux sample, copied as it is, is refused key by key, and works once filled in', () => {
    const sample = JSON.parse(templates['assets/managed/linux/policy.json']!) as Record<
      string,
      unknown
    >;
    expect(placeholdersRefused(sample)).toEqual(KEYS);
    const filled: Record<string, unknown> = {
      ...sample,
      ServerUrl: 'https://exam.school.no',
      ServerPublicKeys: ['ab'.repeat(32)],
      Language: 'nb',
      UpdateMode: 'auto',
      UpdateChannel: 'latest',
    };
    // The optional keys still hold placeholders: each is named until removed.
    expect(placeholdersRefused(filled)).toEqual([
      'UpdateFeedUrl',
      'UpdatePublicKeys',
      'ProxyServer',
    ]);
    const { UpdateFeedUrl, UpdatePublicKeys, ProxyServer, ...required } = filled;
    expect([UpdateFeedUrl, UpdatePublicKeys, ProxyServer].flat().join()).toContain(PLACEHOLDER);
    expect(packaged.parse(required)).toMatchObject({ ServerUrl: 'https://exam.school.no' });
  });
});
