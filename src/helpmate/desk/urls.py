from django.urls import path

from helpmate.desk.views import (
    attachments,
    bulk,
    compose,
    conversation,
    inbox,
    manage,
    notifications,
)

app_name = "desk"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("bulk/", bulk.bulk, name="bulk"),
    path("new/", compose.new_conversation, name="new"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("attachments/<int:pk>/", attachments.download, name="attachment"),
    path("c/<int:pk>/", conversation.conversation, name="conversation"),
    path("c/<int:pk>/presence/", conversation.presence, name="presence"),
    path("c/<int:pk>/reply/", compose.reply, name="reply"),
    path("c/<int:pk>/reply/review/", compose.reply_review, name="reply_review"),
    path("c/<int:pk>/note/", compose.note, name="note"),
    path("c/<int:pk>/assign/", manage.assign, name="assign"),
    path("c/<int:pk>/transfer/", manage.transfer, name="transfer"),
    path("c/<int:pk>/status/", manage.change_status, name="status"),
    path("c/<int:pk>/priority/", manage.change_priority, name="priority"),
    path("c/<int:pk>/tags/", manage.change_tags, name="tags"),
    path("c/<int:pk>/merge/", manage.merge, name="merge"),
]
