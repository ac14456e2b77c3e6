"""The analysis as flat tables (CSV, JSON Lines, Parquet) and labels for browsing the store in Datasette."""
