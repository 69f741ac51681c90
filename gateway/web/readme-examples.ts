/**
 * The README's example operations (its ```graphql blocks, one operation per
 * paragraph, named by its leading comment), for the explorer's tabs: the
 * README stays the one place they are written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../platform/paths.js';

export interface ExampleOperation {
  name: string;
  query: string;
}

export function parseExamples(markdown: string): ExampleOperation[] {
  const examples: ExampleOperation[] = [];
  for (const block of markdown.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    for (const paragraph of block[1]!.split(/\n\s*\n/)) {
      const query = paragraph.trim();
      if (!/^\s*(query|mutation|subscription|\{)/m.test(query)) continue;
      const comment = /^#\s*(.+)$/m.exec(query)?.[1];
      const name = operationName(comment ?? /\{\s*(\w+)/.exec(query)?.[1] ?? `Example ${examples.length + 1}`);
      // Anonymous operations get a name from their comment: GraphiQL titles its tabs with it.
      const named = query.replace(/^(\s*)(\{|(query|mutation|subscription)\s*\{)/m, (_, indent: string, _start: string, kind?: string) => `${indent}${kind ?? 'query'} ${name} {`);
      examples.push({ name, query: `${named}\n` });
    }
  }
  return examples;
}

/** "Courses with their teachers, live classes..." -> CoursesWithTheirTeachers */
function operationName(text: string): string {
  const words = text.replace(/\(.*?\)/g, '').match(/[A-Za-z0-9]+/g) ?? ['Example'];
  const name = words
    .slice(0, 4)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return /^[0-9]/.test(name) ? `Op${name}` : name;
}

export function readmeExamples(readme = path.join(REPO_ROOT, 'README.md')): ExampleOperation[] {
  try {
    return parseExamples(readFileSync(readme, 'utf8'));
  } catch {
    return []; // an image without the README still serves the explorer, with empty tabs
  }
}
