"""Steps shared by the front-ends (CLI, call screen, report): each reads and writes what it
needs and returns data for a renderer; none prints."""
