import { catalogRegister, catalogWrite, debugLog } from './catalog.ts';
import { fetchPlain, fetchTemplate } from './fetch.ts';
import { githubActionsDispatch, publishGithub } from './github.ts';
import type { ActionDefinition } from './types.ts';

export type { ActionDefinition, ActionContext, Workspace } from './types.ts';
export { ActionInputError } from './types.ts';

/** The built-in actions, by id. */
export const BUILTIN_ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(
  [fetchTemplate, fetchPlain, publishGithub, githubActionsDispatch, catalogRegister, catalogWrite, debugLog].map((a) => [a.id, a]),
);
