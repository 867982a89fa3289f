"""One cog per feature: lookups, digests, owner commands."""
