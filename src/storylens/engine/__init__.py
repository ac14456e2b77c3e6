"""Engines run the stages over batches and write through the store."""
