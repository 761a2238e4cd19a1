"""Views of the agents' workspace: thin, they validate input and call the actions.

inbox (lists and bulk edits), conversation (the page and its partials), manage (assign,
transfer, status, priority, tags, merge), compose (reply, note, new conversation),
notifications, attachments.
"""
