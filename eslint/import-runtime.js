// ESLint rule vaultproof/import-runtime: every import must fit the runtime of
// the file that makes it. Packages are placed by the table in runtimes.js
// (an unplaced package is an error), files of ours by their folder's runtime.
// Type-only imports are checked too: a type from the wrong runtime still ties
// the folders together.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allowedClasses, folders, packages, runtimeWords } from './runtimes.js';

const builtins = new Set(builtinModules);
// The repository root is the folder above this one, wherever ESLint was started from.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Imports of files that are data, not code: they run nowhere.
const DATA = /\.(json|css|svg|png|ico|ttf|woff2?|html|txt)$/i;

/** @param {string} rel posix path from the repository root */
export function runtimeOf(rel) {
  for (const [prefix, runtime] of folders) {
    if (prefix.endsWith('/') ? rel.startsWith(prefix) : rel === prefix) return { runtime, folder: prefix };
  }
  return null;
}

/** @param {string} spec */
export function packageName(spec) {
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @param {string} name */
function classOfPackage(name) {
  if (name.startsWith('node:') || builtins.has(name)) return 'node';
  return Object.hasOwn(packages, name) ? packages[name] : null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const importRuntime = {
  meta: {
    type: 'problem',
    docs: { description: 'place every import (packages and our own files) by the runtime of the importing file' },
    schema: [],
    messages: {
      packageMisplaced: "'{{spec}}' runs {{where}} (eslint/runtimes.js), but {{folder}} runs {{runtime}}.",
      fileMisplaced: "'{{spec}}' is in {{target}}, which runs {{where}}, but {{folder}} runs {{runtime}}.",
      packageUnknown: "package '{{name}}' is not placed: add it to the packages table in eslint/runtimes.js as anywhere, node, dom or electron.",
      folderUnknown: "{{file}} is in no folder of eslint/runtimes.js: give its folder a runtime there.",
    },
  },
  create(context) {
    const rel = path.relative(root, context.filename).split(path.sep).join('/');
    if (rel.startsWith('..')) return {};
    const here = runtimeOf(rel);
    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      if (typeof source !== 'string' || source === '') return;
      if (!here) {
        context.report({ node, messageId: 'folderUnknown', data: { file: rel } });
        return;
      }
      const allowed = allowedClasses[here.runtime];
      const base = { spec: source, folder: here.folder, runtime: runtimeWords[here.runtime] };
      const spec = source.replace(/[?#].*$/, '');
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const targetRel = path.relative(root, spec.startsWith('/') ? spec : path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/');
        const target = runtimeOf(targetRel);
        if (!target) {
          if (!DATA.test(spec)) context.report({ node, messageId: 'folderUnknown', data: { file: targetRel } });
          return;
        }
        if (!allowed.includes(target.runtime)) {
          context.report({ node, messageId: 'fileMisplaced', data: { ...base, target: target.folder, where: runtimeWords[target.runtime] } });
        }
        return;
      }
      const name = packageName(spec);
      const cls = classOfPackage(name);
      if (cls === null) {
        context.report({ node, messageId: 'packageUnknown', data: { name } });
        return;
      }
      if (!allowed.includes(cls)) context.report({ node, messageId: 'packageMisplaced', data: { ...base, where: runtimeWords[cls] } });
    }
    /** @param {any} n */
    const literal = (n) => (n && n.type === 'Literal' ? n.value : undefined);
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, literal(node.source)),
      /** @param {any} node */
      CallExpression(node) {
        const c = node.callee;
        const isRequire = c.type === 'Identifier' && c.name === 'require';
        const isResolve = c.type === 'MemberExpression' && c.object.type === 'Identifier' && c.object.name === 'require' && c.property.type === 'Identifier' && c.property.name === 'resolve';
        if ((isRequire || isResolve) && node.arguments.length > 0) check(node, literal(node.arguments[0]));
      },
      /** @param {any} node */
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference.type === 'TSExternalModuleReference') check(node, literal(node.moduleReference.expression));
      },
      /** @param {any} node */
      TSImportType(node) {
        const a = node.argument;
        check(node, a && a.type === 'TSLiteralType' ? literal(a.literal) : literal(a));
      },
    };
  },
};

export const plugin = { rules: { 'import-runtime': importRuntime } };
