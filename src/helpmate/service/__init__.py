"""Business calendars (working hours, time zones, holidays), service targets per team, channel and
priority, and the due times each conversation carries.
"""
