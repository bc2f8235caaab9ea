import { describe, expect, it } from 'vitest';
import { bashParserLoadMs, loadBashParser, parseBash, quotedHeredocBodies } from '../../src/risk/bashParser.js';
import { nodeText } from '../../src/risk/shellSyntax.js';

describe('the native Bash parser', () => {
  it('loads once and reports its load time', () => {
    const ms = loadBashParser();
    expect(ms).toBeGreaterThan(0);
    expect(loadBashParser()).toBe(ms);
    expect(bashParserLoadMs()).toBe(ms);
  });

  it('copies the tree with offsets that slice the original string (non-ASCII included)', () => {
    const src = 'echo "é 漢字 🚀" && rm -rf ~';
    const t = parseBash(src);
    expect(t.hasError).toBe(false);
    const cmds: string[] = [];
    const visit = (n: typeof t.root) => {
      if (n.type === 'command') cmds.push(nodeText(t, n));
      n.children.forEach(visit);
    };
    visit(t.root);
    expect(cmds).toEqual(['echo "é 漢字 🚀"', 'rm -rf ~']);
  });

  it('flags syntax errors', () => {
    expect(parseBash('echo "unterminated').hasError).toBe(true);
    expect(parseBash('if then fi').hasError).toBe(true);
  });

  it('works around here-document bodies tree-sitter mis-scans, keeping the original text', () => {
    const src = "cat > a <<'EOF'\n\\\nx; \nEOF\nrm -rf ~";
    const t = parseBash(src);
    expect(t.hasError).toBe(false);
    expect(t.source).toBe(src);
    expect(quotedHeredocBodies(src)).toEqual([{ start: 16, end: 22 }]);
  });

  it('does not mask unquoted here-documents (their substitutions run)', () => {
    expect(quotedHeredocBodies('cat <<EOF\n$(rm -rf ~)\nEOF')).toEqual([]);
  });
});
