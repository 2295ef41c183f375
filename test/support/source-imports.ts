import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const SOURCE_ROOT = resolve(__dirname, '../../src');

/** Files directly under src/ (main.ts, app.module.ts, …): they wire the folders together. */
export const COMPOSITION_ROOT = '(root)';

/** One import of one source file: a file under src/ that names another file under src/. */
export interface SourceImport {
  /** Paths relative to the repository, as a reader looks them up: `src/outbox/outbox.module.ts`. */
  file: string;
  specifier: string;
  fromFolder: string;
  toFolder: string;
}

/** Every .ts file under src/, relative to src/, in a stable order. */
export function sourceFiles(): string[] {
  return readdirSync(SOURCE_ROOT, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => path.split(sep).join('/'))
    .sort();
}

export function parsedSource(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(SOURCE_ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The folder a path under src/ belongs to: its first segment, or the composition root for a file directly under src/. */
export function folderOf(pathUnderSource: string): string {
  const [first, ...rest] = pathUnderSource.split('/');
  return rest.length === 0 ? COMPOSITION_ROOT : first;
}

/**
 * The relative imports of every file under src/ in any form that makes one file depend on another:
 * `import`, `import type`, `export … from`, `import x = require()`, `require()` and `import()` with a
 * literal path, and `typeof import()` in types. Package imports (no leading dot) are not edges.
 */
export function sourceImports(): SourceImport[] {
  const imports: SourceImport[] = [];
  for (const file of sourceFiles()) {
    for (const specifier of specifiersOf(parsedSource(file))) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(SOURCE_ROOT, resolve(SOURCE_ROOT, dirname(file), specifier)).split(sep).join('/');
      if (target.startsWith('..')) continue;
      imports.push({ file: `src/${file}`, specifier, fromFolder: folderOf(file), toFolder: folderOf(target) });
    }
  }
  return imports;
}

function specifiersOf(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      literal(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
