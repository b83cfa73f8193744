"""The term check: its engine, the index of published terms, its page, its API and their URLs."""
