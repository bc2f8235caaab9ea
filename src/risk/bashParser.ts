/**
 * The one place that loads the native tree-sitter Bash parser.
 *
 * Loaded lazily (first parse), once per process, synchronously, through `createRequire` so a bundle
 * can ship `tree-sitter` and `tree-sitter-bash` next to itself in node_modules. Load time is kept
 * low by requiring the grammar's prebuilt `.node` binary directly: the package's own entry point
 * also parses its 50 kB node-types.json, which the parser then uses to generate one JS class per
 * node type (about 10 ms we never need, since we walk with a cursor).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ShellNode, ShellTree } from './shellSyntax.js';

/** Raised when the native parser cannot be loaded or fails on an input. */
export class BashParserError extends Error {
  readonly code: 'E_BASH_PARSER_LOAD' | 'E_BASH_PARSE';
  constructor(code: 'E_BASH_PARSER_LOAD' | 'E_BASH_PARSE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BashParserError';
    this.code = code;
  }
}

/* Minimal structural types for the parts of the native API we use (no compile-time dependency). */
interface NativeCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly currentFieldName: string | undefined | null;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}
interface NativeTree {
  readonly rootNode: { readonly hasError: boolean };
  walk(): NativeCursor;
}
interface NativeParser {
  setLanguage(language: unknown): void;
  parse(input: string): NativeTree;
}

let parser: NativeParser | undefined;
let loadMs: number | undefined;

function loadLanguage(req: NodeJS.Require): unknown {
  // Fast path: the grammar's prebuilt binary for this platform, without node-types.json.
  try {
    const root = dirname(req.resolve('tree-sitter-bash/package.json'));
    const candidates = [
      join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'tree-sitter-bash.node'),
      join(root, 'build', 'Release', 'tree_sitter_bash_binding.node'),
    ];
    for (const file of candidates) {
      try {
        return req(file);
      } catch {
        /* try the next one */
      }
    }
  } catch {
    /* fall through to the package entry point */
  }
  return req('tree-sitter-bash');
}

function load(): NativeParser {
  if (parser) return parser;
  const t0 = performance.now();
  try {
    const req = createRequire(import.meta.url);
    const Parser = req('tree-sitter') as new () => NativeParser;
    const language = loadLanguage(req);
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  } catch (cause) {
    throw new BashParserError(
      'E_BASH_PARSER_LOAD',
      `cannot load the native Bash parser (tree-sitter, tree-sitter-bash): ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
  loadMs = performance.now() - t0;
  return parser;
}

/** Load the parser now (idempotent) and return how long the first load took, in milliseconds. */
export function loadBashParser(): number {
  load();
  return loadMs ?? 0;
}

/** Milliseconds the first load took, or undefined when the parser has not been loaded yet. */
export function bashParserLoadMs(): number | undefined {
  return loadMs;
}

/**
 * Parse a Bash script into a plain {@link ShellTree}. Synchronous; loads the parser on first use.
 * Stops copying after `maxNodes` nodes (the tree is then marked `hasError`).
 * @throws BashParserError when the parser cannot be loaded or the native parse fails.
 */
export function parseBash(source: string, maxNodes = 50_000): ShellTree {
  const p = load();
  let tree: NativeTree;
  try {
    tree = p.parse(source);
  } catch (cause) {
    throw new BashParserError('E_BASH_PARSE', `the Bash parser failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
  }
  let hasError = tree.rootNode.hasError;
  const cur = tree.walk();
  const root: ShellNode = {
    type: cur.nodeType,
    field: null,
    named: true,
    start: cur.startIndex,
    end: cur.endIndex,
    children: [],
  };
  let count = 1;
  const stack: ShellNode[] = [root];
  if (cur.gotoFirstChild()) {
    outer: for (;;) {
      const node: ShellNode = {
        type: cur.nodeType,
        field: cur.currentFieldName ?? null,
        named: cur.nodeIsNamed,
        start: cur.startIndex,
        end: cur.endIndex,
        children: [],
      };
      stack[stack.length - 1]!.children.push(node);
      if (++count > maxNodes) {
        hasError = true;
        break;
      }
      if (cur.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      while (!cur.gotoNextSibling()) {
        if (!cur.gotoParent()) break outer;
        stack.pop();
        if (stack.length === 0) break outer;
      }
    }
  }
  return { root, source, hasError, nodeCount: count };
}
