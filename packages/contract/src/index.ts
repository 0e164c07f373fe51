export * from './common.ts';
export * from './errors.ts';
export * from './blueprints.ts';
export * from './entities.ts';
export * from './search.ts';
export * from './identity.ts';
export * from './scaffolder.ts';
export * from './permissions.ts';
