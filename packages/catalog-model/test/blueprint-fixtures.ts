import { blueprintInputSchema, type BlueprintDefinition, type BlueprintInput } from '@portolan/contract';

/** Parses through the contract so defaults (required: [], many: false, ...) are applied as in the server. */
export const blueprint = (input: BlueprintInput): BlueprintDefinition => blueprintInputSchema.parse(input);

/** `{ identifier, title, schema }` shorthand for tests that only care about properties. */
export const withProperties = (
  properties: NonNullable<BlueprintInput['schema']['properties']>,
  required: string[] = [],
  identifier = 'Service',
): BlueprintDefinition => blueprint({ identifier, title: identifier, schema: { properties, required } });

export const mapOf = (...defs: BlueprintDefinition[]): ReadonlyMap<string, BlueprintDefinition> =>
  new Map(defs.map((d) => [d.identifier, d]));

// The seed's default blueprints (shared/seeds/001), curly quotes fixed. `formulaProperties` is a
// legacy Port key the contract strips.
export const SEED_BLUEPRINT_INPUTS: BlueprintInput[] = [
  {
    identifier: 'Domain',
    title: 'Domain',
    icon: 'Server',
    schema: { properties: {}, required: [] },
    mirrorProperties: {},
    calculationProperties: {},
    relations: {},
    formulaProperties: {},
  } as BlueprintInput,
  {
    identifier: 'System',
    title: 'System',
    icon: 'DevopsTool',
    schema: { properties: {}, required: [] },
    mirrorProperties: {},
    calculationProperties: {},
    relations: { domain: { target: 'Domain', required: true, many: false } },
    formulaProperties: {},
  } as BlueprintInput,
  {
    identifier: 'Component',
    title: 'Component',
    icon: 'Cloud',
    schema: {
      properties: {
        type: {
          enum: ['service', 'library'],
          icon: 'Docs',
          type: 'string',
          enumColors: { service: 'blue', library: 'green' },
        },
      },
      required: [],
    },
    mirrorProperties: {},
    calculationProperties: {},
    relations: {
      system: { target: 'System', required: false, many: false },
      resources: { target: 'Resource', required: false, many: true },
      consumesApi: { target: 'API', required: false, many: true },
      components: { target: 'Component', required: false, many: true },
      providesApi: { target: 'API', required: false, many: false },
    },
    formulaProperties: {},
  } as BlueprintInput,
  {
    identifier: 'Resource',
    title: 'Resource',
    icon: 'DevopsTool',
    schema: {
      properties: {
        type: { enum: ['postgress', 'kafka-topic', 'rabbit-queue', 's3-bucket'], icon: 'Docs', type: 'string' },
      },
      required: [],
    },
    mirrorProperties: {},
    calculationProperties: {},
    relations: {},
    formulaProperties: {},
  } as BlueprintInput,
  {
    identifier: 'API',
    title: 'API',
    icon: 'Link',
    schema: { properties: { type: { type: 'string', enum: ['Open API', 'grpc'] } }, required: [] },
    mirrorProperties: {},
    calculationProperties: {},
    relations: { provider: { target: 'Component', required: true, many: false } },
    formulaProperties: {},
  } as BlueprintInput,
];

export const seedBlueprints = (): BlueprintDefinition[] => SEED_BLUEPRINT_INPUTS.map(blueprint);
