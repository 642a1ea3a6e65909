import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderDiagrams } from '../machines/diagramMachines.ts';
import { phoneMachine } from '../machines/phoneMachine.ts';
import { diagram } from './diagramCommand.ts';
import { memoryIo } from './memoryIo.ts';

const docs = new URL('../docs/diagrams/', import.meta.url);

describe('diagram', () => {
  it('should draw all five machines, each under its heading, when no machine is named', async () => {
    const io = memoryIo();
    expect(await diagram({}, io)).toBe(0);
    const headings = io.stdout.filter((l) => l.startsWith('%% '));
    expect(headings.map((h) => h.split(' ')[1])).toEqual(['phone', 'phoneCtl', 'node', 'signer', 'cluster']);
    expect(io.stdout.filter((l) => l === 'stateDiagram-v2')).toHaveLength(5);
  });

  it('should draw the phone rules with their guards and the rule each accepts by when --machine phone is given', async () => {
    const io = memoryIo();
    await diagram({ machine: 'phone' }, io);
    expect(io.stdout).toContain('    locked --> trusted : BOOT [tvsVouchesForItl] / installItl(R3)');
    expect(io.stdout).toContain('    trusted --> locked : BOOT / recordRejection(R4)');
    expect(io.stdout).toContain('    trusted --> locked : BOOT [holdsCtl] / recordRejection(I3)');
    expect(io.stdout).toContain('    [*] --> noItl');
  });

  it("should draw the phone's CTL, C0 to C3, when --machine phoneCtl is given", async () => {
    const io = memoryIo();
    await diagram({ machine: 'phoneCtl' }, io);
    expect(io.stdout).toContain('    none --> installed : CTL / installCtl(C0)');
    expect(io.stdout).toContain('    installed --> installed : CTL [ctlAnchored] / installCtl(C1)');
    expect(io.stdout).toContain('    installed --> rejected : CTL / recordCtlRejection');
  });

  it('should show the hold timer deciding set cert regen when --machine node is given', async () => {
    const io = memoryIo();
    await diagram({ machine: 'node' }, io);
    const text = io.stdout.join('\n');
    expect(text).toContain('idle --> running : REGENERATE / regenerate');
    expect(text).toContain('running --> idle : TICK [holdExpired]');
    expect(text).toMatch(/running --> running : REGENERATE \/ refuse/);
  });

  it("should separate the signer's parallel regions with -- and show the reset ITL lasting until a TFTP start when --machine signer is given", async () => {
    const io = memoryIo();
    await diagram({ machine: 'signer' }, io);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/state serving \{[^]*\n {4}--\n {4}state file \{/);
    expect(text).toContain('normal --> reset : RESET');
    expect(text).toContain('reset --> normal : START');
    expect(text).toContain('forged --> normal : START');
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
      states: { running: { on: { 'tftp.forge': { actions: 'apply' } } } },
    });
  });

  it('should exit 2 with one line naming the choices when the machine or the format is unknown', () => {
    const bin = fileURLToPath(new URL('../bin/itl-model.mjs', import.meta.url));
    for (const args of [
      ['--machine', 'tvs'],
      ['--format', 'svg'],
    ]) {
      const run = spawnSync(process.execPath, [bin, 'diagram', ...args], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(args[0] === '--machine' ? /phone, phoneCtl, node, signer, cluster/ : /mermaid, json/);
    }
  });

  it('should write one .mmd per machine when --out is given', async () => {
    const io = memoryIo();
    expect(await diagram({ out: 'd' }, io)).toBe(0);
    expect([...io.files.keys()].sort()).toEqual([
      'd/cluster.mmd',
      'd/node.mmd',
      'd/phone.mmd',
      'd/phoneCtl.mmd',
      'd/signer.mmd',
    ]);
  });

  it('should write only the named machine in the named format when --out is given with --machine and --format', async () => {
    const io = memoryIo();
    expect(await diagram({ out: 'd', machine: 'signer', format: 'json' }, io)).toBe(0);
    expect([...io.files.keys()]).toEqual(['d/signer.json']);
    expect(JSON.parse(new TextDecoder().decode(io.files.get('d/signer.json')))).toMatchObject({
      id: 'signer',
      type: 'parallel',
    });
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
