export { parseDocuments, type FileProblem, type ParsedDocument, type SourceLocation } from './yaml-documents.ts';
export { parseEntityRef, formatRef, identifierFor, type EntityRef } from './entity-refs.ts';
export { importBackstage, substitutionTargets, BLUEPRINT_OF_KIND, type BackstageImport, type ImportedEntity, type ImportedTeam, type ImportedUser, type ImportedLocation } from './backstage-import.ts';
export { readCatalogFiles, checkCatalog, formatProblem, type CatalogFile, type CatalogFileSet, type ReadRelative } from './catalog-files.ts';
export { readWithLocations, resolveTarget, type ReadFile } from './locations.ts';
