import type { Blueprint, BlueprintDefinition } from '@portolan/contract';
import type { BlueprintRow, NewBlueprintRow } from '../../db/schema.ts';

export function toBlueprintDefinition(row: BlueprintRow): BlueprintDefinition {
  return {
    identifier: row.identifier,
    title: row.title,
    ...(row.icon !== null ? { icon: row.icon } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    schema: row.schema as BlueprintDefinition['schema'],
    relations: row.relations as BlueprintDefinition['relations'],
    mirrorProperties: row.mirror_properties as BlueprintDefinition['mirrorProperties'],
    calculationProperties: row.calculation_properties,
    aggregationProperties: row.aggregation_properties,
    ...(row.ownership ? { ownership: row.ownership as BlueprintDefinition['ownership'] } : {}),
  };
}

export function toBlueprint(row: BlueprintRow): Blueprint {
  return {
    ...toBlueprintDefinition(row),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

export function toBlueprintRow(def: BlueprintDefinition, actor: string): NewBlueprintRow {
  return {
    identifier: def.identifier,
    title: def.title,
    icon: def.icon ?? null,
    description: def.description ?? null,
    schema: JSON.stringify(def.schema),
    relations: JSON.stringify(def.relations),
    mirror_properties: JSON.stringify(def.mirrorProperties),
    calculation_properties: JSON.stringify(def.calculationProperties),
    aggregation_properties: JSON.stringify(def.aggregationProperties),
    ownership: def.ownership ? JSON.stringify(def.ownership) : null,
    created_by: actor,
    updated_by: actor,
  };
}
