import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDiagrams } from '../machines/diagramMachines.ts';
import { phoneMachine } from '../machines/phoneMachine.ts';
import { diagram } from './diagramCommand.ts';
import { memoryIo } from './io.ts';

const docs = new URL('../docs/diagrams/', import.meta.url);

describe('diagram', () => {
  it('should draw all three machines, each under its heading, when no machine is named', async () => {
    const io = memoryIo();
    expect(await diagram({}, io)).toBe(0);
    const headings = io.stdout.filter((l) => l.startsWith('%% '));
    expect(headings.map((h) => h.split(' ')[1])).toEqual(['phone', 'node', 'cluster']);
    expect(io.stdout.filter((l) => l === 'stateDiagram-v2')).toHaveLength(3);
  });

  it('should draw the phone rules with their guards and the rule each accepts by when --machine phone is given', async () => {
    const io = memoryIo();
    await diagram({ machine: 'phone' }, io);
    expect(io.stdout).toContain('    locked --> trusted : BOOT [tvsVouchesForItl] / installItl(R3)');
    expect(io.stdout).toContain('    trusted --> locked : BOOT / recordRejection');
    expect(io.stdout).toContain('    [*] --> noItl');
  });

  it('should separate the parallel regions of the node machine with -- when --machine node is given', async () => {
    const io = memoryIo();
    await diagram({ machine: 'node' }, io);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/state holdTimer \{[^]*\n {4}--\n {4}state tftp \{/);
    expect(text).toContain('running --> idle : TICK [holdExpired]');
    expect(text).toContain('  node --> node : UPDATED / update');
  });

  it('should follow the machine definition when a state is added to it', async () => {
    const { mermaidOf } = await import('../machines/diagramMermaid.ts');
    const wider = phoneMachine.provide({}).config;
    const changed = (await import('xstate')).createMachine({
      ...wider,
      states: { ...wider.states, quarantined: {} },
    } as never);
    expect(mermaidOf(changed, 'x')).toContain('state quarantined');
  });

  it('should print the machine config as JSON when --format json is given', async () => {
    const io = memoryIo();
    expect(await diagram({ machine: 'cluster', format: 'json' }, io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n'));
    expect(doc).toMatchObject({
      id: 'cluster',
      initial: 'uninstalled',
      states: { running: { on: { 'tftp.forge': { actions: 'applyLogEvent' } } } },
    });
  });

  it('should exit 2 with one line when the machine is unknown', async () => {
    const io = memoryIo();
    expect(await diagram({ machine: 'tvs' }, io)).toBe(2);
    expect(io.stderr).toEqual(['--machine: unknown machine "tvs" (expected one of phone, node, cluster)']);
    expect(io.stdout).toEqual([]);
  });

  it('should exit 2 with one line when the format is unknown', async () => {
    const io = memoryIo();
    expect(await diagram({ format: 'svg' }, io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
  });

  it('should write one .mmd per machine when --out is given', async () => {
    const io = memoryIo();
    expect(await diagram({ out: 'd' }, io)).toBe(0);
    expect([...io.files.keys()].sort()).toEqual(['d/cluster.mmd', 'd/node.mmd', 'd/phone.mmd']);
  });

  it('should match the committed docs/diagrams when the machines have not changed (else run: npm start -- diagram --out docs/diagrams)', () => {
    const generated = renderDiagrams();
    const committed = Object.fromEntries(
      readdirSync(docs)
        .filter((f) => f.endsWith('.mmd'))
        .map((f) => [f, readFileSync(new URL(f, docs), 'utf8')]),
    );
    expect(committed).toEqual(generated);
  });
});
