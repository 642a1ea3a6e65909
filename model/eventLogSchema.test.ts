import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_LOG_SCHEMA_PATH, eventLogJsonSchema } from './eventLogSchema.ts';
import { EVENT_TYPES } from './events.ts';

const published = JSON.parse(readFileSync(new URL(`../${EVENT_LOG_SCHEMA_PATH}`, import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('eventLogJsonSchema', () => {
  it('should equal the published docs/event-log.schema.json (regenerate: itl-model schema > docs/event-log.schema.json)', () => {
    expect(published).toEqual(eventLogJsonSchema());
  });

  it('should describe one branch per event type, each with its type as a constant and no unknown fields', () => {
    type Branch = {
      properties: { type: { const: string } };
      additionalProperties: boolean;
      required: string[];
      oneOf?: Branch[];
      anyOf?: Branch[];
    };
    // An event type whose fields depend on one of them (cluster.parameter: name and value) is a union of its own.
    const top = (eventLogJsonSchema().anyOf ?? []) as Branch[];
    expect(top).toHaveLength(EVENT_TYPES.length);
    const branches = top.flatMap((b) => b.oneOf ?? b.anyOf ?? [b]);
    expect([...new Set(branches.map((b) => b.properties.type.const))]).toEqual([...EVENT_TYPES]);
    for (const b of branches) {
      expect(b.additionalProperties).toBe(false);
      expect(b.required).toEqual(expect.arrayContaining(['type', 'at']));
    }
  });

  it('should carry the name rules as patterns so that other tools can check a log', () => {
    const add = ((eventLogJsonSchema().anyOf ?? []) as { properties: Record<string, { pattern?: string }> }[]).find(
      (b) => 'phone' in b.properties && 'firmware' in b.properties,
    )!;
    const pattern = new RegExp(add.properties.phone!.pattern!);
    expect(['SEP001122334455', 'sep00aabbccddee', 'CSFJSMITH'].every((n) => pattern.test(n))).toBe(true);
    expect(['../../x', 'SEP1'].some((n) => pattern.test(n))).toBe(false);
  });
});

describe('docs/event-log.schema.json with an independent validator (ajv)', () => {
  it('should accept every line of every example log and refuse lines the parser refuses', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const validate = new Ajv2020({ strict: false }).compile(published);
    const { readdirSync } = await import('node:fs');
    const dir = new URL('../examples/', import.meta.url);
    const lines = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) =>
        readFileSync(new URL(f, dir), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines) expect(validate(JSON.parse(line)), line).toBe(true);
    const bad = [
      { type: 'phone.add', at: '2024-03-04T09:00:00Z', phone: '../../x', tftp: 'pub' },
      { type: 'tftp.restart', at: '2024-03-04T09:00:00Z', node: 'pub', extra: 1 },
      { type: 'tftp.restart', at: 'yesterday', node: 'pub' },
      { type: 'node.rename', at: '2024-03-04T09:00:00Z', node: 'pub', hostname: '-bad' },
    ];
    for (const line of bad) expect(validate(line), JSON.stringify(line)).toBe(false);
  });
});
