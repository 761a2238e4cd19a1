"""Email out: a durable outbox written in the same transaction as the reply or notification, sent
by the worker over SMTP at most once, with retries and recorded failures.
"""
