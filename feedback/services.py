from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Feedback

# A second identical submission within this window is the same feedback sent twice (a double
# click, a resent form after a flaky connection), not a new one.
DUPLICATE_WINDOW = timedelta(minutes=10)


@transaction.atomic
def feedback_submit(
    *, author: User, category: str, subject: str, body: str, page_url: str = ""
) -> Feedback:
    earlier = Feedback.objects.filter(
        author=author, subject=subject, body=body, created_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).first()
    if earlier:
        return earlier
    feedback = Feedback(
        author=author, category=category, subject=subject, body=body, page_url=page_url[:500]
    )
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def feedback_answer(*, feedback: Feedback, by: User, answer: str, close: bool = False) -> Feedback:
    feedback.answer = answer
    feedback.answered_by = by
    feedback.answered_at = timezone.now()
    feedback.status = Feedback.Status.CLOSED if close else Feedback.Status.ANSWERED
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def feedback_close(*, feedback: Feedback) -> Feedback:
    feedback.status = Feedback.Status.CLOSED
    feedback.save(update_fields=["status", "updated_at"])
    return feedback
