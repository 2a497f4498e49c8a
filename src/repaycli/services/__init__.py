"""Business steps shared by more than one front-end (the typer commands, the call screen, the
HTML report): parse what a person typed, check it the one way, and hand it to the core or the
store. Nothing here prints or prompts; a bad value is a ``BadInput`` the front-end shows its own
way."""
