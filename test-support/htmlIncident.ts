const minutes = (start: number, m: number) => new Date(start + m * 60_000).toISOString();

/**
 * A generated incident with many phones (for the HTML report's scale test and demos): the seed
 * incident's story, where every fifth phone trusts only the publisher's TVS and is unplugged during two
 * regenerations, so it locks when plugged back in; `utils itl reset localkey` and a reset recover
 * all but the tenth of them that were unplugged again. Returns JSON Lines, for `parseLog`. Pure.
 */
export function htmlIncident(phones: number): string {
  const t0 = Date.parse('2014-02-26T18:00:00Z');
  const id = (i: number) => `SEP${(0x1000_0000_0000 + i).toString(16).toUpperCase()}`;
  const ids = Array.from({ length: phones }, (_, i) => id(i));
  const fragile = ids.filter((_, i) => i % 5 === 0);
  const events: unknown[] = [
    {
      type: 'cluster.install',
      at: minutes(t0, 0),
      version: '10.0(1)',
      domain: 'big.lab',
      securityPassword: 'Big-Sec-456',
      subject: { OU: 'tac', O: 'cisco', L: 'rtp', ST: 'nc', C: 'US' },
      nodes: [
        { name: 'bigpub', role: 'publisher', tftp: true, keyBits: 1024 },
        { name: 'bigsub', role: 'subscriber', tftp: true },
      ],
    },
    ...ids.map((phone, i) =>
      i % 5 === 0
        ? { type: 'phone.add', at: minutes(t0, 1), phone, tftp: 'bigpub', tvs: ['bigpub'] }
        : {
            type: 'phone.add',
            at: minutes(t0, 1),
            phone,
            tftp: i % 2 ? 'bigpub' : 'bigsub',
            tvs: ['bigsub', 'bigpub'],
          },
    ),
    ...fragile.map((phone) => ({ type: 'phone.power', at: minutes(t0, 2), phone, on: false })),
    { type: 'cert.regenerate', at: minutes(t0, 3), node: 'bigpub', cert: 'CallManager' },
    { type: 'cert.regenerate', at: minutes(t0, 10), node: 'bigpub', cert: 'TVS' },
    ...fragile.map((phone) => ({ type: 'phone.power', at: minutes(t0, 12), phone, on: true })),
    // Some locked phones are unplugged before the remedy, so the report ends with every outcome.
    ...fragile
      .filter((_, i) => i % 10 === 0)
      .map((phone) => ({ type: 'phone.power', at: minutes(t0, 13), phone, on: false })),
    { type: 'itl.reset', at: minutes(t0, 14), node: 'bigpub', key: 'localkey' },
    { type: 'devices.reset', at: minutes(t0, 15) },
  ];
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
