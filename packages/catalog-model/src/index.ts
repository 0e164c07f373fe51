export { validateBlueprint, type BlueprintValidationContext } from './blueprint-validation.ts';
export { validatePropertyDefinition } from './property-validation.ts';
export {
  compileEntityValidator,
  applyDefaults,
  blueprintToJsonSchema,
  type EntityPropertiesValidator,
} from './entity-validation.ts';
export { validateEntityRelations, normalizeRelations } from './relation-validation.ts';
export { diffBlueprint, type BlueprintChange, type BlueprintChangeKind } from './blueprint-diff.ts';
export {
  resolveMirrorPath,
  resolveRelationPath,
  type MirrorPathResult,
  type RelationPathResult,
} from './mirror-path-resolution.ts';
export { META_PROPERTIES } from './property-keywords.ts';
