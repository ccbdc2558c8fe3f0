import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGENT_TYPES } from '../../../src/experiment/registry/agent-types.js';
import { DOCUMENT_SHAPES } from '../../../src/experiment/config/document-shape.js';
import { REFERENCE_END, REFERENCE_START, referenceSections, renderYamlReference, withReference } from '../../../src/experiment/config/yaml-reference.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README YAML reference', () => {
  it('should hold the rendered reference verbatim between its markers (regenerate: node dist/src/experiment/config/yaml-reference.js README.md)', () => {
    const start = readme.indexOf(REFERENCE_START);
    const end = readme.indexOf(REFERENCE_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(readme.slice(start + REFERENCE_START.length, end).trim()).toBe(renderYamlReference());
    expect(withReference(readme)).toBe(readme);
  });

  it('should document every key of the schema, with its default', () => {
    const sections = referenceSections();
    for (const [shape, keys] of Object.entries(DOCUMENT_SHAPES)) {
      const section = sections.find((s) => s.shape === shape);
      expect(section, `section ${shape || 'top level'}`).toBeDefined();
      expect(section!.rows.map((r) => r[0]).sort(), `keys of ${shape || 'top level'}`).toEqual(Object.keys(keys).sort());
      for (const row of section!.rows) expect(row[2], `default of ${shape}.${row[0]}`).not.toBe('');
    }
    const text = renderYamlReference();
    for (const section of sections) {
      for (const [key, , def] of section.rows) {
        expect(text).toContain(`| \`${key}\` |`);
        expect(text).toContain(def);
      }
    }
  });

  it('should document every parameter of every agent type with its default', () => {
    const text = renderYamlReference();
    for (const type of AGENT_TYPES.values()) {
      expect(text).toContain(`#### \`${type.type}\``);
      for (const [key, spec] of Object.entries(type.params)) {
        const def = typeof spec.default === 'string' ? JSON.stringify(spec.default) : String(spec.default);
        expect(text).toContain(`| \`${key}\` | \`${def}\` |`);
      }
    }
  });
});
