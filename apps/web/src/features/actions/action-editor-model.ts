import type { Action } from './types.ts';

// The action editor keeps one JSON document (Port's action JSON) as the truth; the form edits a
// few of its fields in place, and the JSON view edits all of it. Server errors come back with
// paths into that document.

export type ActionDocument = Record<string, unknown>;

export const NEW_ACTION: ActionDocument = {
  identifier: '',
  title: '',
  description: '',
  trigger: { type: 'self-service', operation: 'DAY-2', blueprintIdentifier: '', userInputs: { properties: {}, required: [] } },
  invocationMethod: { type: 'WEBHOOK', url: 'https://', synchronized: true, method: 'POST' },
  requiredApproval: false,
};

/** What a stored action looks like as an editable document (server bookkeeping removed). */
export function toDocument(action: Action): ActionDocument {
  const { createdAt: _a, createdBy: _b, updatedAt: _c, updatedBy: _d, ...rest } = action as Action & Record<string, unknown>;
  return rest;
}

export interface FormFields {
  identifier: string;
  title: string;
  description: string;
  operation: string;
  blueprint: string;
  invocation: 'WEBHOOK' | 'GITHUB';
  url: string;
  org: string;
  repo: string;
  workflow: string;
  requiredApproval: boolean;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function readForm(doc: ActionDocument): FormFields {
  const trigger = obj(doc.trigger);
  const inv = obj(doc.invocationMethod);
  return {
    identifier: str(doc.identifier),
    title: str(doc.title),
    description: str(doc.description),
    operation: str(trigger.operation) || 'DAY-2',
    blueprint: str(trigger.blueprintIdentifier),
    invocation: inv.type === 'GITHUB' ? 'GITHUB' : 'WEBHOOK',
    url: str(inv.url),
    org: str(inv.org),
    repo: str(inv.repo),
    workflow: str(inv.workflow),
    requiredApproval: doc.requiredApproval === true || (typeof doc.requiredApproval === 'object' && doc.requiredApproval !== null),
  };
}

/** Apply one form field to the document, keeping everything the form does not show. */
export function writeForm<K extends keyof FormFields>(doc: ActionDocument, key: K, value: FormFields[K]): ActionDocument {
  const next: ActionDocument = { ...doc };
  const trigger = { ...obj(doc.trigger) };
  const inv = { ...obj(doc.invocationMethod) };
  switch (key) {
    case 'identifier':
    case 'title':
    case 'description':
      next[key] = value;
      return next;
    case 'operation':
      trigger.operation = value;
      return { ...next, trigger };
    case 'blueprint':
      trigger.blueprintIdentifier = value;
      return { ...next, trigger };
    case 'requiredApproval':
      return { ...next, requiredApproval: value };
    case 'invocation':
      // Switching the backend starts its settings afresh: the other type's keys are not valid here.
      return { ...next, invocationMethod: value === 'GITHUB' ? { type: 'GITHUB', org: '', repo: '', workflow: '', reportWorkflowStatus: true } : { type: 'WEBHOOK', url: 'https://', synchronized: true, method: 'POST' } };
    case 'url':
    case 'org':
    case 'repo':
    case 'workflow':
      inv[key] = value;
      return { ...next, invocationMethod: inv };
  }
  return next;
}

/** The JSON text of a document, and back: null when the text is not a JSON object. */
export const toJson = (doc: ActionDocument): string => JSON.stringify(doc, null, 2);
export function parseJson(text: string): ActionDocument | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as ActionDocument) : null;
  } catch {
    return null;
  }
}
