"""Email in: IMAP polling, an SMTP/LMTP listener and pipe delivery, all feeding one durable
pipeline (raw message stored first, then parsed, threaded and turned into desk messages, or
quarantined).
"""
