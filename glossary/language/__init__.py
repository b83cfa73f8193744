"""Pure language processing, free of Django: scripts, normalising, conversion, pinyin, segmentation."""
