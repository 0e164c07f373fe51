import type { Migration } from 'kysely';
import * as catalogCore from './20261122000100_catalog_core.ts';
import * as searchIndexes from './20261122000200_search_indexes.ts';
import * as identity from './20261122010000_identity.ts';
import * as scaffolder from './20261122020000_scaffolder.ts';
import * as catalogLocations from './20261122030000_catalog_locations.ts';
import * as actions from './20261122040000_actions.ts';
import * as edgeIntegrity from './20261201000000_edge_integrity_by_statement.ts';

// Every migration, by name. Listed statically (not read from the folder at run time) so they load
// the same way under tsx, vitest and a bundler. Add new ones at the end; never edit a landed one.
export const migrations: Record<string, Migration> = {
  '20261122000100_catalog_core': catalogCore,
  '20261122000200_search_indexes': searchIndexes,
  '20261122010000_identity': identity,
  '20261122020000_scaffolder': scaffolder,
  '20261122030000_catalog_locations': catalogLocations,
  '20261122040000_actions': actions,
  '20261201000000_edge_integrity_by_statement': edgeIntegrity,
};
