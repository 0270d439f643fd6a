"""The top of the dependency chain: where a user starts (the home page, later the work inbox)
and what needs every app at once (`seed_demo`). Nothing imports from here."""
