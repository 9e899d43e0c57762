from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    """Django's form renderer with our field template, so every form looks like Bootstrap's and
    puts its errors next to the field they belong to."""

    field_template_name = "includes/bs_field.html"
