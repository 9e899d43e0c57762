from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("cuoc-hop/<int:pk>/bieu-quyet/", views.vote_list, name="list"),
    path("cuoc-hop/<int:pk>/bieu-quyet/mo/", views.vote_create, name="create"),
    path("bieu-quyet/<int:pk>/", views.vote_detail, name="detail"),
    path("bieu-quyet/<int:pk>/bo-phieu/", views.vote_cast, name="cast"),
    path("bieu-quyet/<int:pk>/ket-thuc/", views.vote_close, name="close"),
    path("bieu-quyet/<int:pk>/truc-tiep/", views.vote_live, name="live"),
    path("bieu-quyet/<int:pk>/cho-ket-qua/", views.vote_outcome, name="outcome"),
    path("bieu-quyet/<int:pk>/ket-qua.pdf", views.vote_pdf, name="pdf"),
]
