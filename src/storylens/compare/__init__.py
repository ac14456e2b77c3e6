"""The compare stage: what the articles of one story say alike and differently."""
