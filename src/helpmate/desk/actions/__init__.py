"""Every write to a conversation goes through one of these functions.

Web views, API endpoints, email intake, imports, bulk edits and tasks all call them. Each runs in
one transaction, locks the conversation row, appends to the event log in the same transaction and
queues side effects (email, notifications) with ``transaction.on_commit``.
"""

from helpmate.desk.actions.base import (
    ActionError,
    Actor,
    ConflictError,
    lock_conversation,
    log_event,
    log_events,
    new_event,
)
from helpmate.desk.actions.incoming import (
    IncomingMessage,
    add_incoming_message,
    add_incoming_messages,
)
from helpmate.desk.actions.messages import (
    add_note,
    add_reply,
    create_conversation,
    mentioned_agents,
)
from helpmate.desk.actions.opening import NewConversation, open_conversations
from helpmate.desk.actions.ownership import assign_conversation, transfer_conversation
from helpmate.desk.actions.presence import mark_notifications_read, touch_presence
from helpmate.desk.actions.state import (
    add_participant,
    change_priority,
    change_status,
    change_tags,
    merge_conversations,
)

__all__ = [
    "ActionError",
    "Actor",
    "ConflictError",
    "IncomingMessage",
    "NewConversation",
    "add_incoming_message",
    "add_incoming_messages",
    "add_note",
    "add_participant",
    "add_reply",
    "assign_conversation",
    "change_priority",
    "change_status",
    "change_tags",
    "create_conversation",
    "lock_conversation",
    "log_event",
    "log_events",
    "mark_notifications_read",
    "mentioned_agents",
    "merge_conversations",
    "new_event",
    "open_conversations",
    "touch_presence",
    "transfer_conversation",
]
