"""Customer effort measured from the event log (waits, handoffs, repeat contact), the leaders'
radar, and the Customer Effort Score survey.
"""
