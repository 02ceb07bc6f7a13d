/** The query GraphiQL opens with: a tour of the domain a new user can run at once. */
export const EXAMPLE_QUERY = `# Welcome to pamgraph: one graph over the PAM API and the Audit API.
# Press the run button (or Ctrl-Enter) to run this query.

query FirstLook {
  accounts(first: 3) {
    edges {
      node {
        id
        pamId
        name
        type
        blocked
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
  auditEntries(first: 3) {
    edges {
      node {
        auditId
        createdAt
        jobName
        ipAddress
        deviceAccount
        connectionStatus
        hasDevicePassword
      }
    }
  }
}
`;
