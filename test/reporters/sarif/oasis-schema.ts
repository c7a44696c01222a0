/**
 * The OASIS SARIF 2.1.0 schema (errata01, JSON Schema draft-04) for validating our SARIF output.
 *
 * No npm package ships the final OASIS file. @microsoft/jest-sarif (Microsoft's SARIF SDK
 * for JavaScript) ships the committee's 2.1.0-rtm.5 schema, the last draft before the OASIS
 * standard; the final schema differs from it only by the errata01 changes below
 * (OASIS publishes them as sarif-schema-2.1.0-errata01-csd01-diff.txt), and by two
 * descriptions (a typo and the title). Applying the changes here gives a schema that validates
 * exactly like the official one, without copying anything into the repository.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type SchemaNode = { [key: string]: unknown };

const require = createRequire(import.meta.url);
const RTM5_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

export const OASIS_SCHEMA_ID = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function node(parent: SchemaNode, ...path: string[]): SchemaNode {
  let current: unknown = parent;
  for (const key of path) {
    current = isNode(current) ? current[key] : undefined;
    if (!isNode(current)) throw new Error(`rtm.5 schema has no ${path.join('/')}: the package changed, revisit the errata`);
  }
  return current as SchemaNode;
}

/** Errata: every string enum also states `"type": "string"` (no effect on valid logs). */
function typeStringEnums(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) typeStringEnums(item);
    return;
  }
  if (!isNode(value)) return;
  const values = value['enum'];
  if (Array.isArray(values) && values.every((v) => typeof v === 'string') && value['type'] === undefined) value['type'] = 'string';
  for (const child of Object.values(value)) typeStringEnums(child);
}

export function loadOasisSarifSchema(): SchemaNode {
  const schema = JSON.parse(readFileSync(RTM5_PATH, 'utf8')) as SchemaNode;
  schema['id'] = OASIS_SCHEMA_ID;
  schema['title'] = 'Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema';
  typeStringEnums(schema);
  // Errata: `runs` may be null (a log whose tool failed before producing runs).
  node(schema, 'properties', 'runs')['type'] = ['array', 'null'];
  // Errata: a region must say where it is (line/column, character offset or byte offset).
  node(schema, 'definitions', 'region')['anyOf'] = [
    { required: ['startLine'] },
    { required: ['charOffset'] },
    { required: ['byteOffset'] },
  ];
  // Errata: the language-tag pattern was malformed (an unbalanced bracket).
  const language = '^[a-zA-Z]{2}(-[a-zA-Z]{2})?$';
  node(schema, 'definitions', 'toolComponent', 'properties', 'language')['pattern'] = language;
  node(schema, 'definitions', 'run', 'properties', 'language')['pattern'] = language;
  return schema;
}
