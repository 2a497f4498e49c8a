"""Full-screen front-ends (Textual). Only ``repaycli call`` imports this package: no other
command pays for loading Textual."""
