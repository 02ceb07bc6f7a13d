/** The query GraphiQL opens with: the product question over both upstreams, ready to run. */
export const EXAMPLE_QUERY = `# Welcome to pamgraph: one graph over the PAM API and the Audit API.
# Press the run button (or Ctrl-Enter). Every field is documented in the Docs panel.
#
# Privileged accounts with their server, the safes that expose them (and through
# which listener), who may manage them, and the last audit entries of network jobs
# that logged in with them. Secrets have no field: they cannot be selected.
# Send your own credentials in the x-pam-token and x-audit-key headers (Headers tab).

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
