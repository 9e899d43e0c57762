from django.db.models import QuerySet

from accounts.models import User

from .models import Feedback


def feedback_of(user: User) -> QuerySet[Feedback]:
    """What a user sees on "my feedback": their own, newest first."""
    return Feedback.objects.filter(author=user).select_related("answered_by")
