"""``python -m tools.benchmark``: how the glossary performs at scale, beside peers measured in the same run.

* ``data``: the benchmark glossary made from CC-CEDICT, the search queries and the check texts;
* ``stages``: what is measured inside a Django process on the benchmark database;
* ``peers``: what it is compared with (translate-toolkit, jieba, plain substring matching);
* ``http``: gunicorn and the load client;
* ``runner``: the run itself, each step in a process of its own, and its table.
"""
