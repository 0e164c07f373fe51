import type { BlueprintDefinition, DatePreset, FieldProblem, SearchQuery, SearchRule } from '@portolan/contract';
import { SEARCH_OPERATORS } from '@portolan/contract';

// Port's query language, checked against the blueprints and reduced to a small resolved tree.
// The SQL compiler and the in-memory evaluator both consume the resolved tree, so the semantics
// of every operator (types, absent values, negations) are decided once, here.

export type ValueType = 'string' | 'number' | 'boolean' | 'array' | 'object';
export type MetaName = 'identifier' | 'title' | 'team' | 'blueprint' | 'createdAt' | 'updatedAt';

export type Field =
  | { kind: 'meta'; name: MetaName }
  | { kind: 'prop'; name: string; types: ReadonlySet<ValueType>; dateTime: boolean };

export type Scalar = string | number | boolean;

export type Leaf =
  /** Equal to a scalar, or (arrays) to a whole array. $team: is one of the teams. */
  | { op: 'eq'; value: Scalar | Scalar[] }
  /** No value (absent or JSON null). */
  | { op: 'missing' }
  /** No value, or "", [] or {}. */
  | { op: 'empty' }
  | { op: 'in'; values: Scalar[] }
  /** Numbers compare numerically; dates as instants (value in epoch milliseconds). */
  | { op: 'cmp'; cmp: '>' | '>=' | '<' | '<='; value: number; date: boolean }
  /** Case-insensitive substring/prefix/suffix of a string value; `text` is lower-cased. */
  | { op: 'like'; mode: 'contains' | 'prefix' | 'suffix'; text: string }
  /** An array value (or $team) holds this element / any of these elements. */
  | { op: 'has'; values: Scalar[] };

export type ResolvedQuery =
  | { kind: 'const'; value: boolean }
  | { kind: 'group'; combinator: 'and' | 'or'; rules: ResolvedQuery[] }
  | { kind: 'not'; rule: ResolvedQuery }
  | { kind: 'leaf'; field: Field; leaf: Leaf }
  | {
      kind: 'related';
      blueprint: string;
      identifiers: string[];
      direction: 'upstream' | 'downstream' | 'both';
      /** Only follow relations that are required in their source blueprint. */
      requiredOnly: boolean;
      /** "Blueprint/relation" pairs that are required (used when requiredOnly). */
      requiredRelations: string[];
    };

export const META_FIELDS: Readonly<Record<string, MetaName>> = {
  $identifier: 'identifier',
  $title: 'title',
  $team: 'team',
  $blueprint: 'blueprint',
  $createdAt: 'createdAt',
  $updatedAt: 'updatedAt',
};

/** What a query may name: the properties of one blueprint, or of all of them (global search). */
export interface QueryScope {
  /** The blueprint the search is scoped to, or null for a search over every blueprint. */
  blueprint: string | null;
  blueprints: ReadonlyMap<string, BlueprintDefinition>;
  now: Date;
}

