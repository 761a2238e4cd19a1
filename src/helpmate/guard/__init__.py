"""The deflection guard: flags sentences in a reply that push the customer away, and suggests a
better move.
"""
