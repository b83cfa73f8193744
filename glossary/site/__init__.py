"""The public site: views, feeds, sitemaps and the page cache."""
