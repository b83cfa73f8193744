"""Files in and out: one reader and one writer per format, the importer, the seed, the admin import page."""
