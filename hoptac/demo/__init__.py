"""Demo data: generators that fill a database with a realistic province (registry, ratings, follow-up of the
plan, demo logins) for `make demo`, the benchmarks and tests. Not runtime code: no other app imports it
(docs/decisions/0009-app-layering.md)."""
