import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';

describe('configuration from the environment', () => {
  it('reads the audit retention period in whole days, and keeps audit entries forever without one', () => {
    expect(parseConfig({ PORTOLAN_AUDIT_RETENTION_DAYS: '90' }).PORTOLAN_AUDIT_RETENTION_DAYS).toBe(90);
    expect(parseConfig({}).PORTOLAN_AUDIT_RETENTION_DAYS).toBeUndefined();
  });

  it('refuses a retention period that is not a positive whole number of days, naming the variable', () => {
    for (const bad of ['0', '-3', '1.5', 'forever']) {
      expect(() => parseConfig({ PORTOLAN_AUDIT_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => parseConfig({ PORTOLAN_AUDIT_RETENTION_DAYS: bad })).toThrow(/PORTOLAN_AUDIT_RETENTION_DAYS/);
    }
  });
});
