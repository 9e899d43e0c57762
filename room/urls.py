from django.urls import path

from . import views

app_name = "room"
urlpatterns = [
    path("cuoc-hop/<int:pk>/dieu-hanh/", views.control, name="control"),
    path("cuoc-hop/<int:pk>/dieu-hanh/khung/", views.control_panel, name="control_panel"),
    path(
        "cuoc-hop/<int:pk>/dieu-hanh/noi-dung/<int:item_pk>/",
        views.start_item,
        name="start_item",
    ),
    path("cuoc-hop/<int:pk>/dieu-hanh/so-phut/", views.set_minutes, name="set_minutes"),
    path("cuoc-hop/<int:pk>/dieu-hanh/them-phut/", views.add_minute, name="add_minute"),
    path("cuoc-hop/<int:pk>/dieu-hanh/ket-thuc-luot/", views.close_turn, name="close_turn"),
    path(
        "cuoc-hop/<int:pk>/dieu-hanh/phat-bieu/<int:speech_pk>/moi/",
        views.give_floor,
        name="give_floor",
    ),
    path(
        "cuoc-hop/<int:pk>/dieu-hanh/phat-bieu/<int:speech_pk>/di-chuyen/",
        views.move,
        name="move",
    ),
    path(
        "cuoc-hop/<int:pk>/dieu-hanh/phat-bieu/<int:speech_pk>/bo/",
        views.drop,
        name="drop",
    ),
    path("cuoc-hop/<int:pk>/dang-ky-phat-bieu/", views.speak, name="speak"),
    path(
        "cuoc-hop/<int:pk>/dang-ky-phat-bieu/<int:speech_pk>/rut/",
        views.withdraw,
        name="withdraw",
    ),
    path("cuoc-hop/<int:pk>/loi-moi/", views.calls, name="calls"),
    path("loi-moi-trong-phong-hop/", views.calls, name="my_calls"),
    path("cuoc-hop/<int:pk>/man-hinh/", views.screen, name="screen"),
    path("cuoc-hop/<int:pk>/man-hinh/khung/", views.screen_fragment, name="screen_fragment"),
]
