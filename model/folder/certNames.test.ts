import { describe, expect, it } from 'vitest';
import { commonName, isItlRecoveryName, nodeOfName } from './certNames.ts';
import type { FolderNode } from './clusterConfig.ts';

const node = (name: string, hostname?: string): FolderNode => ({
  name,
  ...(hostname ? { hostname } : {}),
  role: 'subscriber',
  tftp: true,
  line: 1,
});

describe('commonName', () => {
  it("should read the CN in CUCM's spelling and in RFC 4514's", () => {
    expect(commonName('CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US')).toBe('test10pub.joemar2.lab');
    expect(commonName('C=US,ST=nc,L=rtp,O=cisco,OU=tac,CN=ITLRECOVERY_test12pub.joemar2.lab')).toBe(
      'ITLRECOVERY_test12pub.joemar2.lab',
    );
    expect(commonName('OU=x, cn = spaced ')).toBe('spaced');
    expect(commonName('O=no common name')).toBe('');
  });

  it('should read a CN of 300,000 spaces and a letter at once (no regular expression backtracks on it)', () => {
    const start = performance.now();
    expect(commonName(`CN=a${' '.repeat(300_000)}x `)).toBe(`a${' '.repeat(300_000)}x`);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('should know an ITLRecovery name in any case', () => {
    expect(isItlRecoveryName('ITLRECOVERY_pub.example.com')).toBe(true);
    expect(isItlRecoveryName('ITLRecovery_pub')).toBe(true);
    expect(isItlRecoveryName('pub.example.com')).toBe(false);
  });
});

describe('nodeOfName', () => {
  const config = { nodes: [node('pub', 'pub.example.com'), node('sub'), node('tftp3', 'cucm-t3')] };

  it('should match a FQDN to the node of that host name, without case', () => {
    expect(nodeOfName(config, 'PUB.Example.com')?.name).toBe('pub');
  });

  it('should not match a FQDN of another domain to a node given with its own FQDN', () => {
    expect(nodeOfName(config, 'pub.other.com')).toBeUndefined();
  });

  it('should match a FQDN by its first label to a node given without a FQDN', () => {
    expect(nodeOfName(config, 'sub.example.com')?.name).toBe('sub');
    expect(nodeOfName(config, 'cucm-t3.example.com')?.name).toBe('tftp3');
  });

  it('should match a bare name to a node name or the first label of a host name', () => {
    expect(nodeOfName(config, 'SUB')?.name).toBe('sub');
    expect(nodeOfName(config, 'pub')?.name).toBe('pub');
    expect(nodeOfName(config, 'nobody')).toBeUndefined();
    expect(nodeOfName(config, '')).toBeUndefined();
  });
});
