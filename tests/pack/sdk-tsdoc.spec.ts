// "Every public SDK symbol has TSDoc with an example" (STYLE.md): the SDK reference in docs/ is
// generated from it. This suite loads the SDK's two entry points with the TypeScript compiler,
// follows every export to its declaration and lists the symbols without an `@example`.
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY_POINTS = ['sdk/src/index.ts', 'sdk/src/testing/index.ts'];

/** `name (file)` of every exported symbol, and every public method and abstract member of exported classes, lacking an `@example`. */
function missingExamples(program: ts.Program, entryPoints: string[]): { checked: string[]; missing: string[] } {
  const checker = program.getTypeChecker();
  const checked: string[] = [];
  const missing: string[] = [];
  const seen = new Set<ts.Symbol>();

  const hasExample = (symbol: ts.Symbol): boolean =>
    symbol
      .getJsDocTags(checker)
      .some((tag) => tag.name === 'example' && ts.displayPartsToString(tag.text).trim() !== '');
  const where = (symbol: ts.Symbol): string => {
    const file = symbol.declarations?.[0]?.getSourceFile().fileName;
    return file ? path.relative(ROOT, file) : 'unknown file';
  };
  const inspect = (label: string, symbol: ts.Symbol): void => {
    checked.push(label);
    if (!hasExample(symbol)) missing.push(`${label} (${where(symbol)})`);
  };

  for (const entry of entryPoints) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry} is not in the program, or is not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!symbol.declarations?.length) {
        checked.push(exported.name);
        missing.push(`${exported.name} (its declaration was not found)`);
        continue;
      }
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      inspect(exported.name, symbol);
      for (const declaration of symbol.declarations ?? []) {
        if (!ts.isClassDeclaration(declaration)) continue;
        for (const member of declaration.members) {
          if (!isPublicContractMember(member)) continue;
          const memberSymbol = member.name && checker.getSymbolAtLocation(member.name);
          if (memberSymbol) inspect(`${exported.name}.${memberSymbol.name}`, memberSymbol);
        }
      }
    }
  }
  return { checked, missing };
}

/** A public method, or an abstract property core implements; constructors and private members are not the contract. */
function isPublicContractMember(member: ts.ClassElement): boolean {
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  if (ts.isMethodDeclaration(member)) return true;
  return ts.isPropertyDeclaration(member) && (flags & ts.ModifierFlags.Abstract) !== 0;
}

function sdkProgram(): ts.Program {
  const configFile = path.join(ROOT, 'sdk', 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  return ts.createProgram(
    ENTRY_POINTS.map((entry) => path.join(ROOT, entry)),
    parsed.options,
  );
}

/** A program over in-memory files, for checking the checker. */
function virtualProgram(files: Record<string, string>): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    noLib: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  host.fileExists = (file) => file in files;
  host.directoryExists = (dir) => Object.keys(files).some((file) => file.startsWith(`${dir}/`));
  host.readFile = (file) => files[file];
  host.getSourceFile = (file, languageVersion) =>
    file in files ? ts.createSourceFile(file, files[file], languageVersion, true) : undefined;
  return ts.createProgram(Object.keys(files), options, host);
}

describe('TSDoc of @plein/sdk', () => {
  const program = sdkProgram();
  const entries = ENTRY_POINTS.map((entry) => path.join(ROOT, entry));
  const { checked, missing } = missingExamples(program, entries);

  it('finds the exports of both entry points, and the methods of exported classes', () => {
    expect(checked).toEqual(
      expect.arrayContaining([
        'definePlugin',
        'Database',
        'Database.transaction',
        'CurrentUser',
        'createTestIntranet',
        'TestIntranet',
      ]),
    );
  });

  it('gives every export, and every public method of an exported class, a TSDoc comment with an @example', () => {
    expect(missing).toEqual([]);
  });

  it('reports an export without an @example, a re-export of one, and an undocumented method', () => {
    const files = {
      '/v/index.ts': "export { documented, bare } from './impl';\nexport * from './more';\n",
      '/v/impl.ts': [
        '/**\n * Documented.\n *\n * @example\n * ```ts\n * documented();\n * ```\n */',
        'export function documented(): void {}',
        '/** Described, but no example. */',
        'export const bare = 1;',
      ].join('\n'),
      '/v/more.ts': [
        '/**\n * A service.\n * @example `new Service()`\n */',
        'export abstract class Service {',
        '  /** @example `service.run()` */',
        '  abstract run(): void;',
        '  abstract stop(): void;',
        '  private helper(): void {}',
        '}',
      ].join('\n'),
    };
    const result = missingExamples(virtualProgram(files), ['/v/index.ts']);
    expect(result.checked.sort()).toEqual(['Service', 'Service.run', 'Service.stop', 'bare', 'documented']);
    expect(result.missing.sort()).toEqual([
      expect.stringMatching(/^Service\.stop \(/),
      expect.stringMatching(/^bare \(/),
    ]);
  });
});
