"""The extract stage: facts found inside one parsed article (quotes, claims, dates, mentions)."""
