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
 * Ranges of the bodies of here-documents with a quoted delimiter (`<<'EOF'`, `<<"EOF"`, `<<\EOF`):
 * pure data, whose content cannot change how the script parses.
 */
export function quotedHeredocBodies(source: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /<<(-?)[ \t]*(?:(['"])([^'"\n]+)\2|\\([A-Za-z_][\w-]*))/g;
  let m: RegExpExecArray | null;
  let resumeAt = 0;
  const pending: { delim: string; dash: boolean }[] = [];
  while ((m = re.exec(source)) !== null) {
    if (m.index < resumeAt) continue;
    pending.push({ delim: (m[3] ?? m[4])!, dash: m[1] === '-' });
    const lineEnd = source.indexOf('\n', m.index);
    if (lineEnd < 0) break;
    // the rest of this line may hold more heredoc operators
    const restOfLine = source.slice(re.lastIndex, lineEnd);
    if (/<<-?[ \t]*(?:['"][^'"\n]+['"]|\\\w)/.test(restOfLine)) continue;
    let pos = lineEnd + 1;
    for (const h of pending) {
      const start = pos;
      let end = -1;
      while (pos <= source.length) {
        const nl = source.indexOf('\n', pos);
        const line = source.slice(pos, nl < 0 ? source.length : nl);
        if ((h.dash ? line.replace(/^\t+/, '') : line) === h.delim) {
          end = pos;
          pos = nl < 0 ? source.length : nl + 1;
          break;
        }
        if (nl < 0) { pos = source.length + 1; break; }
        pos = nl + 1;
      }
      if (end < 0) return out; // unterminated: leave it to the parser
      out.push({ start, end });
    }
    pending.length = 0;
    resumeAt = pos;
    re.lastIndex = pos;
  }
  return out;
}

function collectTypes(node: ShellNode, type: string, into: ShellNode[]): void {
  if (node.type === type) into.push(node);
  for (const c of node.children) collectTypes(c, type, into);
}

/**
 * Parse a Bash script into a plain {@link ShellTree}. Synchronous; loads the parser on first use.
 * Stops copying after `maxNodes` nodes (the tree is then marked `hasError`).
 *
 * tree-sitter-bash mis-scans some here-document bodies (a line `\`, a line ending in `; `). When the
 * parse has errors, the bodies of quoted here-documents (pure data) are blanked and the script
 * parsed again; that parse is used only if it is clean and tree-sitter places its here-document
 * bodies exactly over the blanked ranges. The returned tree always carries the original text.
 * @throws BashParserError when the parser cannot be loaded or the native parse fails.
 */
export function parseBash(source: string, maxNodes = DEFAULT_MAX_NODES): ShellTree {
  if (source.length > CACHEABLE_CHARS || maxNodes !== DEFAULT_MAX_NODES) return parseBashUncached(source, maxNodes);
  const hit = parsed.get(source);
  if (hit !== undefined) {
    parsed.delete(source); // most recently used goes last
    parsed.set(source, hit);
    return hit;
  }
  const tree = parseBashUncached(source, maxNodes);
  if (tree.nodeCount > CACHEABLE_NODES) return tree; // a big tree costs memory; keep only ordinary commands
  freezeTree(tree);
  parsed.set(source, tree);
  if (parsed.size > CACHE_ENTRIES) parsed.delete(parsed.keys().next().value as string);
  return tree;
}

const DEFAULT_MAX_NODES = 50_000;
/**
 * Trees of recent scripts, by their text. A parse is a pure function of the text (unlike a verdict,
 * which depends on the file system), and agents repeat commands: a warm daemon or server parses each
 * text once. The trees are frozen, so nothing downstream can change a shared one.
 */
const parsed = new Map<string, ShellTree>();
const CACHE_ENTRIES = 256;
const CACHEABLE_CHARS = 8 * 1024;
/** Trees of more nodes are not kept (at most 256 × 2,000 small nodes stay in memory). */
const CACHEABLE_NODES = 2_000;

function freezeTree(tree: ShellTree): ShellTree {
  const stack: ShellNode[] = [tree.root];
  while (stack.length > 0) {
    const n = stack.pop() as ShellNode;
    for (const c of n.children) stack.push(c);
    Object.freeze(n.children);
    Object.freeze(n);
  }
  return Object.freeze(tree);
}

function parseBashUncached(source: string, maxNodes: number): ShellTree {
  const first = parseOnce(source, maxNodes);
  if (!first.hasError || !source.includes('<<')) return first;
  const bodies = quotedHeredocBodies(source);
  if (bodies.length === 0) return first;
  let masked = '';
  let pos = 0;
  for (const b of bodies) {
    masked += source.slice(pos, b.start) + source.slice(b.start, b.end).replace(/[^\n]/g, ' ');
    pos = b.end;
  }
  masked += source.slice(pos);
  const second = parseOnce(masked, maxNodes);
  if (second.hasError) return first;
  // tree-sitter must end each here-document exactly where we found its delimiter line.
  const ends: ShellNode[] = [];
  collectTypes(second.root, 'heredoc_end', ends);
  const confirmed = ends.length === bodies.length && bodies.every((b) => ends.some((n) => n.start >= b.end && /^\t*$/.test(source.slice(b.end, n.start))));
  return confirmed ? { ...second, source } : first;
}

function parseOnce(source: string, maxNodes: number): ShellTree {
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
