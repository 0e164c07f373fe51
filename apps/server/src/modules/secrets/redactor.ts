/**
 * Replaces every known secret value in text with its name ("***GITHUB_TOKEN***"). Task and run
 * logs go through this before they are stored or streamed. Short values (< 4 chars) are not
 * redacted: they would shred ordinary text and are not secrets worth the name.
 */
export class Redactor {
  private values: { name: string; value: string }[] = [];

  set(secrets: { name: string; value: string }[]): void {
    // Longest first, so a secret that contains another is replaced whole.
    this.values = secrets.filter((s) => s.value.length >= 4).sort((a, b) => b.value.length - a.value.length);
  }

  redact(text: string): string {
    let out = text;
    for (const { name, value } of this.values) if (out.includes(value)) out = out.split(value).join(`***${name}***`);
    return out;
  }

  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
    return value;
  }
}
