from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("lich/tuan/", views.week, name="week"),
    path("lich/thang/", views.month, name="month"),
    path("lich/dong-bo/", views.feed_settings, name="feed_settings"),
    path("lich/ical/<str:token>.ics", views.feed, name="feed"),
    path("lich-hop/ical.ics", views.public_feed, name="public_feed"),
]
