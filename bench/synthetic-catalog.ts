// A deterministic synthetic catalog over the five example blueprints (Domain, System, Component,
// API, Resource) with the relations a real one has: systems in domains, components and resources
// in systems, APIs provided by components, components depending on components and consuming APIs.

export interface CatalogShape {
  domains: number;
  systems: number;
  resources: number;
  components: number;
  apis: number;
}

export function shapeFor(total: number): CatalogShape {
  const domains = Math.max(5, Math.round(total * 0.002));
  const systems = Math.max(20, Math.round(total * 0.02));
  const components = Math.round(total * 0.45);
  const apis = Math.round(total * 0.2);
  const resources = Math.max(0, total - domains - systems - components - apis);
  return { domains, systems, resources, components, apis };
}

export const LANGUAGES = ['TypeScript', 'Go', 'Java', 'Python', 'Kotlin', 'Rust', 'C#', 'Ruby', 'PHP', 'Scala'];
const LIFECYCLES = ['experimental', 'production', 'deprecated'];
const RESOURCE_TYPES = ['postgres', 'kafka-topic', 'rabbit-queue', 's3-bucket'];
const NOUNS = ['orders', 'cart', 'payments', 'billing', 'search', 'catalog', 'shipping', 'identity', 'pricing', 'reviews', 'inventory', 'ledger'];
const ROLES = ['service', 'worker', 'gateway', 'library', 'adapter', 'scheduler'];

/** mulberry32: tiny, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const id = {
  domain: (i: number) => `domain-${i}`,
  system: (i: number) => `system-${i}`,
  resource: (i: number) => `resource-${i}`,
  component: (i: number) => `component-${i}`,
  api: (i: number) => `api-${i}`,
};

export type Phase = 'new' | 'changed';

/**
 * Entity bodies of `blueprint` for indexes [from, to). Phase "new" sends only relations whose
 * targets are loaded earlier (blueprint order Domain, System, Resource, Component, API);
 * "changed" adds the component→component and component→API links and edits a property or title.
 */
export function entities(blueprint: string, from: number, to: number, shape: CatalogShape, phase: Phase): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = from; i < to; i++) {
    const r = rng(i * 7919 + blueprint.length * 104729);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const noun = pick(NOUNS);
    const v2 = phase === 'changed' ? ' v2' : '';
    switch (blueprint) {
      case 'Domain':
        out.push({ identifier: id.domain(i), title: `${noun} domain ${i}${v2}`, properties: { description: `Everything about ${noun}.` } });
        break;
      case 'System':
        out.push({ identifier: id.system(i), title: `${noun} system ${i}${v2}`, relations: { domain: id.domain(i % shape.domains) } });
        break;
      case 'Resource':
        out.push({ identifier: id.resource(i), title: `${noun} store ${i}${v2}`, properties: { type: pick(RESOURCE_TYPES) }, relations: { system: id.system(Math.floor(r() * shape.systems)) } });
        break;
      case 'Component': {
        const lifecycle = phase === 'changed' ? LIFECYCLES[(LIFECYCLES.indexOf(pick(LIFECYCLES)) + 1) % 3]! : pick(LIFECYCLES);
        const relations: Record<string, unknown> = {
          system: id.system(Math.floor(r() * shape.systems)),
          resources: shape.resources > 0 ? Array.from({ length: 1 + Math.floor(r() * 2) }, () => id.resource(Math.floor(r() * shape.resources))) : [],
        };
        if (phase === 'changed') {
          relations.components = [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => id.component(Math.floor(r() * shape.components))))].filter((c) => c !== id.component(i));
          relations.consumesApi = shape.apis > 0 ? [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => id.api(Math.floor(r() * shape.apis))))] : [];
          if (i < shape.apis) relations.providesApi = id.api(i);
        }
        relations.resources = [...new Set(relations.resources as string[])];
        out.push({
          identifier: id.component(i),
          title: `${noun} ${pick(ROLES)} ${i}`,
          team: [`team-${Math.floor(r() * 200)}`],
          properties: {
            type: r() < 0.7 ? 'service' : 'library',
            lifecycle,
            language: pick(LANGUAGES),
            repository: `https://github.com/example-org/${noun}-${i}`,
            readme: `# ${noun} ${i}\nOwns the ${noun} flow. Deployed with the standard pipeline.`,
          },
          relations,
        });
        break;
      }
      case 'API':
        out.push({
          identifier: id.api(i),
          title: `${noun} API ${i}${v2}`,
          properties: { type: r() < 0.8 ? 'Open API' : 'grpc' },
          relations: { provider: id.component(i % Math.max(1, shape.components)) },
        });
        break;
      default:
        throw new Error(`unknown blueprint ${blueprint}`);
    }
  }
  return out;
}

export const LOAD_ORDER = ['Domain', 'System', 'Resource', 'Component', 'API'] as const;

export function countOf(blueprint: string, shape: CatalogShape): number {
  switch (blueprint) {
    case 'Domain':
      return shape.domains;
    case 'System':
      return shape.systems;
    case 'Resource':
      return shape.resources;
    case 'Component':
      return shape.components;
    default:
      return shape.apis;
  }
}
