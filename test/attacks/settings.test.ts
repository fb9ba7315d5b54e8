/**
 * Bad settings, one of each class (bucket names by S3's rules, key prefixes, ports, integers,
 * regions, Slack ids, ARNs, URLs, parameter names, ...): each is refused by `loadConfig`, the one
 * reader npm start and every Lambda init use, with a one-line `ConfigError` naming the setting;
 * the good neighbours are accepted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, readSetting, SETTINGS, type SettingName } from '../../common/config.ts';
import { explainFailure } from '../../local/cli.ts';
import { SETTING_CASES } from './cases.ts';

describe('Attacks: bad settings', () => {
  for (const c of SETTING_CASES) {
    it(`${c.setting}=${JSON.stringify(c.value)}: ${c.accepted ? 'accepted' : 'one line naming the setting'}`, () => {
      // Act
      const error = (() => {
        try {
          const env = { [c.setting]: c.value };
          loadConfig(env);
          // Settings npm start does not read (the setup's stack name) by their own reader.
          if (c.setting in SETTINGS) readSetting(env, c.setting as SettingName);
          return undefined;
        } catch (e) {
          return e as Error & { setting?: string };
        }
      })();

      // Assess
      if (c.accepted) {
        assert.equal(error, undefined, error?.message);
        return;
      }
      assert.ok(error, 'refused');
      assert.equal(error.name, 'ConfigError', error.message);
      assert.equal(error.setting, c.setting);
      const { line, status } = explainFailure(error);
      assert.equal(status, 2);
      assert.ok(line.includes(c.setting), line);
      assert.doesNotMatch(line, /\n|\s+at \S+ \(/, 'one line, no stack');
      if (/^SLACK_(SIGNING_SECRET|BOT_TOKEN|APP_TOKEN)$/.test(c.setting))
        assert.ok(!line.includes(c.value), 'a secret is not echoed');
    });
  }
});
