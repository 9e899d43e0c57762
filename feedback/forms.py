from django import forms

from .models import Feedback


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["category", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
