import { describe, expect, it } from 'vitest';
import { fqdn, issueNodeCert } from './issueNodeCert.ts';

const cluster = { seed: 'issue-test', domain: 'example.net', subject: {} };
/** A node renamed from `pub` to `pub2` after its ITLRecovery was made under the domain example.lab. */
const renamed = { id: 'pub', hostname: 'pub2', keyBits: 1024 as const, recoveryFqdn: 'pub.example.lab' };
const AT = '2024-03-04T09:00:00Z';

describe('issueNodeCert', () => {
  it('should name ITLRecovery after the FQDN the node had when its recovery key was made, and every other certificate after its current FQDN', () => {
    expect(issueNodeCert(cluster, renamed, 'ITLRecovery', 1, AT).cert.subject).toContain('ITLRECOVERY_pub.example.lab');
    expect(issueNodeCert(cluster, renamed, 'CallManager', 1, AT).cert.subject).toContain('pub2.example.net');
    expect(issueNodeCert(cluster, renamed, 'TVS', 1, AT).cert.subject).toContain('pub2.example.net');
    expect(fqdn('pub2', '')).toBe('pub2');
  });

  it('should give a certificate the validity asked for, else five years', () => {
    const years = (y?: number) => {
      const { cert } = issueNodeCert(cluster, renamed, 'ITLRecovery', 1, AT, y);
      return new Date(cert.notAfter).getUTCFullYear() - new Date(cert.notBefore).getUTCFullYear();
    };
    expect(years()).toBe(5);
    expect(years(20)).toBe(20);
  });
});
