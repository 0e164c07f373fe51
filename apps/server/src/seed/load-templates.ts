import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { TemplateFile } from '@portolan/contract';
import type { Db } from '../db/database.ts';
import { SYSTEM_ACTOR_ID } from '../modules/request-context.ts';
import type { ScaffolderService } from '../modules/scaffolder/scaffolder.service.ts';
import * as repo from '../modules/scaffolder/scaffolder.repository.ts';

// Seeds the scaffolder from catalog-examples/templates/<name>/: template.yaml plus every other file
// in that folder (skeleton/…), once per database (a marker row; edits and deletions made in the
// portal afterwards are kept on restart).

const TEMPLATES_LOADED_KEY = 'templates_loaded_at';

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

export async function readTemplateFolder(folder: string): Promise<{ yaml: string; files: Record<string, TemplateFile> }> {
  const yaml = await readFile(path.join(folder, 'template.yaml'), 'utf8');
  const files: Record<string, TemplateFile> = {};
  for (const rel of await walk(folder)) {
    if (rel === 'template.yaml') continue;
    const buf = await readFile(path.join(folder, rel));
    const text = buf.toString('utf8');
    files[rel] = !buf.includes(0) && Buffer.from(text, 'utf8').equals(buf) ? { content: text, encoding: 'utf8' } : { content: buf.toString('base64'), encoding: 'base64' };
  }
  return { yaml, files };
}

export async function readTemplateFolders(dir: string): Promise<{ name: string; yaml: string; files: Record<string, TemplateFile> }[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (name) => ({ name, ...(await readTemplateFolder(path.join(dir, name))) })));
}

export async function loadTemplatesOnce(db: Db, service: ScaffolderService, dir: string): Promise<{ loaded: number; skipped: boolean }> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext('portolan:load-templates'))`.execute(conn);
    try {
      const marker = await conn.selectFrom('settings').select('key').where('key', '=', TEMPLATES_LOADED_KEY).executeTakeFirst();
      if (marker) return { loaded: 0, skipped: true };
      let loaded = 0;
      for (const t of await readTemplateFolders(dir)) {
        const existing = await repo.findTemplate(db, t.name);
        if (existing) continue;
        await service.saveTemplate(t.yaml, t.files, { create: true }, { id: SYSTEM_ACTOR_ID, requestId: null });
        loaded++;
      }
      await conn.insertInto('settings').values({ key: TEMPLATES_LOADED_KEY, value: JSON.stringify(new Date().toISOString()) }).execute();
      return { loaded, skipped: false };
    } finally {
      await sql`select pg_advisory_unlock(hashtext('portolan:load-templates'))`.execute(conn);
    }
  });
}
