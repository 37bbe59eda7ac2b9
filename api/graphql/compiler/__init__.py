"""The compiled read path: a validated query operation -> one SQL statement per root
field that returns the finished JSON; anything not covered falls back to resolvers."""
