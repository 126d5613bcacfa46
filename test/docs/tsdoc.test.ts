/**
 * Every public export has TSDoc: each export of lib.ts and testing.ts, and each export of the namespaces they
 * re-export (`prometheus`, `alertmanager`, `rules`, `rulePacks`, `routing`, …), carries a non-empty doc comment — what
 * an editor shows on hover. And every `@default` tag in the package's sources names a value.
 */
import * as path from "node:path";
import * as ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const ENTRIES = ["lib.ts", "testing.ts"];

interface PublicExport {
  readonly name: string;
  readonly symbol: ts.Symbol;
  readonly where: string;
}

let program: ts.Program;
let checker: ts.TypeChecker;
let exportsFound: PublicExport[];

function where(decl: ts.Declaration | undefined): string {
  if (!decl) return "?";
  const sf = decl.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(decl.getStart(sf));
  return `${path.relative(ROOT, sf.fileName)}:${line + 1}`;
}

function resolve(sym: ts.Symbol): ts.Symbol {
  return sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
}

function publicExports(): PublicExport[] {
  const out: PublicExport[] = [];
  for (const entry of ENTRIES) {
    const sf = program.getSourceFile(path.join(ROOT, entry));
    if (!sf) throw new Error(`${entry} is not in the program`);
    const mod = checker.getSymbolAtLocation(sf);
    if (!mod) throw new Error(`${entry} is not a module`);
    for (const exp of checker.getExportsOfModule(mod)) {
      const sym = resolve(exp);
      const decl = sym.declarations?.[0];
      if (decl && (ts.isSourceFile(decl) || ts.isModuleDeclaration(decl))) {
        // `export * as ns from "./x"`: the namespace's own exports are public too.
        for (const inner of checker.getExportsOfModule(sym)) {
          const s2 = resolve(inner);
          out.push({ name: `${entry}:${exp.name}.${inner.name}`, symbol: s2, where: where(s2.declarations?.[0]) });
        }
        continue;
      }
      out.push({ name: `${entry}:${exp.name}`, symbol: sym, where: where(decl) });
    }
  }
  return out;
}

describe("TSDoc on the public surface", () => {
  beforeAll(() => {
    program = ts.createProgram(
      ENTRIES.map((e) => path.join(ROOT, e)),
      { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, esModuleInterop: true, resolveJsonModule: true, noEmit: true },
    );
    checker = program.getTypeChecker();
    exportsFound = publicExports();
  }, 120_000);

  it("finds the public surface: both entry points and every re-exported namespace", () => {
    const names = new Set(exportsFound.map((e) => e.name));
    for (const n of ["lib.ts:PrometheusStack", "testing.ts:runOffline", "lib.ts:prometheus.renderPrometheusConfig", "lib.ts:alertmanager.Route", "lib.ts:rules.RulePack", "lib.ts:rulePacks.buildRulePacks", "lib.ts:routing.severityRouting", "lib.ts:slo.SloSpec", "lib.ts:lint.LINT_RULES", "lib.ts:blackbox.ProbeModule", "lib.ts:grafana.DashboardDef"]) {
      expect(names, n).toContain(n);
    }
    expect(exportsFound.length).toBeGreaterThan(300);
  });

  it("gives every public export a non-empty doc comment", () => {
    const missing = exportsFound
      .filter((e) => ts.displayPartsToString(e.symbol.getDocumentationComment(checker)).trim() === "")
      .map((e) => `${e.name} (${e.where})`);
    expect(missing, `${missing.length} of ${exportsFound.length} public exports have no TSDoc`).toEqual([]);
  });

  it("makes every @default tag in the package's sources name a value", () => {
    const empty = new Set<string>();
    let seen = 0;
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes("/node_modules/")) continue;
      const visit = (node: ts.Node): void => {
        for (const tag of ts.getJSDocTags(node)) {
          if (tag.tagName.text !== "default") continue;
          seen++;
          if ((ts.getTextOfJSDocComment(tag.comment)?.trim() ?? "") === "") empty.add(where(node as ts.Declaration));
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(seen, "@default tags seen").toBeGreaterThan(100);
    expect([...empty], "@default tags without a value").toEqual([]);
  });
});
