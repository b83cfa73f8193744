"""The new-terms radar: documents in a corpus, the candidate terms the glossary lacks.

``extract`` reads an uploaded file into plain text, ``candidates`` finds and ranks candidate
terms, ``align`` proposes translations from aligned English–Chinese pairs (all three free of
Django); ``services`` writes the corpus, the candidates and the linguists' decisions, ``jobs``
runs the long work on the job queue.
"""
