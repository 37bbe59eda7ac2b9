"""The one query layer shared by REST and GraphQL: filters compile to one WHERE clause,
projections to one statement per root field, keyset pagination."""
