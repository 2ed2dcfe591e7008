import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderArtifactSchema, SCHEMA_ID, SCHEMA_PATH } from '../../../scripts/generate-schema.js';

describe('docs/artifact.schema.json', () => {
  it('matches the artifact zod schema (run npm run schema when it does not)', () => {
    const checkedIn = readFileSync(SCHEMA_PATH, 'utf8');
    expect(
      checkedIn === renderArtifactSchema(),
      'docs/artifact.schema.json is out of date: run npm run schema',
    ).toBe(true);
  });

  it('is a draft 2020-12 schema of the document as a person writes it', () => {
    const schema = JSON.parse(renderArtifactSchema());
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: SCHEMA_ID,
      title: 'Database artifact',
      additionalProperties: false,
      required: ['version', 'source', 'target'],
    });
    expect(Object.keys(schema).slice(0, 3)).toEqual(['$schema', '$id', 'title']);
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'version', 'source', 'target', 'lifecycle']);
    expect(schema.properties.target.required).toEqual(['instanceClass']);
  });

  it('renders the same text every time, ending with a newline', () => {
    const text = renderArtifactSchema();
    expect(renderArtifactSchema()).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "$id"');
  });
});
