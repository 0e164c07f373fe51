// Every client route is built here, so links and the router agree on encoding.
const e = encodeURIComponent;

export const paths = {
  home: () => '/',
  catalog: (blueprint: string, search = '') => `/catalog/${e(blueprint)}${search}`,
  entity: (blueprint: string, identifier: string, tab?: string) =>
    `/catalog/${e(blueprint)}/${e(identifier)}${tab ? `?tab=${e(tab)}` : ''}`,
  newEntity: (blueprint: string) => `/catalog/${e(blueprint)}/~new`,
  editEntity: (blueprint: string, identifier: string) => `/catalog/${e(blueprint)}/${e(identifier)}/edit`,
  dataModel: () => '/data-model',
  newBlueprint: () => '/data-model/~new',
  editBlueprint: (blueprint: string) => `/data-model/${e(blueprint)}`,
  profile: () => '/profile',
  users: () => '/admin/users',
  teams: () => '/admin/teams',
  apiClients: () => '/admin/api-clients',
  secrets: () => '/admin/secrets',
  auditLog: (search = '') => `/admin/audit-log${search}`,
  locations: () => '/admin/locations',
};

/** Graph node ids are "Blueprint/identifier"; identifiers may contain `/` but blueprints never start with one. */
export function splitNodeId(id: string): { blueprint: string; identifier: string } {
  const i = id.indexOf('/');
  return i < 0 ? { blueprint: '', identifier: id } : { blueprint: id.slice(0, i), identifier: id.slice(i + 1) };
}
