"""Reports: the JSON contract (report.schema.json), and renderings of it for people."""
