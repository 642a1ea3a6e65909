/**
 * `cluster.json` of a cluster folder (docs/cluster-folder.md): the release, the security mode and the
 * nodes, read with strict zod schemas like the event log's (unknown fields refused, every problem
 * naming its field and line).
 */
import { z } from 'zod';
import { invalidUtf8At } from '../invalidUtf8.ts';
import { MAX_NODES } from '../eventSchemas.ts';
import { issueReason } from '../logError.ts';
import { DNS_LABEL, DNS_NAME, MAX_DNS_NAME, nameKey } from '../names.ts';
import { isValidVersion, versionSupportProblem } from '../version.ts';
import { capProblems, FolderError, type FolderProblem } from './folderError.ts';
import { JsonSyntaxError, lineOf, parseJsonWithLines } from './jsonWithLines.ts';

/** One node of the cluster as cluster.json gives it. */
export interface FolderNode {
  /** The node's name: the name of its folder under tftp/, and what phones.csv's TFTP and TVS columns say. */
  name: string;
  /** Its host name or FQDN (the CN of its CallManager and TVS certificates), when given. */
  hostname?: string;
  role: 'publisher' | 'subscriber';
  /** Whether it runs Cisco Tftp (serves ITLFile.tlv). */
  tftp: boolean;
  /** The line of cluster.json where the node is given. */
  line: number;
}

/** The enterprise parameters a folder may state (docs/rules.md §17); absent ones are unknown. */
export interface FolderParameters {
  phoneInteractionOnCertificateUpdate?: 'automatic' | 'manual';
  prepareRollbackPre80?: boolean;
}

/** cluster.json, read. */
export interface ClusterConfig {
  /** The CUCM release as Cisco writes it (`12.5(1)SU3`), from 8.0 up to 15. */
  version: string;
  securityMode: 'non-secure' | 'mixed';
  /** In the file's order; exactly one publisher. */
  nodes: FolderNode[];
  parameters: FolderParameters;
  /** The release history, oldest first, when given (`versions`): the upgrades the cluster went through (FN70613). */
  versions?: { list: string[]; line: number };
  /** When ITLRecovery.p12 was last saved (`file get tftp ITLRecovery.p12`), when given: the evidence of a backup. */
  itlRecoveryBackup?: { at: string; line: number };
}

/** The file name of the cluster description in a folder. */
export const CLUSTER_JSON = 'cluster.json';

const LABEL_RULE = '1-63 letters, digits or hyphens, not starting or ending with a hyphen';
const version = z
  .string()
  .max(32, { error: 'must be at most 32 characters' })
  .refine(isValidVersion, { error: 'must be a version like "12.5(1)SU3" or "14SU2"', params: { echo: true } })
  .superRefine((v, ctx) => {
    const problem = isValidVersion(v) ? versionSupportProblem(v) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const schema = z.strictObject({
  version,
  securityMode: z.literal(['non-secure', 'mixed']),
  nodes: z
    .array(
      z.strictObject({
        name: z.string().regex(DNS_LABEL, { error: `must be a DNS label (RFC 1123): ${LABEL_RULE}` }),
        hostname: z
          .string()
          .regex(DNS_NAME, {
            error: `must be a DNS name of at most ${MAX_DNS_NAME} characters: dot-separated labels of ${LABEL_RULE}`,
          })
          .optional(),
        role: z.literal(['publisher', 'subscriber']),
        tftp: z.boolean(),
      }),
    )
    .min(1)
    .max(MAX_NODES),
  versions: z.array(version).min(1).max(32).optional(),
  itlRecoveryBackup: z.iso.datetime({ error: 'must be an ISO 8601 UTC time like "2024-03-04T09:00:00Z"' }).optional(),
  parameters: z
    .strictObject({
      phoneInteractionOnCertificateUpdate: z.literal(['automatic', 'manual']).optional(),
      prepareRollbackPre80: z.boolean().optional(),
    })
    .optional(),
});

/** The rules between nodes: one publisher, names and host names each used once, some node running TFTP. */
function crossProblems(nodes: FolderNode[], file: string): FolderProblem[] {
  const problems: FolderProblem[] = [];
  const publishers = nodes.filter((n) => n.role === 'publisher');
  if (publishers.length !== 1)
    problems.push({
      file,
      line: publishers[1]?.line ?? nodes[0]!.line,
      reason: `field "nodes" must list exactly one publisher, found ${publishers.length}`,
    });
  // A name or host name used by two nodes (a node may give the same text for both).
  const seen = new Map<string, { index: number; line: number }>();
  nodes.forEach((node, i) => {
    for (const [field, value] of [
      ['name', node.name],
      ['hostname', node.hostname],
    ] as const) {
      if (value === undefined) continue;
      const key = nameKey(value);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, { index: i, line: node.line });
      else if (first.index !== i)
        problems.push({
          file,
          line: node.line,
          reason: `field "nodes[${i}].${field}" is ${JSON.stringify(value)}, already another node's name or host name on line ${first.line}`,
        });
    }
  });
  if (!nodes.some((n) => n.tftp))
    problems.push({ file, line: nodes[0]!.line, reason: 'field "nodes": no node runs TFTP ("tftp": true)' });
  return problems;
}

/**
 * Reads cluster.json from its bytes (UTF-8, a byte order mark allowed); throws FolderError with
 * every problem (`FILE:LINE: field "…" …`) when it cannot be used. Pure.
 */
export function parseClusterConfig(bytes: Uint8Array, file = CLUSTER_JSON): ClusterConfig {
  const bad = invalidUtf8At(bytes);
  if (bad !== -1) throw new FolderError([{ file, offset: bad, reason: 'not UTF-8 text' }]);
  let json;
  try {
    json = parseJsonWithLines(new TextDecoder().decode(bytes));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new FolderError([
      { file, line: error.line, reason: `invalid JSON: ${error.reason} at column ${error.column}` },
    ]);
  }
  const input = json.value;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FolderError([{ file, line: 1, reason: 'must be a JSON object' }]);
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new FolderError(
      capProblems(
        result.error.issues.map((issue) => ({
          file,
          line: lineOf(json, issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path),
          reason: issueReason(issue, input),
        })),
      ),
    );
  }
  const nodes = result.data.nodes.map((n, i): FolderNode => ({
    name: n.name,
    ...(n.hostname !== undefined ? { hostname: n.hostname } : {}),
    role: n.role,
    tftp: n.tftp,
    line: lineOf(json, ['nodes', i]),
  }));
  const problems = crossProblems(nodes, file);
  if (problems.length > 0) throw new FolderError(capProblems(problems));
  return {
    version: result.data.version,
    securityMode: result.data.securityMode,
    nodes,
    parameters: result.data.parameters ?? {},
    ...(result.data.versions ? { versions: { list: result.data.versions, line: lineOf(json, ['versions']) } } : {}),
    ...(result.data.itlRecoveryBackup
      ? { itlRecoveryBackup: { at: result.data.itlRecoveryBackup, line: lineOf(json, ['itlRecoveryBackup']) } }
      : {}),
  };
}

/** The node a name (or host name) names, compared as CUCM compares names: case-insensitively. Pure. */
export function nodeNamed(config: Pick<ClusterConfig, 'nodes'>, name: string): FolderNode | undefined {
  const key = nameKey(name);
  return config.nodes.find((n) => nameKey(n.name) === key || (n.hostname !== undefined && nameKey(n.hostname) === key));
}
