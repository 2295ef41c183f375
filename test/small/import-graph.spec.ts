import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMPOSITION_ROOT, SourceImport, parsedSource, sourceFiles, sourceImports } from '../support/source-imports';

/** The folders store/ may use: it hands out connections, so it knows no domain. */
const STORE_MAY_IMPORT = new Set(['store', 'common', 'config']);
/** The one module allowed to be global: it wires the app, and its exports (the clock) are for everyone. */
const ROOT_MODULE = 'src/app.module.ts';

const imports = sourceImports();
const edges = imports.filter((edge) => edge.fromFolder !== edge.toFolder);

/** Each folder's imports of another folder, by the pair `from -> to`. */
function importsByPair(): Map<string, SourceImport[]> {
  const pairs = new Map<string, SourceImport[]>();
  for (const edge of edges) {
    const key = `${edge.fromFolder} -> ${edge.toFolder}`;
    pairs.set(key, [...(pairs.get(key) ?? []), edge]);
  }
  return pairs;
}

function listed(pair: SourceImport[]): string {
  return pair.map((edge) => `    ${edge.file} imports '${edge.specifier}'`).join('\n');
}

/** Where a file makes its module global (`@Global()`, or `global: true` / `isGlobal: true` in a dynamic module). */
function globalMarks(file: string): string[] {
  const source = parsedSource(file);
  const marks: string[] = [];
  const mark = (node: ts.Node, what: string) => marks.push(`src/${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isDecorator(node) && ts.isCallExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'Global') {
      mark(node, '@Global()');
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['global', 'isGlobal'].includes(node.name.text) && node.initializer.kind === ts.SyntaxKind.TrueKeyword) {
      mark(node, `${node.name.text}: true`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return marks;
}

describe('dependencies between the folders under src/ point one way (issue 13)', () => {
  it('reads the imports it judges (a sanity check on the reader itself)', () => {
    expect(imports.some((edge) => edge.file === ROOT_MODULE && edge.toFolder === 'store')).toBe(true);
    expect(imports.some((edge) => edge.fromFolder === COMPOSITION_ROOT)).toBe(true);
  });

  it('no two folders import each other', () => {
    const pairs = importsByPair();
    const twoWay = [...pairs.keys()]
      .map((key) => key.split(' -> '))
      .filter(([from, to]) => from < to && pairs.has(`${to} -> ${from}`))
      .map(([a, b]) => `${a} <-> ${b}\n  ${a} -> ${b}:\n${listed(pairs.get(`${a} -> ${b}`)!)}\n  ${b} -> ${a}:\n${listed(pairs.get(`${b} -> ${a}`)!)}`);
    expect(twoWay, `${twoWay.length} pairs of folders import each other: cut one direction of each (a port, or an event)`).toEqual([]);
  });

  it('store/ imports no feature: only common/ and config/', () => {
    const intoFeatures = edges.filter((edge) => edge.fromFolder === 'store' && !STORE_MAY_IMPORT.has(edge.toFolder)).map((edge) => `${edge.file} imports '${edge.specifier}' (${edge.toFolder})`);
    expect(intoFeatures, 'store/ hands out connections only; what it serves is named by the composition root').toEqual([]);
  });

  it('no module is global but the root one: each module file lists what it imports', () => {
    const marks = sourceFiles()
      .filter((file) => `src/${file}` !== ROOT_MODULE)
      .flatMap(globalMarks);
    expect(marks, 'a global module hides its users: import it where it is used instead').toEqual([]);
  });
});
