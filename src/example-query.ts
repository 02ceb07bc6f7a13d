/** The query GraphiQL opens with: the product question over both upstreams, ready to run. */
export const EXAMPLE_QUERY = `# Welcome to pamgraph: the PAM API and the
# Audit API as one graph. Run this with the
# play button (Ctrl-Enter); the Docs panel
# describes every field.
#
# Accounts with their server, the safes that
# expose them (and through which listener),
# who may manage them, and the last audit
# entries of jobs that logged in with them.
# Secrets have no field: nothing to select.
#
# Your own credentials go in the Headers tab:
# {"x-pam-token": "...", "x-audit-key": "..."}

query AccountsAtAGlance {
  accounts(first: 3) {
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
        auditEntries(first: 3) {
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
