"""Warm handoffs: the customer is told who owns their request now, the previous owner follows until
the new one accepts, and team leads are alerted about mazes.
"""
