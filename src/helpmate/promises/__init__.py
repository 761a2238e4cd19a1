"""The promise ledger: who promised what to whom, by when; the commitment detector; warnings before
a promise slips; delay notices; promise metrics.
"""
