/** The query GraphiQL opens with: the product question over both upstreams, ready to run. */
export const EXAMPLE_QUERY = `# Welcome to pamgraph: the PAM API and the
# Audit API as one graph. Run this with the
# play button (Ctrl-Enter); the Docs panel
# describes every field.
#
# Regular accounts by name, counted, with
# their server, the safes that expose them
# (and through which listener), who may
# manage them, and the last failed logins of
# jobs that used them. Every list takes
# filter, orderBy and totalCount. Secrets
# have no field: nothing to select.
#
# Your own credentials go in the Headers tab:
# {"x-pam-token": "...", "x-audit-key": "..."}

query AccountsAtAGlance {
  accounts(
    first: 3
    filter: { type: [REGULAR] }
    orderBy: { field: NAME, direction: ASC }
  ) {
    totalCount
    edges {
      node {
        id
        name
        type
        credentials {
          login
          domain
          method
        }
        server {
          name
          address
          protocol
        }
        safes {
          safe {
            name
          }
          listener {
            name
          }
        }
        grantedUsers {
          name
          role
        }
        auditEntries(
          first: 3
          filter: { connectionStatus: ["failed"] }
        ) {
          totalCount
          edges {
            node {
              createdAt
              jobName
              ipAddress
              connectionStatus
              hasDevicePassword
            }
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;
