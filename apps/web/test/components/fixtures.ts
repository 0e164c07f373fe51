import type { Blueprint, Entity, User } from '@portolan/contract';

const stamp = { createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'test', updatedAt: '2026-01-02T00:00:00.000Z', updatedBy: 'test' };

/** A Component blueprint as the API answers it (a fixed copy, so the shipped examples can evolve). */
export const componentBlueprint: Blueprint = {
  identifier: 'Component',
  title: 'Component',
  icon: 'Cloud',
  description: 'A piece of software: a service, a library, a website',
  schema: {
    properties: {
      type: { title: 'Type', type: 'string', icon: 'Docs', enum: ['service', 'library'], enumColors: { service: 'blue', library: 'green' } },
      lifecycle: { title: 'Lifecycle', type: 'string', enum: ['experimental', 'production', 'deprecated'], enumColors: { experimental: 'yellow', production: 'green', deprecated: 'red' } },
      language: { title: 'Language', type: 'string' },
      repository: { title: 'Repository', type: 'string', format: 'url' },
      readme: { title: 'README', type: 'string', format: 'markdown' },
    },
    required: [],
  },
  mirrorProperties: { domain: { title: 'Domain', path: 'system.domain.$title' } },
  calculationProperties: {},
  aggregationProperties: {},
  relations: {
    system: { title: 'System', target: 'System', required: false, many: false },
    resources: { title: 'Resources', target: 'Resource', required: false, many: true },
    consumesApi: { title: 'Consumes APIs', target: 'API', required: false, many: true },
    components: { title: 'Depends on components', target: 'Component', required: false, many: true },
    providesApi: { title: 'Provides API', target: 'API', required: false, many: false },
  },
  ...stamp,
};

export function entity(partial: Partial<Entity> & { identifier: string }): Entity {
  return { title: null, icon: null, blueprint: 'Component', team: [], properties: {}, relations: {}, ...stamp, ...partial };
}

/** /v1/auth/me for a user with this role and these teams. */
export function me(partial: Partial<User> = {}): { ok: true; user: User; csrfToken: string } {
  return {
    ok: true,
    user: {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'pat@example.org',
      name: 'Pat',
      role: 'member',
      moderatedBlueprints: [],
      teams: [],
      hasPassword: true,
      sso: false,
      disabled: false,
      createdAt: stamp.createdAt,
      lastSignInAt: null,
      ...partial,
    },
    csrfToken: 'test-csrf-token',
  };
}