export class QueryProblems extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path} ${p.message}`).join('; '));
  }
}

const OPERATORS: ReadonlySet<string> = new Set(SEARCH_OPERATORS);
const TRUE: ResolvedQuery = { kind: 'const', value: true };

/** Resolve a property name (or meta-property) against the scope; a string is a problem message. */
export function resolveField(name: string, scope: QueryScope): Field | string {
  const meta = META_FIELDS[name];
  if (meta) return { kind: 'meta', name: meta };
  if (name.startsWith('$')) return `unknown meta-property "${name}" (known: ${Object.keys(META_FIELDS).join(', ')})`;
  const defs = scope.blueprint === null ? [...scope.blueprints.values()] : [scope.blueprints.get(scope.blueprint)!];
  const types = new Set<ValueType>();
  let dateTime = false;
  let mirror = false;
  let relation = false;
  for (const def of defs) {
    const prop = Object.hasOwn(def.schema.properties, name) ? def.schema.properties[name] : undefined;
    if (prop) {
      types.add(prop.type as ValueType);
      if (prop.type === 'string' && prop.format === 'date-time') dateTime = true;
    }
    if (Object.hasOwn(def.mirrorProperties, name)) mirror = true;
    if (Object.hasOwn(def.relations, name)) relation = true;
  }
  if (types.size > 0) return { kind: 'prop', name, types, dateTime };
  const where = scope.blueprint === null ? 'of any blueprint' : `of blueprint "${scope.blueprint}"`;
  if (relation) return `"${name}" is a relation ${where}, not a property: filter on it with the relatedTo operator`;
  if (mirror) return `"${name}" is a mirror property ${where}: mirror properties cannot be filtered or sorted on yet`;
  return `unknown property "${name}" ${where}`;
}

export function describeField(field: Field): string {
  if (field.kind === 'meta') return `$${field.name}`;
  return `"${field.name}" (${[...field.types].join(' or ')}${field.dateTime ? ', date-time' : ''})`;
}

/** Check a query against the scope; throws QueryProblems listing every problem with its path. */
export function resolveQuery(query: SearchQuery | undefined, scope: QueryScope, path = 'query'): ResolvedQuery {
  if (!query) return TRUE;
  const problems: FieldProblem[] = [];
  const resolved = resolveGroup(query, scope, path, problems);
  if (problems.length > 0) throw new QueryProblems(problems);
  return resolved;
}

function resolveGroup(group: SearchQuery, scope: QueryScope, path: string, problems: FieldProblem[]): ResolvedQuery {
  const rules = group.rules.map((rule, i) => resolveRule(rule, scope, `${path}.rules.${i}`, problems));
  // Port: an "and" of nothing matches everything, an "or" of nothing matches nothing.
  if (rules.length === 0) return { kind: 'const', value: group.combinator === 'and' };
  if (rules.length === 1) return rules[0]!;
  return { kind: 'group', combinator: group.combinator, rules };
}

function isGroup(rule: SearchRule): rule is SearchQuery {
  return 'combinator' in rule && 'rules' in rule;
}

function resolveRule(rule: SearchRule, scope: QueryScope, path: string, problems: FieldProblem[]): ResolvedQuery {
  if (isGroup(rule)) return resolveGroup(rule, scope, path, problems);
  if (rule.operator === 'relatedTo') return resolveRelatedTo(rule as Extract<SearchRule, { operator: 'relatedTo' }>, scope, path, problems);
  const r = rule as { property?: string; operator: string; value?: unknown };
  const before = problems.length;
  if (!OPERATORS.has(r.operator)) {
    problems.push({ path: `${path}.operator`, message: `unknown operator "${r.operator}" (known: ${[...SEARCH_OPERATORS, 'relatedTo'].join(', ')})` });
  }
  const field = typeof r.property === 'string' ? resolveField(r.property, scope) : 'is required';
  if (typeof field === 'string') problems.push({ path: `${path}.property`, message: field });
  if (problems.length > before || typeof field === 'string') return TRUE;
  const result = resolveOperator(field, r.operator, r.value, scope.now);
  if (typeof result === 'string') {
    problems.push({ path: `${path}.value`, message: `${result} (property ${describeField(field)}, operator "${r.operator}")` });
    return TRUE;
  }
  return result;
}

function resolveRelatedTo(rule: Extract<SearchRule, { operator: 'relatedTo' }>, scope: QueryScope, path: string, problems: FieldProblem[]): ResolvedQuery {
  if (!scope.blueprints.has(rule.blueprint)) {
    problems.push({ path: `${path}.blueprint`, message: `unknown blueprint "${rule.blueprint}"` });
    return TRUE;
  }
  const requiredRelations: string[] = [];
  for (const def of scope.blueprints.values()) {
    for (const [name, rel] of Object.entries(def.relations)) if (rel.required) requiredRelations.push(`${def.identifier}/${name}`);
  }
  return {
    kind: 'related',
    blueprint: rule.blueprint,
    identifiers: typeof rule.value === 'string' ? [rule.value] : [...new Set(rule.value)],
    direction: rule.direction ?? 'both',
    requiredOnly: rule.required === true,
    requiredRelations,
  };
}

const leaf = (field: Field, l: Leaf): ResolvedQuery => ({ kind: 'leaf', field, leaf: l });
const not = (rule: ResolvedQuery): ResolvedQuery => ({ kind: 'not', rule });
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const typeOfScalar = (v: Scalar): ValueType => (typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'boolean');

const isDateField = (f: Field) => (f.kind === 'meta' ? f.name === 'createdAt' || f.name === 'updatedAt' : f.dateTime);
const isTextField = (f: Field) => (f.kind === 'meta' ? f.name === 'identifier' || f.name === 'title' || f.name === 'blueprint' : f.types.has('string'));
const isArrayField = (f: Field) => (f.kind === 'meta' ? f.name === 'team' : f.types.has('array'));

function parseDate(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

type Checked<T> = { ok: T } | { error: string };

/** Scalar types a field's values can be compared with by =, != , in and notIn. */
function comparableTypes(field: Field): ValueType[] {
  if (field.kind === 'meta') return field.name === 'team' ? ['string'] : ['string'];
  return [...field.types].filter((t) => t === 'string' || t === 'number' || t === 'boolean');
}

/** Element types an array field's elements can be matched with (contains, containsAny). */
function elementTypes(field: Field): ValueType[] {
  return field.kind === 'meta' ? ['string'] : ['string', 'number', 'boolean'];
}

function checkScalar(value: unknown, allowed: ValueType[]): Checked<Scalar> {
  const want = allowed.join(' or ') || 'scalar';
  if (!isScalar(value)) return { error: `needs a ${want} value, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` };
  const t = typeOfScalar(value);
  if (!allowed.includes(t)) return { error: `needs a ${want} value, got ${t}` };
  return { ok: value };
}

function checkScalars(value: unknown, allowed: ValueType[], min: number): Checked<Scalar[]> {
  if (!Array.isArray(value)) return { error: 'needs an array of values' };
  if (value.length < min) return { error: `needs at least ${min} value` };
  const out: Scalar[] = [];
  for (const [i, item] of value.entries()) {
    const c = checkScalar(item, allowed);
    if ('error' in c) return { error: `value ${i} ${c.error}` };
    out.push(c.ok);
  }
  return { ok: out };
}

/** The value checked against the field and operator, as a resolved rule, or why it is wrong. */
export function resolveOperator(field: Field, operator: string, value: unknown, now: Date): ResolvedQuery | string {
  const negated = (positive: boolean, rule: ResolvedQuery | string) => (typeof rule === 'string' || positive ? rule : not(rule));
  const like = (mode: 'contains' | 'prefix' | 'suffix'): ResolvedQuery | string => {
    if (!isTextField(field)) return 'needs a string property';
    if (typeof value !== 'string') return 'needs a string value';
    return leaf(field, { op: 'like', mode, text: value.toLowerCase() });
  };
  const between = (): ResolvedQuery | string => {
    if (!isDateField(field)) return 'needs a date-time property';
    let r: { from: number; to: number };
    if (typeof value === 'object' && value !== null && 'preset' in value) {
      r = presetRange((value as { preset: DatePreset }).preset, now);
    } else {
      const v = value as { from?: unknown; to?: unknown } | null;
      const from = parseDate(v?.from);
      const to = parseDate(v?.to);
      if (from === null || to === null) return 'needs {"from", "to"} ISO 8601 date-times or {"preset"}';
      r = { from, to };
    }
    return {
      kind: 'group',
      combinator: 'and',
      rules: [leaf(field, { op: 'cmp', cmp: '>=', value: r.from, date: true }), leaf(field, { op: 'cmp', cmp: '<=', value: r.to, date: true })],
    };
  };
  const equals = (): ResolvedQuery | string => {
    if (value === undefined) return 'needs a value (use isEmpty to match entities without one)';
    if (value === null) return leaf(field, { op: 'missing' });
    if (Array.isArray(value)) {
      if (!(field.kind === 'prop' && field.types.has('array'))) return 'an array value needs an array property';
      const items = checkScalars(value, elementTypes(field), 0);
      return 'error' in items ? items.error : leaf(field, { op: 'eq', value: items.ok });
    }
    if (isDateField(field) && field.kind === 'meta') {
      const ms = parseDate(value);
      if (ms === null) return 'needs an ISO 8601 date-time';
      return { kind: 'group', combinator: 'and', rules: [leaf(field, { op: 'cmp', cmp: '>=', value: ms, date: true }), leaf(field, { op: 'cmp', cmp: '<=', value: ms, date: true })] };
    }
    const allowed = comparableTypes(field);
    if (allowed.length === 0) return 'this property can only be tested with isEmpty / isNotEmpty (or contains for arrays)';
    const c = checkScalar(value, allowed);
    return 'error' in c ? c.error : leaf(field, { op: 'eq', value: c.ok });
  };

  switch (operator) {
    case '=':
    case '!=':
      return negated(operator === '=', equals());
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const numeric = field.kind === 'prop' && field.types.has('number');
      if (typeof value === 'number' && numeric) return leaf(field, { op: 'cmp', cmp: operator, value, date: false });
      if (isDateField(field)) {
        const ms = parseDate(value);
        if (ms === null) return numeric ? 'needs a number or an ISO 8601 date-time' : 'needs an ISO 8601 date-time';
        return leaf(field, { op: 'cmp', cmp: operator, value: ms, date: true });
      }
      return numeric ? 'needs a number' : 'needs a number or date-time property';
    }
    case 'between':
    case 'notBetween':
      return negated(operator === 'between', between());
    case 'contains':
    case 'doesNotContains': {
      // On an array (or $team) contains means "has this element"; on a string, substring.
      const arrayLike = isArrayField(field) && !(typeof value === 'string' && field.kind === 'prop' && field.types.has('string'));
      if (!arrayLike) return negated(operator === 'contains', like('contains'));
      const c = checkScalar(value, elementTypes(field));
      return negated(operator === 'contains', 'error' in c ? c.error : leaf(field, { op: 'has', values: [c.ok] }));
    }
    case 'beginsWith':
    case 'doesNotBeginsWith':
      return negated(operator === 'beginsWith', like('prefix'));
    case 'endsWith':
    case 'doesNotEndsWith':
      return negated(operator === 'endsWith', like('suffix'));
    case 'containsAny': {
      if (!isArrayField(field)) return 'needs an array property or $team';
      const values = checkScalars(value, elementTypes(field), 1);
      return 'error' in values ? values.error : leaf(field, { op: 'has', values: values.ok });
    }
    case 'in':
    case 'notIn': {
      if (isDateField(field) && field.kind === 'meta') return 'is not supported on dates: use between';
      if (field.kind === 'meta' && field.name === 'team') {
        const values = checkScalars(value, ['string'], 0);
        return negated(operator === 'in', 'error' in values ? values.error : leaf(field, { op: 'has', values: values.ok }));
      }
      const allowed = comparableTypes(field);
      if (allowed.length === 0) return 'needs a string, number or boolean property';
      const values = checkScalars(value, allowed, 0);
      if ('error' in values) return values.error;
      return negated(operator === 'in', values.ok.length === 0 ? { kind: 'const', value: false } : leaf(field, { op: 'in', values: values.ok }));
    }
    case 'isEmpty':
      return leaf(field, { op: 'empty' });
    case 'isNotEmpty':
      return not(leaf(field, { op: 'empty' }));
    default:
      return `unknown operator "${operator}"`;
  }
}

const DAY = 86_400_000;

/** Port's relative ranges: whole UTC days for today/tomorrow/yesterday, otherwise "the last N until now". */
export function presetRange(preset: DatePreset, now: Date): { from: number; to: number } {
  const t = now.getTime();
  const startOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const back = (days: number) => ({ from: t - days * DAY, to: t });
  const months = (n: number) => {
    const d = new Date(t);
    d.setUTCMonth(d.getUTCMonth() - n);
    return { from: d.getTime(), to: t };
  };
  switch (preset) {
    case 'today':
      return { from: startOfDay, to: startOfDay + DAY - 1 };
    case 'tomorrow':
      return { from: startOfDay + DAY, to: startOfDay + 2 * DAY - 1 };
    case 'yesterday':
      return { from: startOfDay - DAY, to: startOfDay - 1 };
    case 'lastDay':
      return back(1);
    case 'lastWeek':
      return back(7);
    case 'last2Weeks':
      return back(14);
    case 'lastMonth':
      return months(1);
    case 'last3Months':
      return months(3);
    case 'last6Months':
      return months(6);
    case 'last12Months':
      return months(12);
    case 'last2Years':
      return months(24);
    case 'last3Years':
      return months(36);
  }
}
