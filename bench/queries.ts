/** The reference queries of the batching budget table (issue 4), shared by the benchmark. */
export interface BenchQuery {
  name: string;
  query: string;
  /** Needs the id of an account with few audit entries (the whole log is scanned). */
  needsSparseAccount?: boolean;
}

export const REFERENCE_QUERIES: BenchQuery[] = [
  {
    name: 'accounts(50) + server',
    query: '{ accounts(first: 50) { edges { node { name server { name address } } } } }',
  },
  {
    name: 'accounts(50) + grantedUsers',
    query: '{ accounts(first: 50) { edges { node { name grantedUsers { name } } } } }',
  },
  {
    name: 'safes(10) × accounts(20) + listener, server',
    query:
      '{ safes(first: 10) { edges { node { name accounts(first: 20) { edges { listener { name } node { name server { name } } } } } } } }',
  },
  {
    name: 'auditEntries(50) + servers, accounts',
    query:
      '{ auditEntries(first: 50, orderBy: {field: CREATED_AT, direction: DESC}) { edges { node { jobName servers { name } accounts { name } } } } }',
  },
  {
    name: 'account.auditEntries(10), whole log',
    query:
      'query ($id: ID!) { account(id: $id) { auditEntries(first: 10) { edges { node { createdAt jobName } } } } }',
    needsSparseAccount: true,
  },
  {
    name: 'account + server, safes, grants, audit(5)',
    query: `query ($id: ID!) { account(id: $id) { name server { name } safes { safe { name } listener { name } }
      grantedUsers { name } auditEntries(first: 5) { edges { node { jobName } } } } }`,
    needsSparseAccount: true,
  },
];
